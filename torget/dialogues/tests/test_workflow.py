import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.dialogues import services, workflow
from torget.dialogues.models import Dialogue, Method, Status
from torget.dialogues.tests.factories import (
    Cast,
    approved,
    cast,
    decide,
    decision_proposal_published,
    initiative,
    opened,
    plan,
    summary_published,
)
from torget.geo.tests.factories import AreaFactory
from torget.notifications.models import Notification, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def step(dialogue, name, actor, **values):
    return services.dialogue_step(dialogue=dialogue, step=name, actor=actor, **values)


def test_the_whole_process_from_initiative_to_closed(people):
    dialogue = opened(people)
    assert dialogue.status == Status.OPEN
    step(dialogue, "compile", people.official)
    # 004 §9, feedback point 3: the proposal goes out when it goes to the deciding body,
    # before the decision is registered.
    decision_proposal_published(dialogue, people)
    step(
        dialogue,
        "record_decision",
        people.official,
        results_summary="120 deltagare, 45 förslag.",
        outcome_decision="Nämnden beslutade om en skolgård med klätterställning.",
        outcome_decided_on=datetime.date(2027, 3, 15),
    )
    summary_published(dialogue, people)  # 004 §9, feedback point 2
    step(dialogue, "give_feedback", people.official, feedback_text="Tack! Så här blev det.")
    step(dialogue, "evaluate", people.official, evaluation="Bra deltagande bland barn.")
    step(dialogue, "close", people.official)
    dialogue.refresh_from_db()
    assert dialogue.status == Status.CLOSED
    steps = list(dialogue.events.values_list("step", flat=True))
    assert steps == [
        "initiate",
        "decide",
        "start_planning",
        "approve_plan",
        "open",
        "compile",
        "record_decision",
        "give_feedback",
        "evaluate",
        "close",
    ]
    assert AuditEntry.objects.filter(action="dialogue.close", object_id=str(dialogue.pk)).exists()


def test_the_decision_needs_budget_steering_group_and_leaders(people):
    dialogue = initiative(people)
    with pytest.raises(workflow.TransitionRefused) as refused:
        step(
            dialogue,
            "decide",
            people.chair,
            deciding_body=people.body,
            decided_on=datetime.date(2026, 9, 1),
        )
    assert "budget" in str(refused.value) and "styrgrupp" in str(refused.value)
    assert Dialogue.objects.get().status == Status.INITIATIVE


def test_only_the_presidium_decides(people):
    dialogue = initiative(people)
    for someone in (people.official, people.leader, user_with_role(Role.CITIZEN)):
        with pytest.raises(PermissionDenied) as denied:
            decide(
                dialogue,
                Cast(people.body, someone, people.leader, people.official),
            )
        assert "presidiet" in str(denied.value)


def test_no_planning_before_the_decision(people):
    dialogue = initiative(people)
    with pytest.raises(workflow.TransitionRefused) as refused:
        step(dialogue, "start_planning", people.official)
    assert "Initiativ" in str(refused.value)
    with pytest.raises(services.DialogueError):
        services.target_group_add(
            dialogue=dialogue, actor=people.official, effort="x", other="Alla"
        )


def test_an_information_method_always_comes_first(people):
    dialogue = plan(decide(initiative(people), people), people, information_first=False)
    with pytest.raises(workflow.TransitionRefused) as refused:
        step(dialogue, "approve_plan", people.leader)
    assert "informationssteget" in str(refused.value)


class TestInformationFirstReadsTheMethodsData:
    """The rule asks the method's "is an information method" flag, never its name or step."""

    def test_renaming_the_information_methods_keeps_the_information_first_rule(self, people):
        dialogue = plan(decide(initiative(people), people), people)
        for method in Method.objects.filter(is_information=True):
            Method.objects.filter(pk=method.pk).update(name=f"Omdöpt {method.pk}")
        assert step(dialogue, "approve_plan", people.leader).status == Status.PLAN_APPROVED
        refused = plan(decide(initiative(people), people), people, information_first=False)
        with pytest.raises(workflow.TransitionRefused):
            step(refused, "approve_plan", people.leader)

    def test_a_method_flagged_as_information_counts_first_whatever_its_name_or_step(self, people):
        Method.objects.filter(code="dialogmote").update(name="Vad som helst", is_information=True)
        dialogue = plan(decide(initiative(people), people), people, information_first=False)
        assert step(dialogue, "approve_plan", people.leader).status == Status.PLAN_APPROVED

    def test_a_method_on_the_information_step_without_the_flag_does_not_count(self, people):
        Method.objects.filter(code="dialogmote").update(ladder_step=1, is_information=False)
        dialogue = plan(decide(initiative(people), people), people, information_first=False)
        with pytest.raises(workflow.TransitionRefused):
            step(dialogue, "approve_plan", people.leader)


def test_the_plan_must_say_how_and_when_participants_get_feedback(people):
    dialogue = plan(decide(initiative(people), people), people)
    services.dialogue_update(dialogue=dialogue, actor=people.official, feedback_plan="")
    with pytest.raises(workflow.TransitionRefused) as refused:
        step(dialogue, "approve_plan", people.leader)
    assert "återkopplingsplan" in str(refused.value)


def test_no_step_can_be_skipped(people):
    dialogue = decide(initiative(people), people)
    for name in ("approve_plan", "open", "compile", "close", "give_feedback"):
        with pytest.raises((workflow.TransitionRefused, PermissionDenied)):
            step(dialogue, name, people.leader)
    assert Dialogue.objects.get().status == Status.DECIDED


def test_status_cannot_be_changed_around_the_workflow(people):
    dialogue = initiative(people)
    dialogue.status = Status.OPEN
    with pytest.raises(ValidationError):
        dialogue.save()
    assert Dialogue.objects.get().status == Status.INITIATIVE
    with pytest.raises(ValidationError):
        Dialogue.objects.create(
            title="x", summary="y", initiative_kind="politiskt", status=Status.OPEN
        )


def test_cancel_needs_a_reason_and_tells_followers(people, citizen):
    dialogue = approved(people)
    with pytest.raises(workflow.TransitionRefused):
        step(dialogue, "cancel", people.leader)
    step(dialogue, "cancel", people.leader, end_reason="Frågan avgörs i stället av regeringen.")
    assert Notification.objects.filter(template="dialogues.cancelled").exists()


def test_a_citizen_request_is_decided_by_ks_presidium_and_the_requester_told():
    from torget.organisation.models import BodyKind
    from torget.organisation.tests.factories import BodyFactory

    ks = cast(BodyFactory(kind=BodyKind.EXECUTIVE, name="Kommunstyrelsen", abbreviation="KS"))
    dialogue = services.dialogue_request(
        title="Trygghet vid stationen",
        summary="Det känns otryggt på kvällarna.",
        requester_name="Sara",
        requester_email="sara@example.se",
    )
    assert dialogue.responsible_body == ks.body and not dialogue.is_public
    other = cast()
    with pytest.raises(PermissionDenied):
        step(dialogue, "decline", other.chair, end_reason="Nej")
    step(dialogue, "decline", ks.chair, end_reason="Frågan utreds redan i trygghetsrådet.")
    outcome = Notification.objects.get(template="dialogues.request_outcome")
    assert outcome.context["decided"] is False
    assert outcome.deliveries.get().to == "sara@example.se"
    assert Dialogue.objects.get().status == Status.DECLINED


def test_when_a_dialogue_opens_the_followers_of_its_area_are_told(people, citizen, drain):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    area = AreaFactory()
    Subscription.objects.create(
        user=citizen,
        target_type=ContentType.objects.get_for_model(area),
        target_id=area.pk,
        confirmed_at=timezone.now(),
    )
    dialogue = approved(people, areas=[area])
    step(dialogue, "open", people.official)
    drain()
    notification = Notification.objects.get(template="dialogues.opened")
    assert notification.deliveries.filter(to=citizen.email).exists()


def test_every_dialogue_step_reaches_each_follower_by_the_channels_they_chose(people, drain):
    """DOMAIN §6: a follower who chose SMS is told by SMS at once, not only in the digest."""
    from torget.notifications import sms
    from torget.notifications.tests.factories import SubscriptionFactory

    area = AreaFactory()
    by_sms = SubscriptionFactory(target=area, by_email=False, by_sms=True, phone="+46701234567")
    both = SubscriptionFactory(target=area, by_sms=True, phone="+46707654321")
    dialogue = approved(people, areas=[area])
    step(dialogue, "open", people.official)
    drain()
    sent = {
        (d.subscription_id, d.channel)
        for d in Notification.objects.get(template="dialogues.opened").deliveries.all()
    }
    assert sent == {(by_sms.pk, "sms"), (both.pk, "email"), (both.pk, "sms")}
    assert {m.to for m in sms.outbox} == {"+46701234567", "+46707654321"}
    assert all(dialogue.title in m.message for m in sms.outbox)


def test_every_step_allowed_by_the_table_succeeds_and_every_other_is_refused(people):
    from torget.audit.models import AuditEntry
    from torget.core.tests.walk import walk_table

    dialogue = opened(people)
    step(dialogue, "compile", people.official)
    outcome = {
        "results_summary": "120 deltagare, 45 förslag.",
        "outcome_decision": "Nämnden beslutade om en skolgård med klätterställning.",
        "outcome_decided_on": datetime.date(2027, 3, 15),
    }
    decision_proposal_published(dialogue, people)
    step(dialogue, "record_decision", people.official, **outcome)
    summary_published(dialogue, people)
    dialogue.refresh_from_db()
    # A record that satisfies every guard, and each step's own fields.
    values = {
        "decide": {name: getattr(dialogue, name) for name in workflow.STEPS["decide"].fields},
        "decline": {"end_reason": "Ingen budget i år."},
        "cancel": {"end_reason": "Frågan är redan avgjord."},
        "record_decision": outcome,
        "give_feedback": {"feedback_text": "Tack! Så här blev det."},
        "evaluate": {"evaluation": "Bra deltagande bland barn."},
    }
    administrator = user_with_role(Role.ADMINISTRATOR)

    def put(state):
        Dialogue.objects.filter(pk=dialogue.pk).update(status=state)
        return Dialogue.objects.get(pk=dialogue.pk)

    def take(record, name):
        services.dialogue_step(
            dialogue=record, step=name, actor=administrator, **values.get(name, {})
        )

    assert workflow.PROCESS.states == set(Status.values)
    walked = walk_table(
        workflow.PROCESS,
        put=put,
        take=take,
        written=lambda: (AuditEntry.objects.count(), Notification.objects.count()),
    )
    assert len(walked) == len(Status.values) * len(workflow.STEPS)
    assert sum(1 for *_, result in walked if result == "taken") == sum(
        len(s.sources) for s in workflow.STEPS.values()
    )
