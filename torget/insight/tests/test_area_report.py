"""The utskott's area report: its page and PDF hold the area's items (the PDF parsed back),
its figures equal direct counts, the section hook, who may see and act on it, attaching it to
an utskott meeting and sending it on to KF, bad input, and a bounded number of queries."""

from __future__ import annotations

import datetime
import io
import os
import re
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.councils.tests.factories import place
from torget.dialogues.catalogue import catalogue_ensure
from torget.dialogues.models import Dialogue, Method
from torget.feedback.models import Case
from torget.feedback.tests.factories import make_case
from torget.geo.models import Area
from torget.insight import area_report as area_report_module
from torget.insight.area_report import Section, area_and_below, area_report, register_section
from torget.insight.dashboard import Period
from torget.meetings import services as meeting_services
from torget.meetings.models import ForwardedDocument, Meeting
from torget.notifications.models import Notification
from torget.organisation.models import BodyKind, Municipality
from torget.organisation.tests.factories import BodyFactory, MembershipFactory
from torget.proposals.models import Proposal
from torget.proposals.tests.factories import SigningProposalFactory

pytestmark = pytest.mark.django_db

# measured: 25 on the demo's Utskottsområde Centrum, and 11 more for its representativeness
REPORT_QUERIES = 40


def period() -> Period:
    today = timezone.localdate()
    return Period(
        today.replace(year=today.year - 2, month=1, day=1), today.replace(month=12, day=31)
    )


def query(p: Period | None = None) -> dict[str, str]:
    p = p or period()
    return {"fran": p.start.isoformat(), "till": p.end.isoformat()}


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def demo_data():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def where():
    """An utskott area with a district, its utskott, a proposal and a case in the district."""
    spot = place("Centrum")
    SigningProposalFactory(title="Parkbänkar vid ån", area=spot.district)
    make_case(area=spot.district)
    return spot


@pytest.fixture
def coordinator():
    return user_with_role(Role.UTSKOTT_COORDINATOR)


def upcoming_meeting(spot, actor) -> Meeting:
    catalogue_ensure()
    starts = timezone.now() + datetime.timedelta(days=7)
    return meeting_services.meeting_create(
        actor=actor,
        method=Method.objects.get(code="dialogmote"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        body=spot.utskott,
        title="Utskottets decembermöte",
        purpose="Områdets frågor.",
        place="Stadshuset",
    )


class TestOnTheDemo:
    def test_the_page_and_the_pdf_hold_the_areas_items(self, demo_data, client):
        area = Area.objects.get(slug="utskottsomrade-centrum")
        ids = area_and_below(area)
        p = period()
        report = area_report(area, p)
        zone = timezone.get_current_timezone()
        # The figures are direct counts.
        dialogues = [
            d
            for d in Dialogue.objects.filter(areas__in=ids).distinct()
            if p.start <= (d.starts_on or d.created_at.astimezone(zone).date()) <= p.end
        ]
        assert sorted(line.dialogue.pk for line in report.dialogues) == sorted(
            d.pk for d in dialogues
        )
        assert report.feedback.total == sum(
            1
            for c in Case.objects.filter(area_id__in=ids, merged_into__isnull=True)
            if p.start <= c.created_at.astimezone(zone).date() <= p.end
        )
        assert report.dialogues and report.utskott and report.utskott_meetings
        client.force_login(User.objects.get(email="koordinator@demo.storeby.example"))
        url = reverse("insight:area_report", kwargs={"slug": area.slug})
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, query())
        assert page.status_code == 200
        assert len(queries) <= REPORT_QUERIES
        html = words(page.content.decode())
        started = time.perf_counter()
        pdf = client.get(reverse("insight:area_report_pdf", kwargs={"slug": area.slug}), query())
        print(f"PDF build: {time.perf_counter() - started:.2f} s")  # noqa: T201
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        text = words(
            " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        )
        assert area.name in text
        items = [line.dialogue.title for line in report.dialogues]
        items += [proposal.title for proposal in report.proposals]
        items += [meeting.title for meeting in report.utskott_meetings]
        items += [
            finding.get_category_display()
            for inspection in report.inspections
            for finding in inspection.report_findings
        ]
        for item in items:
            assert item in html
            assert words(item) in text, item


class TestReport:
    def test_the_areas_items_are_those_of_the_area_and_the_areas_inside_it(self, where):
        elsewhere = place("Söder")
        SigningProposalFactory(title="Ny lekplats i söder", area=elsewhere.district)
        report = area_report(where.committee_area, period())
        assert [p.title for p in report.proposals] == ["Parkbänkar vid ån"]
        assert report.feedback.total == 1
        assert report.utskott == [where.utskott]
        assert Proposal.objects.count() == 2

    def test_a_district_reports_to_the_utskott_of_the_area_around_it(self, where):
        assert area_report(where.district, period()).utskott == [where.utskott]

    def test_a_registered_section_is_added_and_none_adds_nothing(self, where, client):
        def representation(report):
            return Section(
                title="Vilka som deltog",
                lead="Deltagare mot befolkningen.",
                headings=("Grupp", "Andel"),
                rows=[("16–19 år", "färre än 5")],
            )

        def nothing(report):
            return None

        register_section(representation)
        register_section(representation)  # twice: once
        register_section(nothing)
        try:
            report = area_report(where.committee_area, period())
            assert [s.title for s in report.sections] == ["Vilka som deltog"]
            client.force_login(user_with_role(Role.OFFICIAL))
            html = client.get(
                reverse("insight:area_report", kwargs={"slug": where.committee_area.slug}),
                query(),
            ).content.decode()
            assert "Vilka som deltog" in html and "färre än 5" in html
        finally:
            area_report_module.unregister_section(representation)
            area_report_module.unregister_section(nothing)


class TestWhoMay:
    def test_staff_see_the_report_citizens_do_not(self, where, client):
        url = reverse("insight:area_report", kwargs={"slug": where.committee_area.slug})
        pdf = reverse("insight:area_report_pdf", kwargs={"slug": where.committee_area.slug})
        assert client.get(url).status_code == 302
        client.force_login(CitizenFactory())
        assert client.get(url).status_code == 403
        assert client.get(pdf).status_code == 403
        client.force_login(user_with_role(Role.OFFICIAL))
        assert client.get(url).status_code == 200
        assert "Bifoga rapporten" not in client.get(url).content.decode()

    def test_only_the_coordinator_attaches_and_forwards(self, where, client):
        slug = where.committee_area.slug
        client.force_login(user_with_role(Role.OFFICIAL))
        for name in ("insight:area_report_attach", "insight:area_report_forward"):
            url = reverse(name, kwargs={"slug": slug})
            assert client.get(url).status_code == 405
            assert client.post(url, query()).status_code == 403

    def test_an_unknown_area_or_the_whole_municipality_is_404(self, client):
        client.force_login(user_with_role(Role.OFFICIAL))
        assert client.get("/personal/statistik/omraden/finns-inte/").status_code == 404
        municipality = Area.objects.create(
            name="Hela kommunen",
            slug="kommunen",
            kind="kommun",
            geometry={"type": "Polygon", "coordinates": [[[15, 58], [16, 58], [16, 59], [15, 58]]]},
        )
        url = reverse("insight:area_report", kwargs={"slug": municipality.slug})
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize(
        "params", [{"fran": "igår"}, {"fran": "2026-06-01", "till": "2026-01-01"}]
    )
    def test_a_bad_period_is_a_400(self, where, client, params):
        client.force_login(user_with_role(Role.OFFICIAL))
        for name in ("insight:area_report", "insight:area_report_pdf"):
            url = reverse(name, kwargs={"slug": where.committee_area.slug})
            response = client.get(url, params)
            assert response.status_code == 400
            assert "Det finns fel i formuläret" in response.content.decode()


class TestAttach:
    def test_the_coordinator_attaches_the_pdf_to_an_utskott_meeting(
        self, where, coordinator, client
    ):
        meeting = upcoming_meeting(where, coordinator)
        client.force_login(coordinator)
        url = reverse("insight:area_report_attach", kwargs={"slug": where.committee_area.slug})
        response = client.post(url, query() | {"meeting": meeting.pk}, follow=True)
        assert response.status_code == 200
        assert "Rapporten är bifogad till mötet" in response.content.decode()
        document = ForwardedDocument.objects.get(meeting=meeting)
        assert document.content_type == "application/pdf"
        text = PdfReader(document.file.open("rb")).pages[0].extract_text()
        assert where.committee_area.name in words(text)
        assert AuditEntry.objects.filter(action="insight.area_report_attached").count() == 1
        assert AuditEntry.objects.filter(action="meeting.document_forwarded").count() == 1

    def test_a_meeting_of_another_body_is_refused(self, where, coordinator, client):
        other = place("Norr")
        meeting = upcoming_meeting(other, coordinator)
        client.force_login(coordinator)
        url = reverse("insight:area_report_attach", kwargs={"slug": where.committee_area.slug})
        response = client.post(url, query() | {"meeting": meeting.pk})
        assert response.status_code == 400
        assert not ForwardedDocument.objects.exists()

    @pytest.mark.parametrize("meeting", ["", "abc", "999999", "-1"])
    def test_bad_input_is_a_400(self, where, coordinator, client, meeting):
        upcoming_meeting(where, coordinator)
        client.force_login(coordinator)
        url = reverse("insight:area_report_attach", kwargs={"slug": where.committee_area.slug})
        assert client.post(url, query() | {"meeting": meeting}).status_code == 400


class TestForward:
    def test_the_coordinator_sends_it_to_the_council(self, where, coordinator, client):
        kf = BodyFactory(kind=BodyKind.COUNCIL, name="Kommunfullmäktige", abbreviation="KF")
        member = MembershipFactory(body=kf).person
        Municipality.objects.update_or_create(
            pk=Municipality.SINGLETON_PK, defaults={"registrar_email": "registrator@example.org"}
        )
        client.force_login(coordinator)
        url = reverse("insight:area_report_forward", kwargs={"slug": where.committee_area.slug})
        response = client.post(url, query() | {"note": "Inför septembermötet."}, follow=True)
        assert response.status_code == 200
        assert "Rapporten är skickad till kommunfullmäktige (2 mottagare)" in (
            response.content.decode()
        )
        notification = Notification.objects.get(template="insight.area_report_forwarded")
        assert notification.context["area_name"] == where.committee_area.name
        assert notification.context["url"].startswith(
            reverse("insight:area_report", kwargs={"slug": where.committee_area.slug})
        )
        entry = AuditEntry.objects.get(action="insight.area_report_forwarded")
        assert entry.changes["recipients"] == 2
        assert member.email

    def test_without_a_council_nothing_is_sent(self, where, coordinator, client):
        client.force_login(coordinator)
        url = reverse("insight:area_report_forward", kwargs={"slug": where.committee_area.slug})
        response = client.post(url, query())
        assert response.status_code == 400
        assert "Kommunfullmäktige finns inte" in response.content.decode()
        assert not Notification.objects.filter(template="insight.area_report_forwarded").exists()
