"""The dashboards: every figure equals a direct count of the same rows, the public one counts
only public objects, the period filter, bad input (400, never 500), who may see the staff
dashboard, and a bounded number of queries whatever the number of rows."""

from __future__ import annotations

import datetime
import os
import re
from collections import Counter

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.budget.models import PUBLIC_PHASES, BudgetRound
from torget.dialogues.models import NOT_PUBLIC, Dialogue
from torget.feedback.models import Case
from torget.feedback.tests.factories import make_case
from torget.geo.models import Area
from torget.geo.tests.factories import AreaFactory, square
from torget.insight.dashboard import Period, dashboard, map_areas
from torget.inspections.models import ActionStatus, Finding, Inspection
from torget.meetings.models import (
    Documentation,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from torget.proposals.models import PUBLIC_STATUSES, Proposal, Status
from torget.proposals.tests.factories import ProposalFactory, SigningProposalFactory

pytestmark = pytest.mark.django_db

# Bounds on the queries of each page, whatever the number of rows (measured: public 32,
# staff 41 on the demo; a few more are allowed for the session and messages).
PUBLIC_QUERIES = 36
STAFF_QUERIES = 46


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, name
    return match.group(1).strip()


def wide_period() -> Period:
    today = timezone.localdate()
    return Period(
        today.replace(year=today.year - 3, month=1, day=1), today.replace(month=12, day=31)
    )


def query(period: Period) -> dict[str, str]:
    return {"fran": period.start.isoformat(), "till": period.end.isoformat()}


def in_period(day: datetime.date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


@pytest.fixture
def demo_data():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def expected_figures(period: Period, *, public: bool) -> dict[str, object]:
    """The same figures, counted directly in Python over the rows (no code shared with the
    dashboard)."""
    zone = timezone.get_current_timezone()
    dialogues = [
        d
        for d in Dialogue.objects.prefetch_related("areas")
        if in_period(d.starts_on or d.created_at.astimezone(zone).date(), period)
        and (not public or d.status not in NOT_PUBLIC)
    ]
    meetings = [
        m
        for m in Meeting.objects.select_related("dialogue")
        if in_period(m.starts_at.astimezone(zone).date(), period)
        and (
            not public
            or (
                m.status != MeetingStatus.DRAFT
                and (m.dialogue is None or m.dialogue.status not in NOT_PUBLIC)
            )
        )
    ]
    meeting_ids = {m.pk for m in meetings}
    proposals = [
        p
        for p in Proposal.objects.all()
        if in_period(p.created_at.astimezone(zone).date(), period)
        and (not public or (p.status in PUBLIC_STATUSES and p.hidden_at is None))
    ]
    cases = [
        c
        for c in Case.objects.select_related("category")
        if c.merged_into_id is None and in_period(c.created_at.astimezone(zone).date(), period)
    ]
    findings = [
        f
        for f in Finding.objects.select_related("inspection")
        if in_period(f.inspection.date, period)
        and (not public or f.inspection.published_at is not None)
    ]
    actions = [a for f in findings for a in f.actions.all()]
    inspections = [
        i
        for i in Inspection.objects.all()
        if in_period(i.date, period) and (not public or i.published_at is not None)
    ]
    rounds = [
        r
        for r in BudgetRound.objects.all()
        if r.ideas_open_on <= period.end
        and r.voting_closes_on >= period.start
        and (not public or r.phase in PUBLIC_PHASES)
    ]
    return {
        "dialogues": len(dialogues),
        "dialogues_per_step": Counter(d.ladder_step for d in dialogues),
        "dialogues_per_area": Counter(a.name for d in dialogues for a in d.areas.all()),
        "meetings": len(meetings),
        "meetings_held": sum(1 for m in meetings if m.status == MeetingStatus.HELD),
        "participants": sum(
            d.participants_total or 0
            for d in Documentation.objects.filter(meeting_id__in=meeting_ids)
        ),
        "registrations": sum(
            1
            for r in Registration.objects.filter(meeting_id__in=meeting_ids)
            if r.status == RegistrationStatus.REGISTERED
        ),
        "proposals": len(proposals),
        "supported": sum(1 for p in proposals if p.support_count > 0),
        "over_threshold": sum(1 for p in proposals if p.threshold_reached_at),
        "decided": sum(1 for p in proposals if p.status == Status.DECIDED),
        "cases": len(cases),
        "cases_open": sum(1 for c in cases if c.is_open),
        "cases_per_category": Counter(c.category.name for c in cases),
        "inspections_done": sum(1 for i in inspections if i.status in ("genomford", "protokoll")),
        "findings": len(findings),
        "actions": len(actions),
        "actions_done": sum(1 for a in actions if a.status == ActionStatus.DONE),
        "rounds": len(rounds),
        "amount": sum(r.amount for r in rounds),
        "ideas": sum(r.ideas.count() for r in rounds),
    }


class TestEveryFigureIsADirectCount:
    """On the demo, which every app fills through its own services."""

    @pytest.mark.parametrize("public", [True, False], ids=["public", "staff"])
    def test_figures_equal_direct_counts(self, demo_data, client, public):
        period = wide_period()
        expected = expected_figures(period, public=public)
        got = dashboard(period, public=public)
        assert expected["dialogues"] > 0 and expected["proposals"] > 0 and expected["findings"] > 0
        assert got.dialogues.total == expected["dialogues"]
        steps = {row.label.split(". ", 1)[0]: row.value for row in got.dialogues.per_step.rows}
        for step, count in expected["dialogues_per_step"].items():
            key = str(step) if step else "Inte bestämt"
            assert steps[key] == count
        assert {r.label: r.value for r in got.dialogues.per_area.rows} == dict(
            expected["dialogues_per_area"]
        )
        assert sum(r.value for r in got.dialogues.over_time.rows) == expected["dialogues"]
        assert sum(r.value for r in got.dialogues.per_body.rows) == expected["dialogues"]
        for table in (got.dialogues.step_over_time, got.dialogues.body_over_time):
            assert sum(sum(counts) for _label, counts in table.rows) == expected["dialogues"]
        assert got.meetings.total == expected["meetings"]
        assert got.meetings.held == expected["meetings_held"]
        assert got.meetings.participants == expected["participants"]
        assert got.meetings.registrations == expected["registrations"]
        assert sum(r.value for r in got.meetings.over_time.rows) == expected["meetings"]
        assert got.proposals.submitted == expected["proposals"]
        assert got.proposals.supported == expected["supported"]
        assert got.proposals.over_threshold == expected["over_threshold"]
        assert got.proposals.decided == expected["decided"]
        assert got.feedback.stats.total == expected["cases"]
        assert got.feedback.stats.open == expected["cases_open"]
        assert {r.label: r.value for r in got.feedback.per_category.rows} == dict(
            expected["cases_per_category"]
        )
        assert got.safety.inspections_done == expected["inspections_done"]
        assert got.safety.findings == expected["findings"]
        assert got.safety.actions == expected["actions"]
        assert got.safety.actions_done == expected["actions_done"]
        assert sum(r.value for r in got.safety.per_action_status.rows) == expected["actions"]
        assert got.budget.rounds == expected["rounds"]
        assert got.budget.amount == expected["amount"]
        assert got.budget.ideas == expected["ideas"]

        # The page shows the same numbers.
        if not public:
            client.force_login(user_with_role(Role.OFFICIAL))
        name = "insight:dashboard" if public else "insight:staff_dashboard"
        html = client.get(reverse(name), query(period)).content.decode()
        assert figure(html, "dialogues-total") == str(expected["dialogues"])
        assert figure(html, "meetings-total") == str(expected["meetings"])
        assert figure(html, "meetings-participants") == str(expected["participants"])
        assert figure(html, "proposals-submitted") == str(expected["proposals"])
        assert figure(html, "proposals-decided") == str(expected["decided"])
        assert figure(html, "cases-total") == str(expected["cases"])
        assert figure(html, "findings") == str(expected["findings"])
        assert figure(html, "actions") == str(expected["actions"])
        assert figure(html, "budget-rounds") == str(expected["rounds"])
        assert ('data-figure="cases-overdue"' in html) is (not public)

    def test_the_activity_map_sums_each_area_and_the_areas_inside_it(self, demo_data):
        period = wide_period()
        got = dashboard(period, public=True).activity
        drawn, tier = map_areas()
        expected: Counter[str] = Counter()
        names = {area.pk: area.name for area in drawn}
        zone = timezone.get_current_timezone()
        for d in Dialogue.objects.exclude(status__in=NOT_PUBLIC).prefetch_related("areas"):
            if in_period(d.starts_on or d.created_at.astimezone(zone).date(), period):
                for a in d.areas.all():
                    if a.pk in tier:
                        expected[names[tier[a.pk]]] += 1
        for m in Meeting.objects.exclude(status=MeetingStatus.DRAFT).select_related("dialogue"):
            if m.area_id in tier and in_period(m.starts_at.astimezone(zone).date(), period):
                if m.dialogue is None or m.dialogue.status not in NOT_PUBLIC:
                    expected[names[tier[m.area_id]]] += 1
        for p in Proposal.objects.filter(status__in=PUBLIC_STATUSES, hidden_at__isnull=True):
            if p.area_id in tier and in_period(p.created_at.astimezone(zone).date(), period):
                expected[names[tier[p.area_id]]] += 1
        for c in Case.objects.filter(merged_into__isnull=True):
            if c.area_id in tier and in_period(c.created_at.astimezone(zone).date(), period):
                expected[names[tier[c.area_id]]] += 1
        assert {r.label: r.value for r in got.rows if r.value} == dict(expected)
        assert sum(expected.values()) > 0
        assert got.svg.count("<path") == len(drawn)


class TestPublicCountsOnlyPublicObjects:
    def test_a_proposal_under_review_and_a_hidden_one_count_only_for_staff(self):
        period = wide_period()
        SigningProposalFactory()
        ProposalFactory()  # waiting for moderation
        SigningProposalFactory(hidden_at=timezone.now(), hidden_reason="Spam")
        assert dashboard(period, public=True).proposals.submitted == 1
        staff = dashboard(period, public=False).proposals
        assert staff.submitted == 3
        assert staff.under_review == 1


class TestPeriod:
    def test_only_what_falls_in_the_period_is_counted(self, client):
        SigningProposalFactory(created_at=datetime.datetime(2025, 3, 10, 12, tzinfo=datetime.UTC))
        SigningProposalFactory(created_at=datetime.datetime(2025, 5, 10, 12, tzinfo=datetime.UTC))
        html = client.get(
            reverse("insight:dashboard"), {"fran": "2025-03-01", "till": "2025-03-31"}
        ).content.decode()
        assert figure(html, "proposals-submitted") == "1"
        html = client.get(
            reverse("insight:dashboard"), {"fran": "2025-01-01", "till": "2025-12-31"}
        ).content.decode()
        assert figure(html, "proposals-submitted") == "2"

    def test_the_default_period_is_the_last_twelve_months(self, client):
        response = client.get(reverse("insight:dashboard"))
        assert response.status_code == 200
        today = timezone.localdate()
        assert response.context["figures"].period.end.month == today.month

    def test_a_long_period_is_counted_per_quarter(self):
        period = Period(datetime.date(2022, 1, 1), datetime.date(2025, 12, 31))
        labels = [label for _first, label in period.steps()]
        assert labels[0] == "2022 K1" and labels[-1] == "2025 K4" and len(labels) == 16

    @pytest.mark.parametrize(
        "params",
        [
            {"fran": "inte-ett-datum"},
            {"till": "2026-13-45"},
            {"fran": "2026-05-01", "till": "2026-01-01"},
            {"fran": "2010-01-01", "till": "2026-01-01"},
            {"fran": "0001-01-01"},
            {"till": "9999-12-31"},
            {"fran": "2026-01-01\x00"},
        ],
    )
    def test_bad_input_is_a_400_with_a_message(self, client, params):
        for name in ("insight:dashboard", "insight:staff_dashboard"):
            client.force_login(user_with_role(Role.OFFICIAL))
            response = client.get(reverse(name), params)
            assert response.status_code == 400
            if not any(
                "\x00" in value for value in params.values()
            ):  # a NUL is refused before the view (core.middleware)
                assert "Det finns fel i formuläret" in response.content.decode()


class TestWhoMaySee:
    def test_the_public_dashboard_is_for_everyone(self, client):
        assert client.get(reverse("insight:dashboard")).status_code == 200

    def test_the_staff_dashboard_needs_a_staff_role(self, client):
        url = reverse("insight:staff_dashboard")
        assert client.get(url).status_code == 302
        client.force_login(CitizenFactory())
        assert client.get(url).status_code == 403
        for role in (Role.OFFICIAL, Role.ELECTED, Role.CONTACT_CENTRE, Role.UTSKOTT_COORDINATOR):
            client.force_login(user_with_role(role))
            assert client.get(url).status_code == 200

    def test_the_staff_start_page_links_to_it(self, client):
        client.force_login(user_with_role(Role.OFFICIAL))
        html = client.get(reverse("core:backoffice")).content.decode()
        assert reverse("insight:staff_dashboard") in html

    def test_the_feedback_statistics_moved_under_the_dashboard_and_are_linked(self, client):
        assert reverse("feedback:statistics") == "/statistik/synpunkter/"
        assert client.get("/statistik/synpunkter/").status_code == 200
        assert reverse("feedback:statistics") in client.get("/statistik/").content.decode()


class TestQueries:
    def _count(self, client, url, period):
        cache.clear()  # the public feedback figures are cached for a few minutes
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query(period))
        assert response.status_code == 200
        return len(queries)

    def test_the_pages_take_a_bounded_number_of_queries_whatever_the_rows(self, client):
        period = wide_period()
        area = AreaFactory(geometry=square(15.0, 58.0, 0.5))
        staff = user_with_role(Role.OFFICIAL)

        def counts():
            client.logout()
            public = self._count(client, reverse("insight:dashboard"), period)
            client.force_login(staff)
            return public, self._count(client, reverse("insight:staff_dashboard"), period)

        for _ in range(2):
            SigningProposalFactory(area=area)
            make_case(area=area)
        before = counts()
        for _ in range(10):
            SigningProposalFactory(area=AreaFactory(geometry=square(16.0, 58.0, 0.5)))
            make_case(area=area)
        after = counts()
        assert after == before
        assert before[0] <= PUBLIC_QUERIES
        assert before[1] <= STAFF_QUERIES

    def test_on_the_demo_too(self, demo_data, client):
        period = wide_period()
        assert self._count(client, reverse("insight:dashboard"), period) <= PUBLIC_QUERIES
        client.force_login(User.objects.get(email="koordinator@demo.storeby.example"))
        assert self._count(client, reverse("insight:staff_dashboard"), period) <= STAFF_QUERIES


def test_areas_outside_the_map_tier_count_for_the_area_around_them():
    municipality = AreaFactory(kind="kommun", geometry=square(15.0, 58.0, 2.0))
    committee = AreaFactory(parent=municipality, kind="utskottsomrade")
    district = AreaFactory(parent=committee)
    drawn, tier = map_areas()
    assert [a.pk for a in drawn] == [committee.pk]
    assert tier[district.pk] == committee.pk
    assert municipality.pk not in tier
    assert Area.objects.count() == 3
