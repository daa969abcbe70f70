import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.geo.tests.factories import AreaFactory
from torget.results.models import Kind as ItemKind
from torget.results.models import ResultItem
from torget.surveys import charts, exports, results
from torget.surveys.models import (
    AnswerTag,
    Kind,
    QuestionVersion,
    ResponseStatus,
    Source,
    Status,
)
from torget.surveys.tests.factories import (
    question,
    response,
    section,
    survey,
    survey_dialogue,
    survey_of_every_kind,
)

pytestmark = pytest.mark.django_db


def _questions(s):
    return {q.kind: q for q in s.questions.all()}


@pytest.fixture
def filled():
    """A survey of every kind with three submitted responses and one only started."""
    dialogue, people = survey_dialogue()
    s = survey_of_every_kind(dialogue)
    q = _questions(s)
    north, south = AreaFactory(name="Norr"), AreaFactory(name="Söder")
    response(
        s,
        {
            q[Kind.SINGLE]: "A",
            q[Kind.MULTIPLE]: ["A", "B"],
            q[Kind.SCALE]: 5,
            q[Kind.NUMBER]: 10,
            q[Kind.YES_NO]: "ja",
            q[Kind.SHORT_TEXT]: "Fler gungor behövs",
            q[Kind.LONG_TEXT]: "Belysningen vid cykelstället",
            q[Kind.RANKING]: ["B", "A", "C", "D"],
            q[Kind.PLACE]: (59.33, 18.06),
        },
        age_band="16-19",
        area=north,
        gender="kvinna",
        receipt="KV-123456",
        target_groups=["Unga"],
    )
    response(
        s,
        {
            q[Kind.SINGLE]: "A",
            q[Kind.MULTIPLE]: ["B"],
            q[Kind.SCALE]: 3,
            q[Kind.NUMBER]: 20,
            q[Kind.YES_NO]: "nej",
            q[Kind.SHORT_TEXT]: "Mer grönska",
            q[Kind.RANKING]: ["B", "C"],
        },
        age_band="65-79",
        area=south,
        source=Source.PAPER,
        entered_by=people.official,
        entered_note="Biblioteket",
    )
    response(
        s,
        {q[Kind.SINGLE]: "B", q[Kind.SCALE]: 4, q[Kind.NUMBER]: 60, q[Kind.YES_NO]: "ja"},
        source=Source.SMS,
    )
    response(s, {q[Kind.SINGLE]: "D", q[Kind.SCALE]: 1}, submitted=False)
    return s, people


def _by_kind(s):
    return {r.kind: r for r in results.question_results(s)}


class TestCounts:
    def test_only_submitted_responses_count_split_by_channel(self, filled):
        s, _people = filled
        counted = results.respondents(s)
        assert counted.total == 3
        assert dict(counted.by_source) == {"Webb": 1, "Papper, inmatat av personal": 1, "SMS": 1}

    def test_single_choice_counts_each_option_with_its_share(self, filled):
        single = _by_kind(filled[0])[Kind.SINGLE]
        assert single.answered == 3
        assert [(row.label, row.count) for row in single.rows] == [
            ("Gungor", 2),
            ("Klätterställning", 1),
            ("Fotbollsplan", 0),
            ("Odlingslådor", 0),
        ]
        assert single.rows[0].percent == "67"

    def test_multiple_choice_counts_each_chosen_option(self, filled):
        multiple = _by_kind(filled[0])[Kind.MULTIPLE]
        assert multiple.answered == 2
        assert [row.count for row in multiple.rows] == [1, 2, 0, 0]

    def test_scale_has_points_mean_and_median(self, filled):
        scale = _by_kind(filled[0])[Kind.SCALE]
        assert [row.count for row in scale.rows] == [0, 0, 1, 1, 1]
        assert scale.mean == pytest.approx(4.0)
        assert scale.median == 4

    def test_yes_no_and_number_statistics(self, filled):
        by_kind = _by_kind(filled[0])
        assert [(row.label, row.count) for row in by_kind[Kind.YES_NO].rows] == [
            ("Ja", 2),
            ("Nej", 1),
        ]
        stats = by_kind[Kind.NUMBER].stats
        assert (stats.count, stats.minimum, stats.maximum, stats.median) == (3, 10, 60, 20)
        assert stats.mean == pytest.approx(30)

    def test_ranking_gives_borda_points_mean_rank_and_first_places(self, filled):
        ranking = _by_kind(filled[0])[Kind.RANKING]
        rows = {row.label: row for row in ranking.ranks}
        # Four options: 1st = 4 points, 2nd = 3, 3rd = 2, 4th = 1, unranked 0.
        assert rows["Klätterställning"].points == 8
        assert rows["Klätterställning"].first == 2
        assert rows["Klätterställning"].mean_rank == 1
        assert rows["Gungor"].points == 3
        assert rows["Fotbollsplan"].points == 2 + 3
        assert rows["Fotbollsplan"].mean_rank == pytest.approx(2.5)
        assert ranking.ranks[0].label == "Klätterställning"

    def test_a_changed_wording_is_shown_with_the_answers_per_version(self, filled):
        s, people = filled
        single = s.questions.get(kind=Kind.SINGLE)
        QuestionVersion.objects.create(question=single, number=1, text="Hur ofta är du där?")
        single.version = 2
        single.text = "Hur ofta besöker du skolgården?"
        single.save()
        response(s, {single: "C"})
        counted = _by_kind(s)[Kind.SINGLE]
        assert counted.answered == 4  # all wordings together
        assert counted.versions == [
            (1, "Hur ofta är du där?", 3),
            (2, "Hur ofta besöker du skolgården?", 1),
        ]
        client_page = results.question_results(s)
        assert client_page  # and the page says so:

    def test_a_survey_without_answers_has_zero_counts(self):
        s = survey_of_every_kind()
        assert results.respondents(s).total == 0
        assert all(r.answered == 0 for r in results.question_results(s))


class TestCrossTables:
    def test_answers_by_age_band_with_no_answer_last(self, filled):
        s, _people = filled
        table = results.cross_table(s.questions.get(kind=Kind.SINGLE), results.Background.AGE_BAND)
        assert table.columns == ["16–19 år", "65–79 år", "Inget svar"]
        assert table.rows[0] == ("Gungor", [1, 1, 0])
        assert table.rows[1] == ("Klätterställning", [0, 0, 1])
        assert table.totals == [1, 1, 1]

    def test_by_area_names_the_areas_and_counts_each_chosen_option(self, filled):
        s, _people = filled
        table = results.cross_table(s.questions.get(kind=Kind.MULTIPLE), results.Background.AREA)
        assert table.columns == ["Norr", "Söder"]
        assert table.rows[1] == ("Klätterställning", [1, 1])

    def test_yes_no_by_gender_and_by_target_group(self, filled):
        s, _people = filled
        yes_no = s.questions.get(kind=Kind.YES_NO)
        by_gender = results.cross_table(yes_no, results.Background.GENDER)
        assert by_gender.columns == ["Kvinna", "Inget svar"]
        assert by_gender.rows == [("Ja", [1, 1]), ("Nej", [0, 1])]
        by_group = results.cross_table(yes_no, results.Background.TARGET_GROUP)
        assert by_group.columns == ["Unga", "Inget svar"]

    def test_the_page_shows_the_table(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        single = s.questions.get(kind=Kind.SINGLE)
        page = client.get(
            reverse("surveys:results_cross", args=[s.pk]), {"fraga": single.pk, "efter": "alder"}
        )
        assert page.status_code == 200
        assert "65–79 år" in page.content.decode()

    def test_a_question_of_another_survey_is_refused_with_a_message(self, client, filled):
        s, people = filled
        other = survey_of_every_kind()
        client.force_login(people.official)
        page = client.get(
            reverse("surveys:results_cross", args=[s.pk]),
            {"fraga": other.questions.first().pk, "efter": "alder"},
        )
        assert page.status_code == 400
        assert "error-summary" in page.content.decode()


class TestFreeText:
    def test_search_and_tag_filter(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        url = reverse("surveys:results_free_text", args=[s.pk])
        page = client.get(url, {"q": "gungor"}).content.decode()
        assert "Fler gungor behövs" in page and "Mer grönska" not in page
        answer = results.free_text_answers(s, query="grönska").get()
        tagged = client.post(
            reverse("surveys:results_answer_tag", args=[s.pk, answer.pk]),
            {"name": "Natur", "next": url},
        )
        assert tagged.status_code == 302
        tag = AnswerTag.objects.get(survey=s, name="Natur")
        page = client.get(url, {"tagg": tag.pk}).content.decode()
        assert "Mer grönska" in page and "Fler gungor behövs" not in page
        assert AuditEntry.objects.filter(action="survey.answer_tagged").exists()
        client.post(reverse("surveys:results_answer_untag", args=[s.pk, answer.pk, tag.pk]))
        assert not answer.tags.exists()

    def test_a_tag_of_the_same_name_is_reused_whatever_its_case(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        for answer in results.free_text_answers(s):
            client.post(
                reverse("surveys:results_answer_tag", args=[s.pk, answer.pk]), {"name": "trygghet"}
            )
            client.post(
                reverse("surveys:results_answer_tag", args=[s.pk, answer.pk]), {"name": "Trygghet"}
            )
        assert AnswerTag.objects.filter(survey=s).count() == 1
        assert results.tags(s).get().used == 3

    def test_an_empty_tag_is_refused_with_a_message(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        answer = results.free_text_answers(s).first()
        page = client.post(
            reverse("surveys:results_answer_tag", args=[s.pk, answer.pk]),
            {"name": " "},
            follow=True,
        )
        assert "Skriv taggens namn" in page.content.decode()
        assert not AnswerTag.objects.exists()

    @pytest.mark.parametrize("back", ["²", "surveys:results_staff", "//evil.example/"])
    def test_a_back_address_that_is_no_path_here_returns_to_the_free_text(
        self, client, filled, back
    ):
        s, people = filled
        client.force_login(people.official)
        answer = results.free_text_answers(s).first()
        page = client.post(
            reverse("surveys:results_answer_tag", args=[s.pk, answer.pk]),
            {"name": "trygghet", "next": back},
        )
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("surveys:results_free_text", args=[s.pk]))

    def test_started_answers_are_never_listed(self, filled):
        s, _people = filled
        q = _questions(s)
        response(s, {q[Kind.SHORT_TEXT]: "Halvfärdigt"}, submitted=False)
        assert not results.free_text_answers(s, query="Halvfärdigt").exists()

    def test_tagged_answers_become_a_result_item_of_the_dialogue(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        answer = results.free_text_answers(s, query="gungor").get()
        client.post(reverse("surveys:results_answer_tag", args=[s.pk, answer.pk]), {"name": "Lek"})
        tag = AnswerTag.objects.get(name="Lek")
        url = reverse("surveys:results_tag_item", args=[s.pk, tag.pk])
        assert client.get(url).status_code == 200
        made = client.post(url, {"title": "Fler gungor", "kind": ItemKind.SIMPLE})
        assert made.status_code == 302
        item = ResultItem.objects.get(dialogue=s.dialogue)
        assert item.kind == ItemKind.SIMPLE
        assert s.title in item.description
        assert "”Fler gungor behövs”" in item.description
        assert f"?tagg={tag.pk}" in item.description

    def test_party_political_needs_the_politician(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        tag = AnswerTag.objects.create(survey=s, name="Politik")
        page = client.post(
            reverse("surveys:results_tag_item", args=[s.pk, tag.pk]),
            {"title": "Fråga", "kind": ItemKind.PARTY_POLITICAL},
        )
        assert page.status_code == 400
        assert not ResultItem.objects.exists()


class TestPlacesAndExports:
    def test_geojson_is_a_feature_collection_with_the_question_only(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        data = json.loads(client.get(reverse("surveys:results_geojson", args=[s.pk])).content)
        assert data["type"] == "FeatureCollection"
        (feature,) = data["features"]
        assert feature["geometry"] == {"type": "Point", "coordinates": [18.06, 59.33]}
        assert feature["properties"] == {"question": "Var på skolgården behövs det något nytt?"}

    def test_places_page_lists_the_coordinates_without_javascript(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        page = client.get(reverse("surveys:results_places", args=[s.pk])).content.decode()
        assert "59,33" in page or "59.33" in page

    def _forbidden(self, s, people):
        uuids = [str(pk) for pk in s.responses.values_list("pk", flat=True)]
        return [
            *uuids,
            "KV-123456",
            people.official.email,
            str(people.official),
            "Biblioteket",
        ]

    def test_csv_is_excel_ready_and_names_nobody(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        got = client.get(reverse("surveys:results_csv", args=[s.pk]))
        body = b"".join(got.streaming_content).decode("utf-8")
        assert body.startswith("\ufeff")
        table = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
        assert len(table) == 4  # header + the three submitted
        assert table[0][:3] == ["Nr", "Inskickad", "Kanal"]
        assert [row[0] for row in table[1:]] == ["1", "2", "3"]
        assert "papper" in [row[2] for row in table[1:]]
        for secret in self._forbidden(s, people):
            assert secret not in body
        assert not re.search(r"[\w.]+@[\w.]+", body)
        assert not re.search(r"\+?46\d{7,}|07\d{8}", body)
        assert "Gungor; Klätterställning" in body
        assert "1. Klätterställning; 2. Gungor" in body

    def test_xlsx_has_the_same_rows_and_names_nobody(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        got = client.get(reverse("surveys:results_xlsx", args=[s.pk]))
        sheet = load_workbook(io.BytesIO(got.content)).active
        cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
        assert len(cells) == 4
        flat = " ".join(str(c) for row in cells for c in row if c is not None)
        for secret in self._forbidden(s, people):
            assert secret not in flat

    def test_free_text_that_looks_like_a_formula_is_defused(self, filled):
        s, _people = filled
        q = _questions(s)
        response(s, {q[Kind.SHORT_TEXT]: '=HYPERLINK("x")'})
        assert "'=HYPERLINK" in "".join(exports.csv_lines(s))


class TestPages:
    def test_staff_page_shows_counts_charts_and_tables(self, client, filled):
        s, people = filled
        client.force_login(people.official)
        page = client.get(reverse("surveys:results_staff", args=[s.pk])).content.decode()
        assert "3 svarande" in page
        assert 'role="img"' in page and "<title id=" in page
        assert "Ingen befolkningsstatistik är inläst" in page
        assert "Medelvärde 4,0" in page or "Medelvärde 4.0" in page

    def test_staff_page_queries_do_not_grow_with_answers(
        self, client, filled, django_assert_max_num_queries
    ):
        s, people = filled
        q = _questions(s)
        client.force_login(people.official)
        url = reverse("surveys:results_staff", args=[s.pk])
        client.get(url)
        for n in range(40):
            response(
                s, {q[Kind.SINGLE]: "ABCD"[n % 4], q[Kind.RANKING]: ["A", "B"]}, age_band="30-44"
            )
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(20):
            assert client.get(reverse("surveys:results_free_text", args=[s.pk])).status_code == 200

    def test_empty_survey_pages_say_so(self, client):
        dialogue, people = survey_dialogue()
        s = survey(dialogue)
        client.force_login(people.official)
        assert (
            "Enkäten har inga frågor"
            in client.get(reverse("surveys:results_staff", args=[s.pk])).content.decode()
        )
        assert (
            "Inga fritextsvar har kommit in"
            in client.get(reverse("surveys:results_free_text", args=[s.pk])).content.decode()
        )
        assert (
            "ingen fråga om en plats"
            in client.get(reverse("surveys:results_places", args=[s.pk])).content.decode()
        )

    def test_others_are_refused_and_visitors_sent_to_log_in(self, client, filled):
        s, _people = filled
        url = reverse("surveys:results_csv", args=[s.pk])
        assert client.get(url).status_code == 302
        client.force_login(user_with_role(Role.CONTACT_CENTRE))
        for name in ("results_staff", "results_free_text", "results_csv", "results_geojson"):
            assert client.get(reverse(f"surveys:{name}", args=[s.pk])).status_code == 403

    def test_chart_is_accessible_svg(self, filled):
        single = _by_kind(filled[0])[Kind.SINGLE]
        svg = str(charts.question_chart(single))
        assert 'role="img"' in svg
        assert f'aria-labelledby="diagram-fraga-{single.question.pk}-title' in svg
        assert "<title>Gungor: 2 svar</title>" in svg


class TestSummaryAndPublicResults:
    def _publish(self, client, s, people, text="De flesta vill ha gungor."):
        client.force_login(people.official)
        return client.post(
            reverse("surveys:results_summary", args=[s.pk]), {"text": text, "publicera": "1"}
        )

    def test_publishing_is_audited_and_shows_on_the_dialogue_page(self, client, filled):
        s, people = filled
        assert self._publish(client, s, people).status_code == 302
        s.refresh_from_db()
        assert s.summary_published_at is not None
        assert AuditEntry.objects.filter(action="survey.summary_published").exists()
        client.logout()
        page = client.get(s.dialogue.get_absolute_url()).content.decode()
        assert "De flesta vill ha gungor." in page

    def test_publishing_an_empty_summary_is_refused(self, client, filled):
        s, people = filled
        page = self._publish(client, s, people, text="")
        assert page.status_code == 400
        s.refresh_from_db()
        assert s.summary_published_at is None

    def test_public_results_wait_for_closing_and_the_summary(self, client, filled):
        s, people = filled
        url = reverse("surveys:results_public", args=[s.pk])
        self._publish(client, s, people)
        client.logout()
        page = client.get(url).content.decode()
        assert "Resultatet visas här när enkäten har stängt" in page
        assert 'role="img"' not in page
        s.refresh_from_db()
        s.status = Status.CLOSED
        s.save()
        page = client.get(url).content.decode()
        assert 'role="img"' in page
        assert "Gungor" in page
        assert "Fler gungor behövs" not in page  # never free text in public
        assert "59.33" not in page

    def test_a_draft_survey_has_no_public_results(self, client, filled):
        s, _people = filled
        s.status = Status.DRAFT
        s.save()
        assert client.get(reverse("surveys:results_public", args=[s.pk])).status_code == 404

    def test_the_summary_can_start_the_dialogue_summary(self, client, filled):
        s, people = filled
        self._publish(client, s, people)
        page = client.get(
            reverse("results:summary_publish", args=[s.dialogue.pk]),
            {"tillagg": "Enkäten: Gungor"},
        )
        if page.status_code == 200:
            assert "Enkäten: Gungor" in page.content.decode()


def test_response_status_values_are_the_models():
    assert ResponseStatus.SUBMITTED == "inskickad"
    assert section and question


def test_demo_fills_surveys_without_answers_and_publishes_one_summary():
    from torget.core.demo import DemoContext
    from torget.surveys import results_demo

    dialogue, people = survey_dialogue()
    s = survey_of_every_kind(dialogue, status=Status.CLOSED)
    context = DemoContext(password="x", users={Role.OFFICIAL: people.official})
    results_demo.load(context)
    s.refresh_from_db()
    assert results.respondents(s).total == results_demo.RESPONSES
    assert s.summary_published_at is not None
    again = DemoContext(password="x", users={Role.OFFICIAL: people.official})
    results_demo.load(again)
    assert again.changes == 0


def test_representativeness_compares_with_the_imported_population_and_flags_the_under_reached(
    client, filled
):
    from torget.geo.services import population_import
    from torget.geo.tests.test_population import upload

    s, people = filled
    client.force_login(people.official)
    url = reverse("surveys:results_staff", args=[s.pk])
    assert "Ingen befolkningsstatistik" in client.get(url).content.decode()
    north = s.responses.exclude(area=None).first().area
    population_import(
        file=upload(
            f"område;åldersgrupp;antal\n{north.slug};16-19;400\n{north.slug};45-64;500\n{north.slug};65-79;600\n"
        ),
        actor=None,
    )
    (by_age, ages), (by_area, _areas) = results.representativeness(s)
    assert ages.has_population
    assert {row.age_band for row in ages.under_reached} == {"45-64"}  # nobody of 45–64
    page = client.get(url).content.decode()
    assert "Ingen befolkningsstatistik" not in page
    assert "nåddes för lite" in page
