import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import EXAMPLES
from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, UserFactory
from torget.audit.models import AuditEntry
from torget.geo.models import AreaKind, PopulationFigure, PopulationImport
from torget.geo.population import (
    AGE_BANDS,
    RESPONDENT_AGE_BANDS,
    AgeBand,
    age_band_choices,
    age_band_label,
    age_band_of,
)
from torget.geo.population_file import MAX_FILE_BYTES
from torget.geo.selectors import population_current, population_table, representativeness
from torget.geo.services import PopulationFileError, population_import
from torget.geo.tests.factories import AreaFactory

URL = "/personal/omraden/befolkning/"


def upload(text: str | bytes, name: str = "befolkning.csv") -> io.BytesIO:
    data = text.encode() if isinstance(text, str) else text
    file = io.BytesIO(data)
    file.name = name
    return file


def refused(text: str | bytes) -> list[str]:
    with pytest.raises(PopulationFileError) as caught:
        population_import(file=upload(text), actor=None)
    assert not PopulationFigure.objects.exists()
    assert not PopulationImport.objects.exists()
    return caught.value.messages


@pytest.fixture
def areas(db):
    south = AreaFactory(name="Söder", slug="soder", kind=AreaKind.COMMITTEE_AREA)
    return {
        "berga": AreaFactory(name="Berga", slug="berga", parent=south),
        "ryd": AreaFactory(name="Ryd", slug="ryd"),
        "south": south,
    }


GOOD = "område;åldersgrupp;antal\nBerga;16-19;400\nberga;20–29 år;1 000\nryd;80+;250\n"


class TestAgeBands:
    def test_one_definition_youngest_first(self):
        assert AGE_BANDS == ("0-11", "12-15", "16-19", "20-29", "30-44", "45-64", "65-79", "80+")
        assert RESPONDENT_AGE_BANDS == AGE_BANDS[1:]

    def test_form_choices_leave_out_the_children_unless_asked(self):
        choices = age_band_choices()
        assert choices[0] == ("12-15", "12–15 år")
        assert choices[-1] == ("80+", "80 år eller äldre")
        assert age_band_choices(include_children=True)[0][0] == "0-11"

    def test_an_age_falls_in_one_band(self):
        assert age_band_of(0) == "0-11"
        assert age_band_of(12) == "12-15"
        assert age_band_of(19) == "16-19"
        assert age_band_of(64) == "45-64"
        assert age_band_of(103) == "80+"
        assert age_band_of(-1) is None
        assert age_band_label("30-44") == "30–44 år"


class TestImport:
    def test_a_good_file_is_read_in_with_who_and_when(self, areas):
        admin = UserFactory(role=Role.ADMINISTRATOR)
        source = population_import(file=upload(GOOD), actor=admin)
        assert source.is_current and source.row_count == 3
        assert source.imported_by == admin and source.file_name == "befolkning.csv"
        figures = {(f.area.slug, f.age_band): f.count for f in source.figures.all()}
        assert figures == {("berga", "16-19"): 400, ("berga", "20-29"): 1000, ("ryd", "80+"): 250}
        entry = AuditEntry.objects.get(action="geo.population_imported")
        assert entry.changes["rows"] == 3 and entry.changes["people"] == 1650

    def test_english_header_bom_commas_and_target_groups_are_read(self, areas):
        text = "\ufeffarea,age_band,count,group\nBERGA,16-19,10,\nRyd,,30,utrikes-fodda\n"
        source = population_import(file=upload(text), actor=None)
        group = source.figures.get(group="utrikes-fodda")
        assert group.age_band == "" and group.count == 30

    def test_a_windows_1252_file_from_excel_is_read(self, db):
        AreaFactory(name="Skäggetorp", slug="skaggetorp")
        text = "område;åldersgrupp;antal\r\nSkäggetorp;80 år eller äldre;12\r\n"
        source = population_import(file=upload(text.encode("cp1252")), actor=None)
        assert source.figures.get().age_band == AgeBand.ELDERLY

    def test_a_new_import_replaces_the_current_one(self, areas):
        first = population_import(file=upload(GOOD), actor=None)
        second = population_import(
            file=upload("område;åldersgrupp;antal\nRyd;16-19;5\n"), actor=None
        )
        first.refresh_from_db()
        assert not first.is_current and second.is_current
        assert population_current() == second
        assert list(PopulationFigure.objects.values_list("source", "count")) == [(second.pk, 5)]

    def test_a_bad_file_leaves_the_current_import_in_force(self, areas):
        first = population_import(file=upload(GOOD), actor=None)
        with pytest.raises(PopulationFileError):
            population_import(file=upload(GOOD + "Bergaa;16-19;1\n"), actor=None)
        assert population_current() == first
        assert first.figures.count() == 3

    def test_the_database_allows_one_current_import(self, areas):
        population_import(file=upload(GOOD), actor=None)
        with pytest.raises(IntegrityError), transaction.atomic():
            PopulationImport.objects.create(row_count=1, is_current=True)


class TestRefusedWhole:
    def test_an_unknown_area_is_named_with_its_line(self, areas):
        messages = refused(GOOD + "\n\nBergaa;16-19;3\n")
        assert messages == ["Rad 7: okänt område \u201dBergaa\u201d."]

    @pytest.mark.parametrize("count", ["-1", "3,5", "tio", "", "99999999999"])
    def test_a_count_that_is_no_whole_number(self, areas, count):
        assert refused(f"område;åldersgrupp;antal\nBerga;16-19;{count}\n") == [
            "Rad 2: antalet måste vara ett heltal ≥ 0."
        ]

    def test_an_unknown_or_missing_age_band(self, areas):
        messages = refused("område;åldersgrupp;antal\nBerga;16-20;1\nRyd;;2\n")
        assert messages[0].startswith("Rad 2: okänd åldersgrupp \u201d16-20\u201d")
        assert messages[1] == "Rad 3: åldersgruppen saknas."

    def test_the_same_area_and_band_twice(self, areas):
        messages = refused("område;åldersgrupp;antal\nBerga;16-19;1\nberga;16–19;2\n")
        assert messages == ["Rad 3: Berga, 16–19 år finns redan på rad 2."]

    def test_every_bad_line_is_listed_at_once(self, areas):
        messages = refused("område;åldersgrupp;antal\nX;16-19;1\nBerga;16-19;-\nY;1;1\n")
        assert [m.split(":")[0] for m in messages] == ["Rad 2", "Rad 3", "Rad 4", "Rad 4"]

    def test_an_area_and_the_area_it_lies_in(self, areas):
        messages = refused("område;åldersgrupp;antal\nSöder;16-19;9\nBerga;16-19;1\n")
        assert messages[0].startswith("Rad 3: Berga ligger i Söder")

    def test_a_name_two_areas_share_must_be_written_by_slug(self, areas):
        AreaFactory(name="Ryd", slug="ryd-2")
        assert "ryd-2" in refused("område;åldersgrupp;antal\nRyd;16-19;1\n")[0]
        assert (
            population_import(
                file=upload("område;åldersgrupp;antal\nryd-2;16-19;1\n"), actor=None
            ).row_count
            == 1
        )

    @pytest.mark.parametrize(
        "text,message",
        [
            ("", "Filen är tom."),
            ("\n \n", "Filen är tom."),
            ("område;åldersgrupp;antal\n", "Filen innehåller inga befolkningssiffror."),
            ("namn;ålder;antal\nBerga;16-19;1\n", "Rad 1: första raden ska ha kolumnerna"),
            ("område;antal\nBerga;1\n", "Rad 1: första raden ska ha kolumnerna"),
            ("område;område;åldersgrupp;antal\n", "Rad 1: kolumnen"),
            ("område;åldersgrupp;antal\nBerga;16-19\n", "Rad 2: raden har för få kolumner."),
            (b"PK\x03\x04\x00\x00xlsx", "Filen är ingen textfil."),
            (b"x" * (MAX_FILE_BYTES + 1), "Filen är större än 2 MB."),
        ],
    )
    def test_a_file_that_is_not_population_figures(self, areas, text, message):
        assert refused(text)[0].startswith(message)


class TestCommand:
    def test_the_command_imports_a_file(self, areas, tmp_path, capsys):
        path = tmp_path / "befolkning.csv"
        path.write_text(GOOD, encoding="utf-8")
        call_command("import_population", str(path))
        assert population_current().file_name == "befolkning.csv"
        assert "3 population figures" in capsys.readouterr().out

    def test_the_command_names_the_bad_lines(self, areas, tmp_path):
        path = tmp_path / "befolkning.csv"
        path.write_text(GOOD + "Bergaa;16-19;1\n", encoding="utf-8")
        with pytest.raises(CommandError, match="Rad 5"):
            call_command("import_population", str(path))
        assert not PopulationImport.objects.exists()


@pytest.mark.django_db
class TestPage:
    def test_visitors_log_in_and_citizens_and_officials_are_refused(self, client):
        assert client.get(URL).status_code == 302
        client.force_login(CitizenFactory())
        assert client.get(URL).status_code == 403
        client.force_login(UserFactory(role=Role.OFFICIAL))
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"file": SimpleUploadedFile("a.csv", b"x")}).status_code == 403

    def test_the_empty_state_says_nothing_is_read_in(self, client):
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        response = client.get(URL)
        assert response.status_code == 200
        assert "Ingen befolkningsstatistik är inläst" in response.text
        assert "område;åldersgrupp;antal" in response.text

    def test_an_administrator_uploads_and_sees_the_table(self, client, areas):
        admin = UserFactory(role=Role.ADMINISTRATOR, email="admin@exempel.se")
        client.force_login(admin)
        response = client.post(
            URL, {"file": SimpleUploadedFile("bef.csv", GOOD.encode(), "text/csv")}, follow=True
        )
        assert "Befolkningsstatistiken är inläst: 3 rader." in response.text
        assert "bef.csv" in response.text
        assert "<td>1400</td>" in response.text  # Berga in all
        assert "<td>1650</td>" in response.text  # the total

    def test_the_table_takes_a_fixed_number_of_queries(
        self, client, areas, django_assert_max_num_queries
    ):
        population_import(file=upload(GOOD), actor=None)
        for index in range(20):
            area = AreaFactory()
            PopulationFigure.objects.create(
                source=population_current(), area=area, age_band="30-44", count=index
            )
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        with django_assert_max_num_queries(8):
            assert client.get(URL).status_code == 200

    def test_a_bad_file_shows_its_lines_in_the_error_summary(self, client, areas):
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        bad = (GOOD + "Bergaa;16-19;1\nRyd;16-19;x\n").encode()
        response = client.post(URL, {"file": SimpleUploadedFile("bef.csv", bad, "text/csv")})
        assert response.status_code == 200
        assert 'class="error-summary"' in response.text
        assert "Rad 5: okänt område" in response.text
        assert "Rad 6: antalet måste vara ett heltal" in response.text
        assert not PopulationImport.objects.exists()

    def test_the_start_page_links_to_it_for_administrators_only(self, client):
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        assert URL in client.get("/personal/").text
        client.force_login(UserFactory(role=Role.OFFICIAL))
        assert URL not in client.get("/personal/").text


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES * 4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda t: ("område;åldersgrupp;antal\n" + t).encode()),
        st.lists(
            st.tuples(
                st.sampled_from(["Berga", "berga", "Ryd", "Söder", "", "X"]),
                st.sampled_from([*AGE_BANDS, "", "80", "1-2", "80 år"]),
                st.one_of(st.integers(-5, 10**10).map(str), st.text(max_size=5)),
            ),
            max_size=8,
        ).map(
            lambda rows: (
                "område;åldersgrupp;antal\n" + "\n".join(";".join(row) for row in rows)
            ).encode()
        ),
    )
)
def test_any_upload_is_read_in_or_refused_never_a_server_error(areas, data):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    before = PopulationImport.objects.filter(is_current=True).first()
    response = client.post(URL, {"file": SimpleUploadedFile("f.csv", data, "text/csv")})
    assert response.status_code in (200, 302)
    current = PopulationImport.objects.filter(is_current=True).first()
    if response.status_code == 200:
        assert current == before  # refused: nothing half-read
    else:
        assert current != before and current.figures.count() == current.row_count


def population(rows: list[tuple[str, str, int]]) -> None:
    lines = ["område;åldersgrupp;antal"] + [f"{a};{b};{c}" for a, b, c in rows]
    population_import(file=upload("\n".join(lines)), actor=None)


class TestRepresentativeness:
    def test_without_population_the_caller_gets_an_empty_state(self, db):
        result = representativeness({(None, "16-19"): 3})
        assert not result.has_population and result.rows == []
        assert result.empty_message == "Ingen befolkningsstatistik är inläst."

    def test_shares_ratios_and_under_reached_groups_by_age_band(self, areas, settings):
        settings.REPRESENTATIVENESS_UNDER_REACHED_RATIO = 0.5
        population(
            [
                ("Berga", "0-11", 500),  # children: not compared
                ("Berga", "16-19", 100),
                ("Ryd", "16-19", 100),
                ("Berga", "30-44", 400),
                ("Ryd", "80+", 400),
            ]
        )
        counts = {
            (areas["berga"].pk, "16-19"): 2,
            (areas["ryd"].pk, "30-44"): 38,
            (None, "80+"): 10,
            (areas["berga"].pk, None): 4,  # no age given
            (None, None): 1,
        }
        result = representativeness(counts, by="age_band")
        rows = {row.age_band: row for row in result.rows}
        assert list(rows) == ["16-19", "30-44", "80+"]  # the bands with figures
        assert result.population == 1000 and result.respondents == 50
        assert result.not_given == 5 and result.unmatched == 0
        teens = rows["16-19"]
        assert (teens.population, teens.respondents) == (200, 2)
        assert teens.population_share == pytest.approx(0.2)
        assert teens.respondent_share == pytest.approx(0.04)
        assert teens.ratio == pytest.approx(0.2) and teens.under_reached
        assert rows["30-44"].ratio == pytest.approx(1.9) and not rows["30-44"].under_reached
        assert rows["80+"].ratio == pytest.approx(0.5) and not rows["80+"].under_reached
        assert teens.label == "16–19 år"
        assert result.under_reached == [teens]

    def test_a_group_with_people_and_no_respondents_is_under_reached(self, areas, settings):
        settings.REPRESENTATIVENESS_UNDER_REACHED_RATIO = 0.01
        population([("Berga", "16-19", 100), ("Ryd", "16-19", 0), ("Ryd", "20-29", 100)])
        result = representativeness({(areas["berga"].pk, "16-19"): 5}, by="area")
        rows = {row.area.name: row for row in result.rows}
        assert rows["Berga"].respondent_share == 1.0 and not rows["Berga"].under_reached
        assert rows["Ryd"].population == 100 and rows["Ryd"].under_reached
        assert rows["Ryd"].age_band is None

    def test_a_respondent_in_an_area_inside_one_with_figures_counts_for_it(self, db):
        south = AreaFactory(name="Söder", slug="soder")
        inner = AreaFactory(name="Berga", slug="berga", parent=south)
        AreaFactory(name="Annat", slug="annat")  # no figures
        population([("Söder", "20-29", 10)])
        result = representativeness([((inner.pk, "20-29"), 3), ((south.pk, "20-29"), 1)], by="both")
        assert [(r.label, r.respondents) for r in result.rows] == [("Söder, 20–29 år", 4)]
        other = AreaFactory(name="Långt bort", slug="bort")
        result = representativeness({(other.pk, "20-29"): 2, (south.pk, None): 1}, by="both")
        assert result.unmatched == 2 and result.not_given == 1 and result.respondents == 0
        assert result.rows[0].under_reached

    def test_by_both_gives_a_row_per_area_and_band(self, areas, django_assert_num_queries):
        population([("Ryd", "16-19", 10), ("Berga", "80+", 10), ("Berga", "16-19", 20)])
        with django_assert_num_queries(3):
            result = representativeness({(areas["ryd"].pk, "16-19"): 1}, by="both")
        assert [r.label for r in result.rows] == [
            "Berga, 16–19 år",
            "Berga, 80 år eller äldre",
            "Ryd, 16–19 år",
        ]
        assert sum(r.population_share for r in result.rows) == pytest.approx(1.0)
        assert result.rows[2].ratio == pytest.approx(1 / (10 / 40))

    def test_target_group_figures_are_not_in_the_age_comparison(self, areas):
        population_import(
            file=upload("område;åldersgrupp;antal;målgrupp\nBerga;16-19;10;\nBerga;;99;x\n"),
            actor=None,
        )
        result = representativeness({}, by="age_band")
        assert [(r.age_band, r.population) for r in result.rows] == [("16-19", 10)]
        table = population_table(population_current())
        assert table.total == 10 and table.groups[0].count == 99


class TestDemo:
    def test_the_demo_reads_in_every_district_and_locality_once(self, db):
        from torget.core.demo import DemoContext
        from torget.geo.demo import POPULATION, load, load_population

        context = DemoContext(password="x")
        load(context)
        load_population(context)
        source = population_current()
        table = population_table(source)
        assert [row.area.name for row in table.rows] == sorted(POPULATION, key=str.casefold)
        assert all(row.total > 0 for row in table.rows)
        assert {g.group for g in table.groups} == {"utrikes-fodda"}
        changes = context.changes
        load_population(context)
        assert context.changes == changes and PopulationImport.objects.count() == 1


class TestRepresentativenessTable:
    def test_the_shared_table_shows_shares_and_flags(self, areas):
        from django.template.loader import render_to_string

        population([("Berga", "16-19", 100), ("Berga", "30-44", 300)])
        result = representativeness({(None, "30-44"): 9, (None, None): 2})
        html = render_to_string("geo/_representativeness.html", {"result": result})
        assert '<th scope="row">16–19 år</th><td>100</td><td>25 %</td><td>0</td>' in html
        assert "Ja, nåddes för lite" in html
        assert "Ej angivet: 2" in html

    def test_the_shared_table_says_when_nothing_is_read_in(self, db):
        from django.template.loader import render_to_string

        html = render_to_string("geo/_representativeness.html", {"result": representativeness({})})
        assert "Ingen befolkningsstatistik är inläst." in html
        assert "<table" not in html

    def test_an_unknown_grouping_is_a_programming_error(self, db):
        with pytest.raises(ValueError):
            representativeness({}, by="kommun")
