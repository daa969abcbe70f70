"""The proposal's steps: each follows only from the right status, with its rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory
from torget.audit.models import AuditEntry
from torget.organisation.models import BodyKind, Municipality
from torget.organisation.tests.factories import BodyFactory
from torget.proposals import services, workflow
from torget.proposals.models import EventKind, Outcome, RejectionReason, Status
from torget.proposals.services import support
from torget.proposals.tests.factories import ProposalFactory, SigningProposalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


@pytest.fixture
def official():
    return UserFactory(role=Role.OFFICIAL)


@pytest.fixture
def council():
    return BodyFactory(kind=BodyKind.COUNCIL, name="Kommunfullmäktige", abbreviation="KF")


@pytest.fixture
def committee():
    return BodyFactory(kind=BodyKind.COMMITTEE, name="Tekniska nämnden", abbreviation="TN")


def _to_council(proposal):
    with transaction.atomic():
        support._reach_threshold(proposal)
    proposal.refresh_from_db()
    return proposal


class TestModeration:
    def test_publishing_opens_signing_with_the_municipality_rules(self, official):
        Municipality.objects.create(proposal_support_threshold=25, proposal_signing_days=30)
        proposal = ProposalFactory()
        services.proposal_publish(proposal=proposal, actor=official)
        proposal.refresh_from_db()
        assert proposal.status == Status.SIGNING
        assert proposal.threshold == 25
        assert proposal.signing_ends_on == timezone.localdate() + datetime.timedelta(days=90)
        assert proposal.moderated_by == official
        assert proposal.events.filter(kind=EventKind.PUBLISHED).exists()
        assert AuditEntry.objects.filter(action="proposal.publish", actor=official).exists()

    def test_threshold_can_be_per_mille_of_the_population(self, official):
        Municipality.objects.create(population=45_250, proposal_threshold_per_mille=1)
        proposal = ProposalFactory()
        services.proposal_publish(proposal=proposal, actor=official)
        proposal.refresh_from_db()
        assert proposal.threshold == 46  # 45.25 rounded up

    def test_a_citizen_cannot_publish(self, citizen):
        proposal = ProposalFactory()
        with pytest.raises(PermissionDenied):
            services.proposal_publish(proposal=proposal, actor=citizen)
        proposal.refresh_from_db()
        assert proposal.status == Status.SUBMITTED

    def test_rejection_needs_a_text_for_other_reasons(self, official):
        proposal = ProposalFactory()
        with pytest.raises(services.ProposalError):
            services.proposal_reject(
                proposal=proposal, actor=official, reason=RejectionReason.OTHER
            )
        services.proposal_reject(
            proposal=proposal, actor=official, reason=RejectionReason.COMPANY, text="Bolaget."
        )
        proposal.refresh_from_db()
        assert proposal.status == Status.REJECTED
        assert not proposal.is_public
        assert not proposal.events.get(kind=EventKind.REJECTED).is_public

    def test_repeat_needs_a_recent_decision(self, official):
        Municipality.objects.create(proposal_repeat_months=12)
        earlier = ProposalFactory(
            status=Status.DECIDED,
            outcome=Outcome.REJECTED,
            decided_on=timezone.localdate() - datetime.timedelta(days=100),
        )
        old = ProposalFactory(
            status=Status.DECIDED,
            outcome=Outcome.REJECTED,
            decided_on=timezone.localdate() - datetime.timedelta(days=500),
        )
        proposal = ProposalFactory()
        with pytest.raises(services.ProposalError, match="tidigare beslutet"):
            services.proposal_reject(
                proposal=proposal, actor=official, reason=RejectionReason.REPEAT
            )
        with pytest.raises(services.ProposalError, match="12 månader"):
            services.proposal_reject(
                proposal=proposal, actor=official, reason=RejectionReason.REPEAT, repeat_of=old
            )
        services.proposal_reject(
            proposal=proposal, actor=official, reason=RejectionReason.REPEAT, repeat_of=earlier
        )
        proposal.refresh_from_db()
        assert proposal.repeat_of == earlier

    def test_hiding_keeps_the_proposal_with_a_public_reason(self, official):
        proposal = SigningProposalFactory()
        services.proposal_hide(proposal=proposal, actor=official, reason="Kränkande innehåll")
        proposal.refresh_from_db()
        assert proposal.hidden_reason == "Kränkande innehåll"
        assert not proposal.is_public
        assert not proposal.is_signing_open
        services.proposal_unhide(proposal=proposal, actor=official)
        proposal.refresh_from_db()
        assert proposal.is_public

    def test_moving_to_feedback_tells_the_listeners(self, official):
        received = []

        def listener(sender, proposal, actor, **kwargs):
            received.append(proposal.pk)

        services.proposal_moved_to_feedback.connect(listener)
        try:
            proposal = ProposalFactory()
            services.proposal_move_to_feedback(
                proposal=proposal, actor=official, text="Det här är en felanmälan."
            )
        finally:
            services.proposal_moved_to_feedback.disconnect(listener)
        assert received == [proposal.pk]
        proposal.refresh_from_db()
        assert proposal.status == Status.MOVED


class TestCouncilSteps:
    def test_the_whole_way_with_references_on_the_timeline(self, official, council, committee):
        proposal = SigningProposalFactory()
        _to_council(proposal)
        assert proposal.status == Status.TO_COUNCIL
        assert proposal.diary_number == f"KF {timezone.localdate().year}/1"
        today = timezone.localdate()
        services.proposal_assign(
            proposal=proposal,
            actor=official,
            body=committee,
            due=today + datetime.timedelta(days=60),
            occurred_on=today,
            reference="KF § 12",
        )
        assert proposal.status == Status.PREPARING
        services.proposal_decide(
            proposal=proposal,
            actor=official,
            body=council,
            outcome=Outcome.APPROVED,
            answer="Cykelbanan byggs 2027.",
            occurred_on=today,
            reference="KF § 40",
        )
        proposal.refresh_from_db()
        assert proposal.status == Status.DECIDED
        assert proposal.outcome == Outcome.APPROVED
        timeline = [(e.kind, e.reference) for e in proposal.events.filter(is_public=True)]
        assert timeline == [
            (EventKind.THRESHOLD, proposal.diary_number),
            (EventKind.ASSIGNED, "KF § 12"),
            (EventKind.DECIDED, "KF § 40"),
        ]

    @pytest.mark.parametrize("status", [Status.SUBMITTED, Status.SIGNING, Status.TO_COUNCIL])
    def test_a_proposal_cannot_skip_to_a_decision(self, official, council, status):
        proposal = SigningProposalFactory(status=status)
        with pytest.raises(workflow.TransitionRefused, match="kan inte gå vidare"):
            services.proposal_decide(
                proposal=proposal,
                actor=official,
                body=council,
                outcome=Outcome.APPROVED,
                answer="Ja.",
                occurred_on=timezone.localdate(),
                reference="KF § 1",
            )
        proposal.refresh_from_db()
        assert proposal.status == status

    def test_signing_cannot_be_skipped_to_a_nämnd(self, official, committee):
        proposal = SigningProposalFactory()
        with pytest.raises(workflow.TransitionRefused):
            services.proposal_assign(
                proposal=proposal,
                actor=official,
                body=committee,
                due=timezone.localdate() + datetime.timedelta(days=10),
                occurred_on=timezone.localdate(),
                reference="KF § 3",
            )

    def test_preparation_must_be_due_after_the_decision(self, official, committee):
        proposal = _to_council(SigningProposalFactory())
        with pytest.raises(services.ProposalError):
            services.proposal_assign(
                proposal=proposal,
                actor=official,
                body=committee,
                due=timezone.localdate(),
                occurred_on=timezone.localdate(),
                reference="KF § 3",
            )

    def test_only_the_system_reaches_the_threshold(self, official):
        proposal = SigningProposalFactory()
        with transaction.atomic(), pytest.raises(PermissionDenied):
            workflow.transition(proposal, "reach_threshold", actor=official)

    def test_overdue_preparation_is_flagged(self, official, committee):
        proposal = _to_council(SigningProposalFactory())
        services.proposal_assign(
            proposal=proposal,
            actor=official,
            body=committee,
            due=timezone.localdate() + datetime.timedelta(days=1),
            occurred_on=timezone.localdate() - datetime.timedelta(days=5),
            reference="KF § 3",
        )
        assert not proposal.preparation_overdue
        proposal.preparation_due = timezone.localdate() - datetime.timedelta(days=1)
        assert proposal.preparation_overdue


class TestMeetingProposals:
    def test_the_responsible_politician_lifts_it(self, official, committee):
        politician = UserFactory(role=Role.ELECTED)
        other = UserFactory(role=Role.ELECTED)
        proposal = services.proposal_register_from_meeting(
            actor=official,
            title="Fler bänkar i parken",
            body="Äldre vill kunna vila på vägen.",
            topic=ProposalFactory().topic,
            source="Dialogmöte i Berga 12 mars",
            responsible_politician=politician,
        )
        assert proposal.is_public
        assert proposal.status == Status.REGISTERED
        with pytest.raises(PermissionDenied):
            services.proposal_lift(
                proposal=proposal,
                actor=other,
                body=committee,
                due=None,
                occurred_on=timezone.localdate(),
            )
        services.proposal_lift(
            proposal=proposal, actor=politician, body=committee, due=None, occurred_on=TODAY()
        )
        proposal.refresh_from_db()
        assert proposal.status == Status.PREPARING
        assert proposal.preparing_body == committee


def test_every_step_allowed_by_the_table_succeeds_and_every_other_is_refused():
    from torget.core.tests.walk import walk_table
    from torget.notifications.models import Notification

    # A record every state's constraints accept (a decided one has its outcome).
    proposal = SigningProposalFactory(outcome=Outcome.APPROVED, answer="Ja.")
    administrator = UserFactory(role=Role.ADMINISTRATOR)

    def put(state):
        type(proposal).objects.filter(pk=proposal.pk).update(status=state)
        return type(proposal).objects.get(pk=proposal.pk)

    def take(record, name):
        system = workflow.STEPS[name].permission == workflow.SYSTEM
        workflow.transition(record, name, actor=None if system else administrator)

    assert workflow.PROCESS.states == set(Status.values)
    walked = walk_table(
        workflow.PROCESS,
        put=put,
        take=take,
        written=lambda: (AuditEntry.objects.count(), Notification.objects.count()),
    )
    assert len(walked) == len(Status.values) * len(workflow.STEPS)
