"""The staff pages under /personal/forslag/: who gets in, each step through its form, the
assisted channel and the CSV exports."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, UserFactory
from torget.audit.models import AuditEntry
from torget.identity.models import Resident, ResidentImport
from torget.identity.tests.factories import VerificationFactory, make_pin
from torget.notifications.models import Delivery
from torget.organisation.models import BodyKind, Municipality
from torget.organisation.tests.factories import BodyFactory, TopicFactory
from torget.proposals.models import (
    Channel,
    Event,
    EventKind,
    Origin,
    Outcome,
    Proposal,
    RejectionReason,
    Status,
    Support,
)
from torget.proposals.tests.factories import ProposalFactory, SigningProposalFactory, SupportFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def municipality():
    municipality, _ = Municipality.objects.update_or_create(
        pk=Municipality.SINGLETON_PK,
        defaults={
            "name": "Storeby",
            "proposal_support_threshold": 50,
            "proposal_signing_days": 90,
            "proposal_repeat_months": 12,
        },
    )
    return municipality


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def as_role(client, role):
    user = UserFactory(role=role) if role is not None else None
    if user is not None:
        client.force_login(user)
    return user


def step_url(proposal, name):
    return reverse("proposals:staff_step", args=[proposal.pk, name])


def detail_url(proposal):
    return reverse("proposals:staff_detail", args=[proposal.pk])


def prefixed(step, **data):
    return {f"{step}-{key}": value for key, value in data.items()}


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def register_resident(pin):
    source = ResidentImport.objects.create(file_sha256="0" * 64, row_count=1)
    Resident.objects.create(person_key=pin.key, source=source)


def decided_proposal(decided_on):
    return ProposalFactory(
        status=Status.DECIDED,
        outcome=Outcome.REJECTED,
        decided_on=decided_on,
        answer="Avslag.",
        published_at=timezone.now(),
    )


def read_csv(response):
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


# --- Who may open what -----------------------------------------------------------------------

ROLES = [None, *Role]
VIEWERS = {Role.OFFICIAL, Role.CONTACT_CENTRE, Role.ELECTED, Role.ADMINISTRATOR}
ON_BEHALF = {Role.OFFICIAL, Role.CONTACT_CENTRE, Role.ADMINISTRATOR}
STEP_TAKERS = {Role.OFFICIAL, Role.ADMINISTRATOR}


def role_id(role):
    return getattr(role, "value", "anonym")


@pytest.mark.parametrize("role", ROLES, ids=role_id)
class TestEveryRoleOnEveryPage:
    def expect(self, response, role, allowed):
        if role is None:
            assert response.status_code == 302
            assert response.url.startswith(reverse("accounts:login"))
        elif role in allowed:
            assert response.status_code == 200
        else:
            assert response.status_code == 403

    def test_work_lists_detail_and_export_are_for_those_who_handle_or_follow_proposals(
        self, client, role
    ):
        proposal = SigningProposalFactory()
        as_role(client, role)
        for path in [
            reverse("proposals:staff_index"),
            reverse("proposals:staff_index") + "?visa=bereds",
            detail_url(proposal),
            reverse("proposals:staff_export"),
        ]:
            self.expect(client.get(path), role, VIEWERS)

    def test_registering_for_a_citizen_is_for_the_assisted_channel(self, client, role):
        proposal = SigningProposalFactory()
        as_role(client, role)
        self.expect(client.get(reverse("proposals:staff_register")), role, ON_BEHALF)
        self.expect(
            client.get(reverse("proposals:staff_support", args=[proposal.pk])), role, ON_BEHALF
        )

    def test_registering_from_a_meeting_is_for_those_who_register_steps(self, client, role):
        as_role(client, role)
        self.expect(client.get(reverse("proposals:staff_register_meeting")), role, STEP_TAKERS)

    def test_the_supporters_list_is_for_administrators_only(self, client, role):
        proposal = SigningProposalFactory()
        as_role(client, role)
        response = client.get(reverse("proposals:staff_supporters", args=[proposal.pk]))
        self.expect(response, role, {Role.ADMINISTRATOR})

    def test_publishing_is_for_moderators(self, client, role):
        proposal = ProposalFactory()
        as_role(client, role)
        response = client.post(step_url(proposal, "publish"))
        proposal.refresh_from_db()
        if role is None:
            assert response.status_code == 302 and "/konto/" in response.url
        elif role in STEP_TAKERS:
            assert response.status_code == 302
            assert response.url == detail_url(proposal)
            assert proposal.status == Status.SIGNING
            return
        else:
            assert response.status_code == 403
        assert proposal.status == Status.SUBMITTED


class TestBackofficeCards:
    def test_officials_see_proposals_but_not_the_residents_register(self, client):
        as_role(client, Role.OFFICIAL)
        html = client.get(reverse("core:backoffice")).content.decode()
        assert reverse("proposals:staff_index") in html
        assert reverse("identity:resident_register") not in html

    def test_administrators_see_both(self, client):
        as_role(client, Role.ADMINISTRATOR)
        html = client.get(reverse("core:backoffice")).content.decode()
        assert reverse("proposals:staff_index") in html
        assert reverse("identity:resident_register") in html

    def test_safety_coordinators_see_neither(self, client):
        as_role(client, Role.SAFETY_COORDINATOR)
        html = client.get(reverse("core:backoffice")).content.decode()
        assert reverse("proposals:staff_index") not in html


# --- The work lists --------------------------------------------------------------------------


class TestIndex:
    def test_sections_have_counts_and_the_oldest_proposal_comes_first(self, client):
        as_role(client, Role.OFFICIAL)
        newer = ProposalFactory(title="Nyare förslag")
        older = ProposalFactory(
            title="Äldre förslag", created_at=timezone.now() - datetime.timedelta(days=3)
        )
        SigningProposalFactory()
        response = client.get(reverse("proposals:staff_index"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Att granska (2)" in html
        assert "Samlar stöd (1)" in html
        assert html.index(older.title) < html.index(newer.title)
        assert html.count("<h1") == 1
        assert "<caption" in html and 'scope="col"' in html

    def test_overdue_preparation_is_flagged_in_words(self, client):
        as_role(client, Role.OFFICIAL)
        body = BodyFactory()
        ProposalFactory(
            title="Sen beredning",
            status=Status.PREPARING,
            preparing_body=body,
            preparation_due=TODAY() - datetime.timedelta(days=1),
        )
        ProposalFactory(
            title="I tid",
            status=Status.PREPARING,
            preparing_body=body,
            preparation_due=TODAY() + datetime.timedelta(days=30),
        )
        html = client.get(reverse("proposals:staff_index") + "?visa=bereds").content.decode()
        assert "Bereds (2, 1 försenat)" in html
        rows = html.split("<tr>")
        assert "Försenad" in next(row for row in rows if "Sen beredning" in row)
        assert "Försenad" not in next(row for row in rows if "I tid" in row)

    def test_supports_shown_are_the_exact_active_count(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = SigningProposalFactory(support_count=0)
        SupportFactory.create_batch(3, proposal=proposal)
        SupportFactory(proposal=proposal, withdrawn_at=timezone.now())
        html = client.get(reverse("proposals:staff_index") + "?visa=insamling").content.decode()
        assert "3 av 50" in html

    def test_links_follow_the_users_permissions(self, client):
        as_role(client, Role.ELECTED)
        html = client.get(reverse("proposals:staff_index")).content.decode()
        assert reverse("proposals:staff_register") not in html
        assert reverse("proposals:staff_register_meeting") not in html
        assert reverse("proposals:staff_export") in html

    @pytest.mark.parametrize("section", ["granska", "insamling", "bereds", "avslutade"])
    def test_queries_do_not_grow_with_the_list(self, client, section):
        as_role(client, Role.OFFICIAL)
        url = reverse("proposals:staff_index") + f"?visa={section}"
        make = {
            "granska": lambda: ProposalFactory(area=None),
            "insamling": lambda: SupportFactory().proposal,
            "bereds": lambda: ProposalFactory(
                status=Status.PREPARING, preparing_body=BodyFactory()
            ),
            "avslutade": lambda: ProposalFactory(status=Status.REJECTED),
        }[section]
        make()
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        for _ in range(5):
            make()
        with CaptureQueriesContext(connection) as six:
            assert client.get(url).status_code == 200
        assert len(six) == len(one)


# --- One proposal ----------------------------------------------------------------------------


class TestDetail:
    def test_shows_non_public_fields_and_the_whole_timeline(self, client):
        staff = as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory(
            status=Status.REJECTED,
            rejection_reason=RejectionReason.OFFENSIVE,
            rejection_text="Kränkande om en granne.",
            moderated_by=staff,
        )
        Event.objects.create(
            proposal=proposal, kind=EventKind.REJECTED, occurred_on=TODAY(), is_public=False
        )
        html = client.get(detail_url(proposal)).content.decode()
        assert "Olagligt, diskriminerande eller kränkande innehåll" in html
        assert "Kränkande om en granne." in html
        assert str(staff) in html
        assert "Förslaget avvisades" in html
        assert "visas inte publikt" in html
        assert html.count("<h1") == 1

    def test_support_count_is_live_and_excludes_withdrawn(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = SigningProposalFactory(support_count=99)
        SupportFactory.create_batch(2, proposal=proposal)
        SupportFactory(proposal=proposal, withdrawn_at=timezone.now())
        response = client.get(detail_url(proposal))
        assert response.context["support_count"] == 2
        assert "2 av 50 som krävs" in response.content.decode()

    def test_only_the_steps_the_user_may_take_are_offered(self, client):
        proposal = ProposalFactory()
        as_role(client, Role.OFFICIAL)
        panels = [panel.name for panel in client.get(detail_url(proposal)).context["panels"]]
        assert panels == ["publish", "reject", "move"]
        as_role(client, Role.ELECTED)
        assert client.get(detail_url(proposal)).context["panels"] == []

    def test_contact_email_only_for_the_assisted_channel(self, client):
        proposal = ProposalFactory(author=None, contact_email="anna@example.se")
        as_role(client, Role.CONTACT_CENTRE)
        assert "anna@example.se" in client.get(detail_url(proposal)).content.decode()
        as_role(client, Role.ELECTED)
        assert "anna@example.se" not in client.get(detail_url(proposal)).content.decode()

    def test_unknown_proposal_is_not_found(self, client):
        as_role(client, Role.OFFICIAL)
        assert client.get(reverse("proposals:staff_detail", args=[999999])).status_code == 404


# --- Moderation ------------------------------------------------------------------------------


class TestPublish:
    def test_publishing_opens_signing_and_tells_the_author(self, client):
        staff = as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory(signing_days=60)
        response = client.post(step_url(proposal, "publish"), follow=True)
        proposal.refresh_from_db()
        assert proposal.status == Status.SIGNING
        assert proposal.threshold == 50
        assert proposal.signing_ends_on == TODAY() + datetime.timedelta(days=60)
        assert proposal.moderated_by == staff
        assert Delivery.objects.filter(
            to=proposal.author.email, notification__template="proposals.published"
        ).exists()
        assert any("publicerat" in message for message in messages_of(response))

    def test_get_is_not_allowed(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory()
        assert client.get(step_url(proposal, "publish")).status_code == 405


class TestReject:
    def test_rejected_with_a_reason_is_never_public(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory()
        response = client.post(
            step_url(proposal, "reject"),
            prefixed("reject", reason=RejectionReason.COMPETENCE, text="Statens ansvar."),
        )
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.status == Status.REJECTED
        assert proposal.rejection_reason == RejectionReason.COMPETENCE
        assert not proposal.events.get(kind=EventKind.REJECTED).is_public
        assert Delivery.objects.filter(
            to=proposal.author.email, notification__template="proposals.rejected"
        ).exists()
        client.logout()
        assert client.get(proposal.get_absolute_url()).status_code == 404

    def test_other_reason_needs_a_text(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory()
        response = client.post(
            step_url(proposal, "reject"), prefixed("reject", reason=RejectionReason.OTHER)
        )
        assert response.status_code == 400
        assert response.context["form"].errors["text"]
        proposal.refresh_from_db()
        assert proposal.status == Status.SUBMITTED

    def test_repeat_needs_the_earlier_decision(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory()
        response = client.post(
            step_url(proposal, "reject"), prefixed("reject", reason=RejectionReason.REPEAT)
        )
        assert response.status_code == 400
        assert response.context["form"].errors["repeat_of"]
        assert "fel i formuläret" in response.content.decode()
        proposal.refresh_from_db()
        assert proposal.status == Status.SUBMITTED

    def test_repeat_of_a_recent_decision_is_rejected(self, client):
        as_role(client, Role.OFFICIAL)
        earlier = decided_proposal(TODAY() - datetime.timedelta(days=60))
        proposal = ProposalFactory()
        response = client.post(
            step_url(proposal, "reject"),
            prefixed("reject", reason=RejectionReason.REPEAT, repeat_of=earlier.pk),
        )
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.status == Status.REJECTED
        assert proposal.repeat_of == earlier

    def test_repeat_of_a_decision_older_than_the_months_rule_is_refused(self, client):
        as_role(client, Role.OFFICIAL)
        earlier = decided_proposal(TODAY() - datetime.timedelta(days=500))
        proposal = ProposalFactory()
        response = client.post(
            step_url(proposal, "reject"),
            prefixed("reject", reason=RejectionReason.REPEAT, repeat_of=earlier.pk),
        )
        assert response.status_code == 400
        [error] = response.context["form"].errors["repeat_of"]
        assert "12 månader" in error
        proposal.refresh_from_db()
        assert proposal.status == Status.SUBMITTED


class TestMove:
    def test_moving_needs_a_greeting(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory()
        response = client.post(step_url(proposal, "move"), prefixed("move", text=""))
        assert response.status_code == 400
        response = client.post(
            step_url(proposal, "move"), prefixed("move", text="Vi tar det som en felanmälan.")
        )
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.status == Status.MOVED


class TestHide:
    def test_hiding_shows_the_reason_and_showing_again_works(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = SigningProposalFactory()
        response = client.post(
            step_url(proposal, "hide"), prefixed("hide", reason="Innehåller personuppgifter.")
        )
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.hidden_at is not None
        assert proposal.hidden_reason == "Innehåller personuppgifter."
        html = client.get(detail_url(proposal)).content.decode()
        assert "Innehåller personuppgifter." in html
        assert "Förslaget doldes" in html
        client.post(step_url(proposal, "unhide"))
        proposal.refresh_from_db()
        assert proposal.hidden_at is None

    def test_a_reason_is_required(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = SigningProposalFactory()
        response = client.post(step_url(proposal, "hide"), prefixed("hide", reason=""))
        assert response.status_code == 400
        proposal.refresh_from_db()
        assert proposal.hidden_at is None

    def test_an_unpublished_proposal_cannot_be_hidden(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory()
        response = client.post(
            step_url(proposal, "hide"), prefixed("hide", reason="Skäl"), follow=True
        )
        assert messages_of(response)
        proposal.refresh_from_db()
        assert proposal.hidden_at is None

    def test_elected_officials_cannot_hide(self, client):
        as_role(client, Role.ELECTED)
        proposal = SigningProposalFactory()
        response = client.post(step_url(proposal, "hide"), prefixed("hide", reason="Skäl"))
        assert response.status_code == 403


class TestNoSkippedSteps:
    def test_deciding_a_signing_proposal_is_refused(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = SigningProposalFactory()
        body = BodyFactory(kind=BodyKind.COMMITTEE)
        response = client.post(
            step_url(proposal, "decide"),
            prefixed(
                "decide",
                body=body.pk,
                outcome=Outcome.APPROVED,
                answer="Bifall.",
                occurred_on=TODAY().isoformat(),
                reference="KF § 1",
            ),
            follow=True,
        )
        proposal.refresh_from_db()
        assert proposal.status == Status.SIGNING
        assert not proposal.events.filter(kind=EventKind.DECIDED).exists()
        assert any("kan inte gå vidare" in message for message in messages_of(response))

    def test_assigning_a_proposal_under_review_is_refused(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory()
        client.post(
            step_url(proposal, "assign"),
            prefixed(
                "assign",
                body=BodyFactory().pk,
                occurred_on=TODAY().isoformat(),
                due=(TODAY() + datetime.timedelta(days=90)).isoformat(),
                reference="KF § 2",
            ),
        )
        proposal.refresh_from_db()
        assert proposal.status == Status.SUBMITTED

    def test_system_steps_and_unknown_steps_are_not_pages(self, client):
        as_role(client, Role.ADMINISTRATOR)
        proposal = SigningProposalFactory()
        assert client.post(step_url(proposal, "reach_threshold")).status_code == 404
        assert client.post(step_url(proposal, "fly")).status_code == 404
        proposal.refresh_from_db()
        assert proposal.status == Status.SIGNING


# --- The council's steps ---------------------------------------------------------------------


class TestAssignAndDecide:
    def test_assign_then_decide_with_the_reference_on_the_timeline(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = SigningProposalFactory(status=Status.TO_COUNCIL, diary_number="KF 2026/3")
        nämnd = BodyFactory(kind=BodyKind.COMMITTEE, name="Tekniska nämnden")
        council = BodyFactory(kind=BodyKind.COUNCIL, name="Kommunfullmäktige")
        due = TODAY() + datetime.timedelta(days=120)
        response = client.post(
            step_url(proposal, "assign"),
            prefixed(
                "assign",
                body=nämnd.pk,
                occurred_on=TODAY().isoformat(),
                due=due.isoformat(),
                reference="KF § 45",
            ),
            follow=True,
        )
        proposal.refresh_from_db()
        assert proposal.status == Status.PREPARING
        assert proposal.preparing_body == nämnd
        assert proposal.preparation_due == due
        assert "Tekniska nämnden" in messages_of(response)[0]

        document = SimpleUploadedFile("beslut.pdf", b"%PDF-1.4 beslut", "application/pdf")
        response = client.post(
            step_url(proposal, "decide"),
            {
                **prefixed(
                    "decide",
                    body=council.pk,
                    outcome=Outcome.APPROVED,
                    answer="Fullmäktige bifaller förslaget.",
                    occurred_on=TODAY().isoformat(),
                    reference="KF § 112",
                ),
                "decide-document": document,
            },
        )
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.status == Status.DECIDED
        assert proposal.outcome == Outcome.APPROVED
        decision = proposal.events.get(kind=EventKind.DECIDED)
        assert decision.reference == "KF § 112"
        with proposal.decision_document.open("rb") as stored:
            assert stored.read() == b"%PDF-1.4 beslut"
        with decision.document.open("rb") as stored:
            assert stored.read() == b"%PDF-1.4 beslut"
        html = client.get(detail_url(proposal)).content.decode()
        assert "referens KF § 45" in html
        assert "referens KF § 112" in html

    def test_a_decision_in_the_future_is_refused_on_its_field(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory(status=Status.PREPARING, preparing_body=BodyFactory())
        response = client.post(
            step_url(proposal, "decide"),
            prefixed(
                "decide",
                body=proposal.preparing_body.pk,
                outcome=Outcome.ANSWERED,
                answer="Svar.",
                occurred_on=(TODAY() + datetime.timedelta(days=3)).isoformat(),
                reference="TN § 3",
            ),
        )
        assert response.status_code == 400
        assert response.context["form"].errors["occurred_on"]
        proposal.refresh_from_db()
        assert proposal.status == Status.PREPARING

    def test_a_decision_document_must_be_a_document(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory(status=Status.PREPARING, preparing_body=BodyFactory())
        response = client.post(
            step_url(proposal, "decide"),
            {
                **prefixed(
                    "decide",
                    body=proposal.preparing_body.pk,
                    outcome=Outcome.ANSWERED,
                    answer="Svar.",
                    occurred_on=TODAY().isoformat(),
                    reference="TN § 3",
                ),
                "decide-document": SimpleUploadedFile("virus.exe", b"MZ", "application/x"),
            },
        )
        assert response.status_code == 400
        assert response.context["form"].errors["document"]

    def _decide(self, client, proposal, document):
        return client.post(
            step_url(proposal, "decide"),
            {
                **prefixed(
                    "decide",
                    body=proposal.preparing_body.pk,
                    outcome=Outcome.ANSWERED,
                    answer="Svar.",
                    occurred_on=TODAY().isoformat(),
                    reference="TN § 3",
                ),
                "decide-document": document,
            },
        )

    @pytest.mark.parametrize(
        "content",
        [
            b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            b"\xef\xbb\xbf  <html><body onload=alert(1)>",
        ],
    )
    def test_a_page_or_drawing_named_as_a_pdf_is_refused(self, client, content):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory(status=Status.PREPARING, preparing_body=BodyFactory())
        response = self._decide(
            client, proposal, SimpleUploadedFile("beslut.pdf", content, "application/pdf")
        )
        assert response.status_code == 400
        assert (
            "Filen är av en sort som inte går att ta emot"
            in (response.context["form"].errors["document"][0])
        )
        proposal.refresh_from_db()
        assert proposal.status == Status.PREPARING
        assert not proposal.decision_document

    def test_a_document_is_stored_and_served_as_what_its_content_is(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = ProposalFactory(
            status=Status.PREPARING,
            preparing_body=BodyFactory(),
            published_at=timezone.now(),
        )
        pdf = SimpleUploadedFile("beslut.doc", b"%PDF-1.7 beslut", "application/msword")
        assert self._decide(client, proposal, pdf).status_code == 302
        proposal.refresh_from_db()
        assert proposal.decision_document.name.endswith(".pdf")
        served = client.get(reverse("proposals:decision_document", args=[proposal.pk]))
        assert served["Content-Type"] == "application/pdf"
        assert served["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'none'" in served["Content-Security-Policy"]


class TestLift:
    def meeting_proposal(self, politician):
        return ProposalFactory(
            author=None,
            author_name="Deltagare på dialogmöte",
            origin=Origin.MEETING,
            source="Dialogmöte i Berga",
            responsible_politician=politician,
            status=Status.REGISTERED,
            published_at=timezone.now(),
        )

    def lift(self, client, proposal, body):
        return client.post(
            step_url(proposal, "lift"),
            prefixed("lift", body=body.pk, occurred_on=TODAY().isoformat(), reference=""),
        )

    def test_the_responsible_politician_lifts_it(self, client):
        politician = UserFactory(role=Role.ELECTED)
        proposal = self.meeting_proposal(politician)
        client.force_login(politician)
        assert [p.name for p in client.get(detail_url(proposal)).context["panels"]] == ["lift"]
        response = self.lift(client, proposal, BodyFactory())
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.status == Status.PREPARING
        assert proposal.events.get(kind=EventKind.LIFTED).created_by == politician

    def test_another_elected_official_may_not(self, client):
        proposal = self.meeting_proposal(UserFactory(role=Role.ELECTED))
        as_role(client, Role.ELECTED)
        assert client.get(detail_url(proposal)).context["panels"] == []
        assert self.lift(client, proposal, BodyFactory()).status_code == 403
        proposal.refresh_from_db()
        assert proposal.status == Status.REGISTERED


# --- The assisted channel --------------------------------------------------------------------


class TestRegisterOnBehalf:
    def data(self, **overrides):
        return {
            "author_name": "Greta Andersson",
            "pin": str(make_pin()),
            "evidence": "id",
            "evidence_detail": "Körkort",
            "contact_email": "greta@example.se",
            "title": "Bänkar vid busshållplatsen",
            "body": "Sätt upp bänkar vid hållplatsen på Storgatan.",
            "topic": TopicFactory().pk,
            "area": "",
            **overrides,
        }

    def test_creates_an_assisted_proposal_with_the_staff_member_in_the_audit_log(self, client):
        staff = as_role(client, Role.CONTACT_CENTRE)
        response = client.post(reverse("proposals:staff_register"), self.data())
        proposal = Proposal.objects.get(title="Bänkar vid busshållplatsen")
        assert response.status_code == 302
        assert response.url == detail_url(proposal)
        assert proposal.origin == Origin.ASSISTED
        assert proposal.status == Status.SUBMITTED
        assert proposal.registered_by == staff
        assert proposal.author is None
        assert proposal.contact_email == "greta@example.se"
        entry = AuditEntry.objects.get(action="proposal.registered_on_behalf")
        assert entry.actor == staff
        assert entry.changes["evidence"] == "ID-handling visad i servicedisk: Körkort"
        assert AuditEntry.objects.filter(action="identity.verified_assisted", actor=staff).exists()
        assert Delivery.objects.filter(to="greta@example.se").exists()

    def test_an_invalid_personnummer_is_a_form_error(self, client):
        as_role(client, Role.CONTACT_CENTRE)
        response = client.post(reverse("proposals:staff_register"), self.data(pin="19800101-0000"))
        assert response.status_code == 200
        assert response.context["form"].errors["pin"]
        assert not Proposal.objects.exists()

    def test_another_way_of_checking_must_be_described(self, client):
        as_role(client, Role.CONTACT_CENTRE)
        response = client.post(
            reverse("proposals:staff_register"), self.data(evidence="annat", evidence_detail="")
        )
        assert response.context["form"].errors["evidence_detail"]
        assert not Proposal.objects.exists()

    def test_the_personnummer_is_never_stored(self, client):
        as_role(client, Role.CONTACT_CENTRE)
        data = self.data()
        client.post(reverse("proposals:staff_register"), data)
        digits = data["pin"].replace("-", "")
        for entry in AuditEntry.objects.all():
            assert digits not in str(entry.changes)
            assert data["pin"] not in str(entry.changes)


class TestRegisterFromMeeting:
    def test_creates_a_public_meeting_proposal_for_the_politician(self, client):
        staff = as_role(client, Role.OFFICIAL)
        politician = UserFactory(role=Role.ELECTED, full_name="Karin Politiker")
        response = client.post(
            reverse("proposals:staff_register_meeting"),
            {
                "title": "Belysning i parken",
                "body": "Lampor längs gångvägen.",
                "topic": TopicFactory().pk,
                "area": "",
                "source": "Dialogmöte i Berga 12 mars",
                "responsible_politician": politician.pk,
            },
        )
        proposal = Proposal.objects.get(title="Belysning i parken")
        assert response.status_code == 302
        assert proposal.status == Status.REGISTERED
        assert proposal.origin == Origin.MEETING
        assert proposal.responsible_politician == politician
        assert proposal.registered_by == staff
        assert Delivery.objects.filter(user=politician).exists()

    def test_only_elected_officials_can_be_responsible(self, client):
        as_role(client, Role.OFFICIAL)
        citizen = CitizenFactory()
        politician = UserFactory(role=Role.ELECTED)
        form = client.get(reverse("proposals:staff_register_meeting")).context["form"]
        choices = list(form.fields["responsible_politician"].queryset)
        assert politician in choices
        assert citizen not in choices


class TestPaperSupport:
    def post(self, client, proposal, pin, evidence="papper"):
        return client.post(
            reverse("proposals:staff_support", args=[proposal.pk]),
            {"pin": str(pin), "evidence": evidence, "evidence_detail": ""},
        )

    def test_a_paper_support_counts_once(self, client):
        staff = as_role(client, Role.CONTACT_CENTRE)
        proposal = SigningProposalFactory()
        pin = make_pin()
        register_resident(pin)
        response = self.post(client, proposal, pin)
        assert response.status_code == 302
        support = Support.objects.get(proposal=proposal)
        assert support.channel == Channel.ASSISTED
        assert AuditEntry.objects.filter(action="proposal.support_registered", actor=staff)

        response = self.post(client, proposal, pin)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [
            "Personen stödjer redan det här förslaget."
        ]
        assert proposal.supports.filter(withdrawn_at__isnull=True).count() == 1
        assert client.get(detail_url(proposal)).context["support_count"] == 1

    def test_a_number_in_full_width_digits_is_the_same_person_as_in_ascii(self, client):
        as_role(client, Role.CONTACT_CENTRE)
        proposal = SigningProposalFactory()
        pin = make_pin()
        register_resident(pin)
        full_width = str(pin).translate(
            {ord("-"): "\uff0d", **{ord(str(d)): 0xFF10 + d for d in range(10)}}
        )
        assert self.post(client, proposal, full_width).status_code == 302
        assert Support.objects.get(proposal=proposal).person_key == pin.key
        response = self.post(client, proposal, pin)
        assert response.context["form"].non_field_errors() == [
            "Personen stödjer redan det här förslaget."
        ]

    def test_someone_not_resident_is_refused(self, client):
        as_role(client, Role.CONTACT_CENTRE)
        proposal = SigningProposalFactory()
        register_resident(make_pin())
        response = self.post(client, proposal, make_pin())
        assert "folkbokförda" in response.context["form"].non_field_errors()[0]
        assert not Support.objects.exists()

    def test_a_closed_proposal_is_refused(self, client):
        as_role(client, Role.CONTACT_CENTRE)
        proposal = SigningProposalFactory(signing_ends_on=TODAY() - datetime.timedelta(days=1))
        pin = make_pin()
        register_resident(pin)
        response = self.post(client, proposal, pin)
        assert "stängd" in response.context["form"].non_field_errors()[0]
        assert not Support.objects.exists()


# --- CSV exports -----------------------------------------------------------------------------


class TestExport:
    def test_content_and_headers(self, client):
        as_role(client, Role.OFFICIAL)
        signing = SigningProposalFactory(title="=HYPERLINK(1)", support_count=0)
        SupportFactory.create_batch(2, proposal=signing)
        SupportFactory(proposal=signing, withdrawn_at=timezone.now())
        rejected = ProposalFactory(status=Status.REJECTED, title="Avvisat förslag")
        response = client.get(reverse("proposals:staff_export"))
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="medborgarforslag-')
        header, *rows = read_csv(response)
        assert header[:3] == ["Id", "Rubrik", "Status"]
        assert len(header) == 14
        by_id = {int(row[0]): row for row in rows}
        row = by_id[signing.pk]
        assert row[1] == "'=HYPERLINK(1)"  # never a formula in Excel
        assert row[2] == "Samlar stöd"
        assert row[7] == "50"
        assert row[8] == "2"
        assert row[13] == "http://testserver" + signing.get_absolute_url()
        assert by_id[rejected.pk][2] == "Avvisat"
        assert by_id[rejected.pk][13] == ""


class TestSupportersExport:
    def test_officials_are_refused(self, client):
        as_role(client, Role.OFFICIAL)
        proposal = SigningProposalFactory()
        response = client.get(reverse("proposals:staff_supporters", args=[proposal.pk]))
        assert response.status_code == 403
        assert not AuditEntry.objects.filter(action="proposal.supporters_exported").exists()

    def test_administrators_get_the_list_without_personal_identity_numbers(self, client):
        admin = as_role(client, Role.ADMINISTRATOR)
        proposal = SigningProposalFactory()
        pin = make_pin()
        verification = VerificationFactory(pin=pin)
        supporter = CitizenFactory(display_name="Stina")
        kept = SupportFactory(
            proposal=proposal, person_key=pin.key, user=supporter, verification=verification
        )
        withdrawn = SupportFactory(proposal=proposal, withdrawn_at=timezone.now())
        response = client.get(reverse("proposals:staff_supporters", args=[proposal.pk]))
        assert response.status_code == 200
        raw = b"".join(response.streaming_content).decode("utf-8")
        assert kept.person_key not in raw
        assert withdrawn.person_key not in raw
        assert str(pin) not in raw and str(pin).replace("-", "") not in raw
        header, *rows = list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))
        assert header == ["Stöd givet", "Kanal", "Konto", "Folkbokföring vid kontrollen"]
        assert rows == [
            [
                timezone.localtime(kept.created_at).strftime("%Y-%m-%d %H:%M"),
                "E-legitimation",
                "Stina",
                "Folkbokförd i kommunen",
            ]
        ]
        entry = AuditEntry.objects.get(action="proposal.supporters_exported")
        assert entry.actor == admin
        assert entry.object_id == str(proposal.pk)
