"""Fråge- och lösningsstatistik: the figures, the public and staff pages, the CSV export."""

import csv
import datetime
import io
import random
import statistics as pystats
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.feedback import services
from torget.feedback.models import CaseStatus, Kind
from torget.feedback.statistics import case_statistics, default_period, percentile
from torget.feedback.tests.factories import CategoryFactory, OpinionCategoryFactory, make_case
from torget.geo.tests.factories import AreaFactory, square
from torget.organisation.models import Municipality
from torget.organisation.tests.factories import AdministrationFactory, UnitFactory

pytestmark = pytest.mark.django_db

# A year of cases: 2026 in full.
YEAR = {"start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 12, 31)}


@pytest.fixture(autouse=True)
def municipality():
    municipality, _ = Municipality.objects.update_or_create(
        pk=Municipality.SINGLETON_PK,
        defaults={"name": "Storeby", "feedback_sla_days": 5, "feedback_retention_months": 24},
    )
    return municipality


@pytest.fixture
def handler():
    return user_with_role(Role.CONTACT_CENTRE)


def received(when, **kwargs):
    with freeze_time(when):
        return make_case(**kwargs)


def reply(case, when, handler):
    with freeze_time(when):
        services.case_reply(case=case, actor=handler, text="Tack, vi åtgärdar det.")
    case.refresh_from_db()
    return case


def close(case, when, handler):
    with freeze_time(when):
        services.case_set_status(
            case=case, status=CaseStatus.objects.get(slug="avslutat"), actor=handler
        )
    case.refresh_from_db()
    return case


def rows(figures):
    return {row.label: row.count for row in figures}


class TestPercentile:
    @pytest.mark.parametrize("seed", range(5))
    def test_agrees_with_linear_interpolation_of_the_standard_library(self, seed):
        generator = random.Random(seed)
        values = [generator.randint(0, 40) for _ in range(generator.randint(1, 300))]
        histogram = Counter(values)
        assert percentile(histogram, 0.5) == pytest.approx(pystats.median(values))
        if len(values) > 1:
            p90 = pystats.quantiles(values, n=10, method="inclusive")[8]
            assert percentile(histogram, 0.9) == pytest.approx(p90)

    def test_nothing_measured_has_no_percentile(self):
        assert percentile(Counter(), 0.5) is None

    def test_interpolates_between_the_closest_ranks(self):
        # Ranks 0..9 of 1,2,…,10: the 90th percentile lies at rank 8.1.
        assert percentile(Counter(range(1, 11)), 0.9) == pytest.approx(9.1)


def test_the_default_period_is_the_last_twelve_months_this_one_included():
    assert default_period(datetime.date(2026, 3, 15)) == (
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
    )


class TestCounts:
    def test_per_category_area_administration_kind_and_month(self):
        AreaFactory(name="Norrby", geometry=square(15.0, 58.0, 1.0))
        lamps = CategoryFactory(name="Gatubelysning")
        potholes = CategoryFactory(name="Gropar i vägen")
        school = OpinionCategoryFactory(name="Skola")
        received("2026-01-10 10:00:00+01:00", category=lamps)
        received("2026-01-20 10:00:00+01:00", category=lamps)
        received("2026-03-05 10:00:00+01:00", category=potholes)
        received("2026-03-06 10:00:00+01:00", kind=Kind.COMPLAINT, category=school)
        # Outside the year: not counted.
        received("2025-12-31 23:30:00+01:00", category=lamps)

        stats = case_statistics(**YEAR)

        assert stats.total == 4 and stats.open == 4 and stats.closed == 0
        assert rows(stats.per_category) == {"Gatubelysning": 2, "Gropar i vägen": 1, "Skola": 1}
        assert stats.per_category[0].label == "Gatubelysning"  # largest first
        # Fault reports are placed by their pin; the opinion has no place.
        assert rows(stats.per_area) == {"Norrby": 3, "Utan område": 1}
        assert rows(stats.per_kind) == {"Felanmälan": 3, "Klagomål": 1}
        assert rows(stats.per_administration) == {
            lamps.administration.name: 2,
            potholes.administration.name: 1,
            school.administration.name: 1,
        }
        assert len(stats.per_month) == 12
        assert stats.per_month[0] == (datetime.date(2026, 1, 1), 2)
        assert stats.per_month[1] == (datetime.date(2026, 2, 1), 0)
        assert stats.per_month[2] == (datetime.date(2026, 3, 1), 2)

    def test_a_case_counts_in_the_local_month_it_came_in(self):
        # 00:30 on 1 February in Sweden is 23:30 on 31 January in UTC: it is February's.
        received("2026-02-01 00:30:00+01:00")
        stats = case_statistics(**YEAR)
        assert stats.per_month[0][1] == 0 and stats.per_month[1][1] == 1

    def test_merged_duplicates_are_not_counted(self, handler):
        category = CategoryFactory()
        original = received("2026-02-01 10:00:00+01:00", category=category)
        duplicate = received("2026-02-02 10:00:00+01:00", category=category)
        services.case_merge(duplicate=duplicate, into=original, actor=handler)
        stats = case_statistics(**YEAR)
        assert stats.total == 1
        assert rows(stats.per_category) == {category.name: 1}
        assert stats.resolution_days.count == 0  # the merged one was closed, but isn't counted

    def test_filter_by_kind_and_by_administration(self):
        lamps = CategoryFactory()
        school = OpinionCategoryFactory()
        received("2026-04-01 10:00:00+02:00", category=lamps)
        received("2026-04-01 11:00:00+02:00", kind=Kind.QUESTION, category=school)
        received("2026-04-01 12:00:00+02:00", kind=Kind.PRAISE, category=school)

        assert case_statistics(**YEAR, kind_group="felanmalan").total == 1
        assert case_statistics(**YEAR, kind_group="synpunkter").total == 2
        only_school = case_statistics(**YEAR, administration_id=school.administration_id)
        assert only_school.total == 2
        assert rows(only_school.per_category) == {school.name: 2}


class TestTimes:
    def test_first_response_is_counted_in_working_days_over_christmas(self, handler):
        # Received the day before julafton, answered on the Monday after Christmas: julafton,
        # juldagen and the weekend are not working days, so it took 1 working day.
        first = received("2026-12-23 09:00:00+01:00")
        reply(first, "2026-12-28 15:00:00+01:00", handler)
        # Received on 22 December, answered on 29 December: 23, 28 and 29 → 3 working days.
        second = received("2026-12-22 09:00:00+01:00")
        reply(second, "2026-12-29 09:00:00+01:00", handler)
        # Answered the same day: 0 working days.
        third = received("2026-12-21 09:00:00+01:00")
        reply(third, "2026-12-21 16:00:00+01:00", handler)

        times = case_statistics(**YEAR).first_response_days
        assert times.count == 3
        assert times.median == 1
        assert times.p90 == pytest.approx(1 + 0.8 * 2)  # rank 1.8 of 0, 1, 3

    def test_resolution_is_counted_in_calendar_days(self, handler):
        quick = received("2026-05-04 08:00:00+02:00")
        close(quick, "2026-05-05 20:00:00+02:00", handler)  # 36 hours
        slow = received("2026-05-04 08:00:00+02:00")
        close(slow, "2026-05-14 08:00:00+02:00", handler)  # 10 days
        received("2026-05-04 08:00:00+02:00")  # still open: not measured

        stats = case_statistics(**YEAR)
        assert stats.closed == 2 and stats.open == 1
        assert stats.resolution_days.count == 2
        assert stats.resolution_days.median == pytest.approx((1.5 + 10) / 2)
        assert stats.resolution_days.p90 == pytest.approx(1.5 + 0.9 * 8.5)

    def test_share_answered_within_the_service_level(self, handler):
        # All received Monday 2 March 2026 with 5 working days: due Monday 9 March.
        in_time = received("2026-03-02 10:00:00+01:00")
        assert in_time.respond_by == datetime.date(2026, 3, 9)
        reply(in_time, "2026-03-09 16:59:00+01:00", handler)
        late = received("2026-03-02 10:00:00+01:00")
        reply(late, "2026-03-10 08:00:00+01:00", handler)
        received("2026-03-02 10:00:00+01:00")  # never answered, past due: not within
        received("2026-03-06 10:00:00+01:00")  # not answered, but may still be in time

        stats = case_statistics(**YEAR, today=datetime.date(2026, 3, 11))
        assert stats.answered_in_time == 1
        assert stats.service_level_measured == 3
        assert stats.share_in_time == pytest.approx(100 / 3)
        assert stats.service_level_days == 5

    def test_statistics_name_handling_unit_and_service_level_result(self, client, handler):
        # Per handling unit: its cases, answered within the service level, median to answer;
        # on the page and in the export. A case given to no unit counts on its förvaltning.
        sbf = AdministrationFactory(name="Samhällsbyggnad")
        park = UnitFactory(administration=sbf, name="Gata och park")
        lamps = CategoryFactory(name="Gatubelysning", administration=sbf, unit=park)
        plain = CategoryFactory(name="Annat", administration=sbf)
        # Received Monday 2 March 2026 with 5 working days: due Monday 9 March.
        reply(received("2026-03-02 10:00:00+01:00", category=lamps), "2026-03-03 09:00", handler)
        reply(received("2026-03-02 10:00:00+01:00", category=lamps), "2026-03-10 09:00", handler)
        received("2026-03-02 10:00:00+01:00", category=lamps)  # past due, never answered
        reply(received("2026-03-02 10:00:00+01:00", category=plain), "2026-03-04 09:00", handler)

        stats = case_statistics(**YEAR, today=datetime.date(2026, 3, 11))
        results = {result.label: result for result in stats.per_unit}
        assert list(results) == ["Gata och park (Samhällsbyggnad)", "Samhällsbyggnad"]
        unit = results["Gata och park (Samhällsbyggnad)"]
        assert (unit.count, unit.answered_in_time, unit.service_level_measured) == (3, 1, 3)
        assert unit.share_in_time == pytest.approx(100 / 3)
        assert unit.first_response_median == pytest.approx((1 + 6) / 2)
        alone = results["Samhällsbyggnad"]
        assert (alone.count, alone.answered_in_time, alone.share_in_time) == (1, 1, 100)
        assert alone.first_response_median == 2

        client.force_login(handler)
        with freeze_time("2026-03-11 12:00:00+01:00"):
            page = client.get(staff_url("feedback:staff_statistics", fran="2026-01"))
            public = client.get(public_url(fran="2026-01"))
            export = client.get(staff_url("feedback:staff_statistics_csv", fran="2026-01"))
        for response in (page, public):
            html = response.content.decode()
            assert "Servicenivå per handläggande enhet" in html
            assert '<th scope="row">Gata och park (Samhällsbyggnad)</th>' in html
            assert "33 % (1 av 3)" in html
        body = export.content.decode("utf-8")[1:]
        lines = list(csv.reader(io.StringIO(body), delimiter=";"))
        section = "Per handläggande enhet: Gata och park (Samhällsbyggnad)"
        assert [section, "Antal ärenden", "3"] in lines
        assert [section, "I tid", "1"] in lines
        assert [section, "Andel i procent", "33,3"] in lines
        assert [section, "Median till första svar (arbetsdagar)", "3,5"] in lines
        assert ["Per handläggande enhet: Samhällsbyggnad", "Andel i procent", "100,0"] in lines

    def test_no_cases_no_figures(self):
        stats = case_statistics(**YEAR)
        assert stats.total == 0
        assert stats.share_in_time is None
        assert stats.first_response_days.median is None
        assert stats.resolution_days.p90 is None
        assert [count for _month, count in stats.per_month] == [0] * 12


# --- Pages -------------------------------------------------------------------------------------


def public_url(**query):
    from urllib.parse import urlencode

    return reverse("feedback:statistics") + ("?" + urlencode(query) if query else "")


@pytest.fixture
def some_cases(handler):
    lamps = CategoryFactory(name="Gatubelysning")
    school = OpinionCategoryFactory(name="Skolmat")
    answered = received(
        "2026-02-02 10:00:00+01:00",
        category=lamps,
        reporter_name="Anna Andersson",
        reporter_email="anna@example.se",
        reply_channel="epost",
        description="Lampan utanför Storgatan 12 är släckt.",
    )
    reply(answered, "2026-02-03 10:00:00+01:00", handler)
    close(answered, "2026-02-05 10:00:00+01:00", handler)
    received(
        "2026-02-10 10:00:00+01:00",
        kind=Kind.COMPLAINT,
        category=school,
        reporter_phone="070-123 45 67",
        description="Maten var kall i onsdags.",
    )
    return lamps, school


class TestPublicPage:
    def test_everyone_sees_the_anonymous_figures_with_charts_and_tables(self, client, some_cases):
        with freeze_time("2026-03-01 12:00:00+01:00"):
            response = client.get(public_url(fran="2026-01", till="2026-12"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Gatubelysning" in page and "Skolmat" in page
        # A chart per month and per category, each an image with a title and a description.
        assert page.count('<svg class="chart"') == 2
        assert '<title id="arenden-per-manad-title">Ärenden per månad</title>' in page
        assert "<title>februari 2026: 2 ärenden</title>" in page
        assert "<title>Gatubelysning: 1 ärende</title>" in page
        # The same numbers as a table.
        assert "<caption>Ärenden per månad</caption>" in page
        assert (
            '<th scope="row"><time datetime="2026-02">februari 2026</time></th><td>2</td>' in page
        )
        assert "i arbetsdagar" in page and "i kalenderdagar" in page
        # One answered the next working day; the complaint passed its due day unanswered.
        assert "50 % (1 av 2 ärenden)" in page

    def test_no_personal_data_or_free_text_on_the_public_page(self, client, some_cases):
        page = client.get(public_url(fran="2026-01", till="2026-12")).content.decode()
        for secret in ("Anna", "anna@example.se", "070-123", "Storgatan", "Maten var kall"):
            assert secret not in page

    def test_the_default_is_the_last_twelve_months(self, client):
        with freeze_time("2026-06-15 12:00:00+02:00"):
            received("2026-06-01 12:00:00+02:00")
            page = client.get(public_url()).content.decode()
        assert "Ärenden som kom in från juli 2025 till juni 2026" in page
        assert 'name="fran" value="2025-07"' in page and 'name="till" value="2026-06"' in page

    def test_a_period_without_cases_says_so(self, client):
        response = client.get(public_url(fran="2020-01", till="2020-12"))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Inga ärenden kom in under perioden." in page
        assert "<svg" not in page

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ({"fran": "2026-13"}, "Skriv månaden som år och månad"),
            ({"fran": "2026-05", "till": "2026-01"}, "Slutmånaden kan inte vara före startmånaden"),
            ({"fran": "2010-01", "till": "2026-01"}, "högst 60 månader"),
        ],
    )
    def test_a_bad_period_is_explained(self, client, query, message):
        response = client.get(public_url(**query))
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page and "error-summary" in page
        assert "<svg" not in page

    def test_the_kind_filter(self, client, some_cases):
        page = client.get(public_url(fran="2026-01", till="2026-12", typ="synpunkter"))
        content = page.content.decode()
        assert "Skolmat" in content and "Gatubelysning" not in content

    def test_figures_survive_without_the_reporters_data(self, client, some_cases, handler):
        with freeze_time("2030-01-01 03:00:00+01:00"):
            assert services.cases_anonymize_expired() == 1
        page = client.get(public_url(fran="2026-01", till="2026-12")).content.decode()
        assert "<title>Gatubelysning: 1 ärende</title>" in page

    def test_the_public_figures_are_shared_for_a_few_minutes(self, client):
        received("2026-03-03 10:00:00+01:00")
        url = public_url(fran="2026-01", till="2026-12")
        with freeze_time("2026-11-30 10:00:00+01:00"):
            assert client.get(url).context["stats"].total == 1
            received("2026-03-04 10:00:00+01:00")
            assert client.get(url).context["stats"].total == 1
        with freeze_time("2026-11-30 10:06:00+01:00"):
            assert client.get(url).context["stats"].total == 2

    def test_queries_do_not_grow_with_the_number_of_cases(self, client, handler):
        def queries():
            cache.clear()  # the public figures are shared for a few minutes
            with CaptureQueriesContext(connection) as captured:
                assert client.get(public_url(fran="2026-01", till="2026-12")).status_code == 200
            return len(captured)

        case = received("2026-03-03 10:00:00+01:00")
        close(
            reply(case, "2026-03-04 10:00:00+01:00", handler), "2026-03-05 10:00:00+01:00", handler
        )
        few = queries()
        for day in range(1, 25):
            case = received(f"2026-04-{day:02d} 10:00:00+02:00", category=CategoryFactory())
            if day % 2:
                close(
                    reply(case, f"2026-04-{day + 1:02d} 10:00:00+02:00", handler),
                    "2026-05-01 10:00:00+02:00",
                    handler,
                )
        assert queries() == few


def staff_url(name="feedback:staff_statistics", **query):
    from urllib.parse import urlencode

    return reverse(name) + ("?" + urlencode(query) if query else "")


class TestStaffPage:
    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        for name in ("feedback:staff_statistics", "feedback:staff_statistics_csv"):
            response = client.get(staff_url(name))
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))

    def test_citizens_are_refused(self, client):
        client.force_login(CitizenFactory())
        assert client.get(staff_url()).status_code == 403
        assert client.get(staff_url("feedback:staff_statistics_csv")).status_code == 403

    @pytest.mark.parametrize("role", [Role.CONTACT_CENTRE, Role.OFFICIAL, Role.ELECTED])
    def test_roles_with_the_permission_see_the_page(self, client, role, some_cases):
        client.force_login(user_with_role(role))
        response = client.get(staff_url(fran="2026-01", till="2026-12"))
        assert response.status_code == 200
        page = response.content.decode()
        assert 'name="forvaltning"' in page
        assert reverse("feedback:staff_statistics_csv") + "?fran=2026-01&amp;till=2026-12" in page

    def test_the_inbox_is_linked_only_for_those_who_handle_cases(self, client):
        # An elected official sees the statistics but may not open the inbox.
        inbox = f'href="{reverse("feedback:staff_inbox")}"'
        client.force_login(user_with_role(Role.ELECTED))
        assert inbox not in client.get(staff_url()).content.decode()
        client.force_login(user_with_role(Role.CONTACT_CENTRE))
        assert inbox in client.get(staff_url()).content.decode()

    def test_filter_by_administration(self, client, handler, some_cases):
        lamps, school = some_cases
        AdministrationFactory(name="Tom förvaltning")
        client.force_login(handler)
        response = client.get(
            staff_url(fran="2026-01", till="2026-12", forvaltning=school.administration.slug)
        )
        stats = response.context["stats"]
        assert stats.total == 1 and stats.per_category[0].label == "Skolmat"
        assert "Tom förvaltning" in response.content.decode()  # offered in the filter


class TestCsv:
    def read(self, response):
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff")
        return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))

    def test_the_aggregate_figures_for_excel(self, client, handler, some_cases):
        client.force_login(handler)
        response = client.get(
            staff_url("feedback:staff_statistics_csv", fran="2026-01", till="2026-12")
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="arendestatistik-2026-01-2026-12.csv"' in response["Content-Disposition"]
        lines = self.read(response)
        assert lines[0] == ["Avsnitt", "Vad", "Värde"]
        assert ["Antal ärenden", "Totalt", "2"] in lines
        assert ["Per månad", "2026-02", "2"] in lines
        assert ["Per kategori", "Gatubelysning", "1"] in lines
        assert ["Per typ", "Klagomål", "1"] in lines
        assert ["Tid till första svar (arbetsdagar)", "Median", "1,0"] in lines
        assert ["Tid till avslut (kalenderdagar)", "Median", "3,0"] in lines
        body = response.content.decode()
        for secret in ("Anna", "anna@example.se", "070-123", "Storgatan", "Maten var kall"):
            assert secret not in body

    def test_a_name_that_looks_like_a_formula_stays_text(self, client, handler):
        received("2026-02-02 10:00:00+01:00", category=CategoryFactory(name="=HYPERLINK(1)"))
        client.force_login(handler)
        lines = self.read(
            client.get(staff_url("feedback:staff_statistics_csv", fran="2026-01", till="2026-12"))
        )
        assert ["Per kategori", "'=HYPERLINK(1)", "1"] in lines

    def test_a_bad_period_is_refused(self, client, handler):
        client.force_login(handler)
        response = client.get(staff_url("feedback:staff_statistics_csv", fran="2026-13"))
        assert response.status_code == 400


class TestCharts:
    def test_many_categories_share_the_last_bar_and_the_table_keeps_them_all(self):
        from torget.feedback.statistics import Row
        from torget.feedback.stats_charts import MAX_BARS, rows_svg

        rows = [Row(label=f"Kategori {n}", count=100 - n) for n in range(MAX_BARS + 5)]
        svg = str(rows_svg(rows, title="Ärenden per kategori", chart_id="k"))
        assert svg.count("<rect") == MAX_BARS
        rest = sum(row.count for row in rows[MAX_BARS - 1 :])
        assert f"<title>Övriga (6): {rest} ärenden</title>" in svg
        assert '<desc id="k-desc">20 grupper, sammanlagt' in svg

    def test_month_labels_name_each_year_once(self):
        from torget.feedback.statistics import months_between
        from torget.feedback.stats_charts import months_svg

        months = [
            (m, 1) for m in months_between(datetime.date(2025, 6, 1), datetime.date(2026, 12, 31))
        ]
        svg = str(months_svg(months))
        # Every second month is named; each year once, under its first month shown.
        assert ">jun<" in svg and ">jul<" not in svg and ">aug<" in svg and ">feb<" in svg
        assert svg.count(">2025<") == 1 and svg.count(">2026<") == 1
        assert svg.count("<rect") == len(months)

    def test_names_are_escaped(self):
        from torget.feedback.statistics import Row
        from torget.feedback.stats_charts import rows_svg

        svg = str(rows_svg([Row(label="<script>", count=1)], title="T", chart_id="k"))
        assert "<script>" not in svg and "&lt;script&gt;" in svg
