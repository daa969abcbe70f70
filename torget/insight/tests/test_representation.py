"""Representativeness: the sources count what the process apps hold, the comparison flags the
under-reached groups, and no page shows a number below 5."""

import datetime
import io
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.budget.models import VoteMark
from torget.budget.tests.factories import budget_round
from torget.consultations.models import Choice
from torget.consultations.tests.factories import World, open_
from torget.dialogues.catalogue import CITIZEN_BUDGET, INTERACTIVE_MAP, WEB_FORUM
from torget.dialogues.models import Method, PlannedMethod, TargetGroup
from torget.dialogues.tests.factories import cast, decide, initiative, opened, plan
from torget.forum.models import Forum
from torget.forum.tests.factories import post, thread
from torget.geo.services import population_import
from torget.geo.tests.factories import AreaFactory
from torget.insight import representation_sources as rs
from torget.insight.area_report import area_report
from torget.insight.dashboard import Period
from torget.insight.representation import (
    representation_for_dialogue,
    representation_overall,
    representation_summary,
)
from torget.mapinput.tests.factories import map_, point
from torget.meetings.models import Registration, RegistrationStatus
from torget.meetings.tests.factories import meeting_for
from torget.surveys.models import Response, ResponseStatus
from torget.surveys.tests.factories import response, survey
from torget.testing.privacy import private_names, scan


def import_population(rows: list[tuple[str, str, int, str]]) -> None:
    lines = ["område;åldersgrupp;antal;målgrupp"] + [";".join(map(str, r)) for r in rows]
    file = io.BytesIO("\n".join(lines).encode())
    file.name = "befolkning.csv"
    population_import(file=file, actor=None)


def planned(dialogue, code):
    return PlannedMethod.objects.create(dialogue=dialogue, method=Method.objects.get(code=code))


class Fixture:
    """One open dialogue in Berga with every source, and numbers known by construction."""

    def __init__(self, *, surveys: int = 12) -> None:
        self.people = cast()
        self.berga = AreaFactory(name="Berga")
        self.ryd = AreaFactory(name="Ryd")
        self.dialogue = opened(self.people, areas=[self.berga])
        import_population(
            [
                ("Berga", "16-19", 100, ""),
                ("Berga", "30-44", 400, ""),
                ("Berga", "65-79", 500, ""),
                ("Ryd", "30-44", 1000, ""),
                ("Berga", "", 100, "barn"),
            ]
        )
        d = self.dialogue
        # Surveys: 12 adults with the target group, 3 teens, 2 said nothing, 6 from Ryd's
        # elderly; a draft answer is not counted.
        s = survey(d)
        for _ in range(surveys):
            response(s, area=self.berga, age_band="30-44", target_groups=["barn"])
        for _ in range(3):
            response(s, area=self.berga, age_band="16-19")
        for _ in range(2):
            response(s)
        for _ in range(6):
            response(s, area=self.ryd, age_band="65-79")
        response(s, submitted=False, age_band="16-19")
        # Meetings: 6 people (one registered for two meetings), one cancelled.
        barn = TargetGroup.objects.get(code="barn")
        first = meeting_for(self.people, dialogue=d)
        second = meeting_for(self.people, dialogue=d)
        for n in range(6):
            Registration.objects.create(
                meeting=first,
                name=f"Deltagare {n}",
                email=f"p{n}@example.org",
                target_group=barn if n < 2 else None,
                status=RegistrationStatus.REGISTERED,
            )
        Registration.objects.create(
            meeting=second,
            name="Deltagare 0",
            email="P0@example.org",
            status=RegistrationStatus.REGISTERED,
        )
        Registration.objects.create(
            meeting=second,
            name="Avanmäld",
            email="gone@example.org",
            status=RegistrationStatus.CANCELLED,
        )
        # A consultation: 7 choices, 5 of them in Berga 30-44.
        consultation = open_(World(people=self.people, dialogue=d, area=self.berga))
        alternative = consultation.alternatives.first()
        for n in range(7):
            Choice.objects.create(
                consultation=consultation,
                person_hash=f"h{n}",
                alternative=alternative,
                age_band="30-44" if n < 5 else "",
                area=self.berga if n < 5 else None,
                chosen_on=consultation.opens_at.date(),
            )
        # The forum: 3 citizens (one writes twice), and an official's answer.
        forum = Forum.objects.create(
            dialogue=d, title="Samtal", intro="Skriv.", planned_method=planned(d, WEB_FORUM)
        )
        writers = [CitizenFactory() for _ in range(3)]
        t = thread(forum, writers[0])
        post(t, writers[0])
        post(t, writers[1])
        post(t, writers[2])
        post(t, self.people.official, badge_kind="tjansteperson", badge="Tjänsteperson")
        # The map: 2 contributors, one of them gives an age band on their second point.
        m = map_(d, planned_method=planned(d, INTERACTIVE_MAP))
        mapper = CitizenFactory()
        point(m, mapper)
        point(m, mapper, age_band="16-19")
        point(m)
        # The budget: 8 voters, 5 of them 30-44.
        round = budget_round(d, people=self.people, planned_method=planned(d, CITIZEN_BUDGET))
        for n in range(8):
            VoteMark.objects.create(
                round=round, person_key=f"k{n}", age_band="30-44" if n < 5 else ""
            )


@pytest.fixture
def world(db):
    return Fixture()


def totals(key: str, dialogue) -> int:
    source = {s.key: s for s in rs.sources()}[key]
    return sum(source.counts([dialogue.pk]).values())


class TestSources:
    def test_each_source_counts_each_person_once_as_a_direct_count_does(self, world):
        d = world.dialogue
        survey_direct = Response.objects.filter(
            survey__dialogue=d, status=ResponseStatus.SUBMITTED
        ).count()
        meeting_direct = len(
            {
                e.lower()
                for e in Registration.objects.filter(meeting__dialogue=d)
                .exclude(status=RegistrationStatus.CANCELLED)
                .values_list("email", flat=True)
            }
        )
        assert totals("surveys", d) == survey_direct == 23
        assert totals("meetings", d) == meeting_direct == 6
        assert totals("consultations", d) == Choice.objects.count() == 7
        assert totals("forum", d) == 3
        assert totals("maps", d) == 2
        assert totals("budget", d) == VoteMark.objects.count() == 8

    def test_the_background_is_what_the_participants_gave(self, world):
        surveys = {s.key: s for s in rs.sources()}["surveys"].counts([world.dialogue.pk])
        assert surveys[rs.Background(world.berga.pk, "30-44", ("barn",))] == 12
        assert surveys[rs.Background()] == 2
        maps = {s.key: s for s in rs.sources()}["maps"].counts([world.dialogue.pk])
        assert maps == {rs.Background(age_band="16-19"): 1, rs.Background(): 1}
        meetings = {s.key: s for s in rs.sources()}["meetings"].counts([world.dialogue.pk])
        assert meetings[rs.Background(target_groups=("barn",))] == 2

    def test_every_dialogue_is_counted_overall(self, world):
        other = opened(world.people, title="Annan dialog")
        response(survey(other), age_band="20-29")
        result = representation_overall()
        assert result.total.count == 23 + 1 + 6 + 7 + 3 + 2 + 8


class TestComparison:
    def test_age_bands_against_the_population_of_the_dialogues_areas(self, world, settings):
        settings.REPRESENTATIVENESS_UNDER_REACHED_RATIO = 0.5
        result = representation_for_dialogue(world.dialogue)
        assert result.has_population and result.population_total == 1000  # Berga only
        by_age = {row.key: row for row in result.breakdowns[0].rows}
        # 30-44: surveys 12 + consultations 5 + budget 5 = 22 of 22+3+6+1 = 32 who gave a band.
        assert by_age["30-44"].total.count == 22
        assert by_age["30-44"].participant_share == pytest.approx(22 / 32)
        assert by_age["30-44"].population_share == pytest.approx(0.4)
        assert not by_age["30-44"].under_reached
        # 16-19: 3 + 1 of 32 = 12.5 % against 10 %: reached, but shown as fewer than 5.
        assert by_age["16-19"].total.text == "färre än 5"
        assert by_age["16-19"].participant_share is None
        assert not by_age["16-19"].under_reached
        # 65-79: 6 of 32 = 19 % against 50 %: under-reached.
        assert by_age["65-79"].under_reached
        assert result.breakdowns[0].under_reached == [by_age["65-79"]]

    def test_areas_outside_the_dialogue_count_as_other(self, world):
        result = representation_for_dialogue(world.dialogue)
        by_area = {row.label: row for row in result.breakdowns[1].rows}
        assert by_area["Berga"].total.count == 12 + 3 + 5
        assert by_area["Ej angivet eller annat"].total.count == result.total.count - 20

    def test_planned_target_groups_are_flagged_when_few_took_part(self, world):
        result = representation_for_dialogue(world.dialogue)
        (barn,) = result.target_groups
        # 2 at meetings, 12 in the survey; the children are 10 % of Berga and 14 of the 29
        # asked: reached.
        assert barn.total.count == 14 and not barn.under_reached
        assert barn.by_source[0].text == "färre än 5"
        assert barn.population == 100
        assert barn.effort == "Workshops på skoltid i alla klasser."

    def test_a_planned_group_with_fewer_than_five_participants_is_under_reached(self, db):
        people = cast()
        dialogue = opened(people)
        response(survey(dialogue), target_groups=["barn"], age_band="30-44")
        (barn,) = representation_for_dialogue(dialogue).target_groups
        assert barn.under_reached and barn.total.text == "färre än 5"

    def test_without_population_there_is_no_comparison(self, db):
        people = cast()
        dialogue = opened(people)
        for _ in range(6):
            response(survey(dialogue), age_band="30-44")
        result = representation_for_dialogue(dialogue)
        assert not result.has_population and result.breakdowns == []
        assert result.total.count == 6

    def test_the_area_report_gets_a_summary_or_none(self, world):
        summary = representation_summary(world.berga)
        assert summary is not None
        html = render_to_string("insight/representation/_summary.html", {"representation": summary})
        assert "Deltagare i områdets dialoger" in html and "<caption>" in html
        assert not [n for n in shown_counts(html) if 0 < n < 5]
        assert representation_summary(world.berga, (None, datetime.date(2000, 1, 1))) is None
        assert representation_summary(AreaFactory(name="Tomt")) is None

    def test_the_area_report_has_a_representativeness_section(self, world):
        today = timezone.localdate()
        period = Period(start=today - datetime.timedelta(days=365), end=today)
        report = area_report(world.berga, period)
        (section,) = [s for s in report.sections if s.title == "Representativitet"]
        assert section.rows and section.headings[0] == "Åldersgrupp"
        shown = [int(cell) for row in section.rows for cell in row[1:2] if cell.isdigit()]
        assert shown and not [n for n in shown if 0 < n < 5]
        assert area_report(AreaFactory(name="Tomt"), period).sections == []


COUNT = re.compile(r"<td>\s*(\d+)\s*</td>")


def shown_counts(html: str) -> list[int]:
    return [int(n) for n in COUNT.findall(html)]


class TestPages:
    def test_the_public_page_shows_no_number_below_five(self, world, client):
        page = client.get(reverse("insight:representation_dialogue", args=[world.dialogue.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "färre än 5" in html and "<svg" in html and "<title" in html
        assert "Nåddes för lite" in html
        assert not [n for n in shown_counts(html) if 0 < n < 5]
        assert "Workshops på skoltid" not in html  # the effort is for the staff page

    def test_the_staff_page_adds_the_planned_effort_and_still_suppresses(self, world, client):
        client.force_login(world.people.official)
        page = client.get(
            reverse("insight:representation_dialogue_staff", args=[world.dialogue.pk])
        )
        html = page.content.decode()
        assert page.status_code == 200 and "Workshops på skoltid" in html
        assert not [n for n in shown_counts(html) if 0 < n < 5]

    def test_no_page_names_a_participant(self, world, client):
        names = private_names(["Deltagare 0", "Avanmäld"])
        client.force_login(world.people.official)
        for url in (
            reverse("insight:representation_dialogue", args=[world.dialogue.pk]),
            reverse("insight:representation_dialogue_staff", args=[world.dialogue.pk]),
            reverse("insight:representation_overall"),
        ):
            html = client.get(url).content.decode()
            main = html[html.index("<main") : html.index("</main>")]
            assert scan(main, where=url, names=names) == []

    def test_the_overall_page_shows_no_number_below_five(self, world, client):
        page = client.get(reverse("insight:representation_overall"))
        assert page.status_code == 200
        assert not [n for n in shown_counts(page.content.decode()) if 0 < n < 5]

    def test_the_plans_target_groups_stay_off_the_public_page_until_it_is_approved(
        self, db, client
    ):
        people = cast()
        dialogue = plan(decide(initiative(people), people), people)
        for _ in range(6):
            response(survey(dialogue), target_groups=["barn"])
        public = reverse("insight:representation_dialogue", args=[dialogue.pk])
        assert "Planens målgrupper" not in client.get(public).content.decode()
        client.force_login(people.official)
        staff = reverse("insight:representation_dialogue_staff", args=[dialogue.pk])
        assert "Planens målgrupper" in client.get(staff).content.decode()

    def test_the_dialogue_page_links_to_it(self, world, client):
        page = client.get(reverse("dialogues:detail", args=[world.dialogue.pk]))
        assert reverse("insight:representation_dialogue", args=[world.dialogue.pk]) in (
            page.content.decode()
        )

    def test_empty_states(self, db, client):
        page = client.get(reverse("insight:representation_overall"))
        assert "Ingen har deltagit ännu" in page.content.decode()
        people = cast()
        dialogue = opened(people)
        page = client.get(reverse("insight:representation_dialogue", args=[dialogue.pk]))
        assert "Ingen har deltagit i dialogen ännu" in page.content.decode()

    def test_the_queries_do_not_grow_with_the_participants(self, db, client):
        small = Fixture(surveys=5)
        url = reverse("insight:representation_dialogue", args=[small.dialogue.pk])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for _ in range(40):
            response(small.dialogue.surveys.first(), area=small.berga, age_band="30-44")
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(few) <= 20


class TestPermissions:
    def test_a_dialogue_not_yet_public_is_missing(self, db, client):
        dialogue = initiative(cast())
        url = reverse("insight:representation_dialogue", args=[dialogue.pk])
        assert client.get(url).status_code == 404
        assert client.get(url.replace("/9999", "/9999")).status_code == 404

    def test_the_staff_page_is_for_staff(self, world, client):
        url = reverse("insight:representation_dialogue_staff", args=[world.dialogue.pk])
        assert client.get(url).status_code == 302
        client.force_login(CitizenFactory())
        assert client.get(url).status_code == 403
        client.force_login(user_with_role(Role.OFFICIAL))
        assert client.get(url).status_code == 200

    def test_a_missing_dialogue_is_404(self, db, client):
        assert client.get("/dialoger/999999/representativitet/").status_code == 404
        assert client.post("/statistik/representativitet/").status_code == 405
