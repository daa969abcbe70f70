"""Brukardialog / kunddialog (seed 001, DOMAIN §7): run by officials to improve a service,
outside the political ladder, on its own simpler path with no presidium decision. The path is
chosen by the dialogue's kind code, never by a name."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.dialogues import services, workflow
from torget.dialogues.catalogue import catalogue_ensure
from torget.dialogues.models import Dialogue, DialogueKind, InitiativeKind, Method, Status
from torget.dialogues.tests.factories import cast
from torget.notifications.models import Notification
from torget.organisation.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def service_dialogue(people) -> Dialogue:
    return services.dialogue_initiate(
        actor=people.official,
        title="Brukardialog om fritidsgårdens öppettider",
        summary="Passar öppettiderna?",
        initiative_kind=InitiativeKind.OFFICIALS,
        administration=AdministrationFactory(body=people.body),
        kind=DialogueKind.SERVICE_DIALOGUE,
    )


def step(dialogue, name, actor, **values):
    return services.dialogue_step(dialogue=dialogue, step=name, actor=actor, **values)


def ready_to_open(dialogue, people) -> Dialogue:
    step(dialogue, "start", people.official, supporting_official=people.official)
    services.dialogue_update(
        dialogue=dialogue,
        actor=people.official,
        question="Passar öppettiderna?",
        how_to_take_part="Svara på enkäten på fritidsgården.",
        feedback_plan="Besökarna får veta vad som ändras.",
        starts_on=datetime.date(2026, 10, 1),
    )
    return dialogue


def test_service_dialogue_runs_its_whole_path_without_a_presidium_decision(people):
    dialogue = service_dialogue(people)
    assert dialogue.responsible_body is None
    assert [s.name for s in workflow.allowed_steps(dialogue, people.official)] == [
        "start",
        "decline",
    ]
    # The political path's decision is not a step of this path.
    with pytest.raises(workflow.TransitionRefused) as refused:
        step(dialogue, "decide", people.chair, deciding_body=people.body)
    assert "Brukar- eller kunddialog" in str(refused.value)
    # An elected official does not start it; the officials do.
    with pytest.raises(PermissionDenied):
        step(dialogue, "start", people.chair, supporting_official=people.official)
    ready_to_open(dialogue, people)
    assert dialogue.status == Status.PLANNING and dialogue.is_public
    step(dialogue, "open", people.official)
    step(dialogue, "compile", people.official)
    step(
        dialogue,
        "record_improvements",
        people.official,
        results_summary="40 svar.",
        outcome_decision="Fritidsgården öppnar en timme senare på fredagar.",
        outcome_decided_on=datetime.date(2026, 12, 1),
    )
    step(dialogue, "give_feedback", people.official, feedback_text="Tack! Nu öppnar vi senare.")
    step(dialogue, "evaluate", people.official, evaluation="Många svar.")
    step(dialogue, "close", people.official)
    dialogue.refresh_from_db()
    assert dialogue.status == Status.CLOSED
    assert (dialogue.deciding_body, dialogue.decided_on, dialogue.ladder_step) == (None, None, None)
    assert list(dialogue.events.values_list("step", flat=True)) == [
        "initiate",
        "start",
        "open",
        "compile",
        "record_improvements",
        "give_feedback",
        "evaluate",
        "close",
    ]
    assert Notification.objects.filter(template="dialogues.opened").exists()


def test_service_dialogue_is_not_on_the_participation_ladder(people):
    dialogue = ready_to_open(service_dialogue(people), people)
    # No ladder step to set, and the database refuses one.
    with pytest.raises(services.DialogueError):
        services.dialogue_update(dialogue=dialogue, actor=people.official, ladder_step=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dialogue.objects.filter(pk=dialogue.pk).update(ladder_step=3)
    # Nor the ladder's rule that an information method comes first.
    catalogue_ensure()
    services.method_add(
        dialogue=dialogue, actor=people.official, method=Method.objects.get(code="enkat")
    )
    step(dialogue, "open", people.official)
    assert Dialogue.objects.get(pk=dialogue.pk).status == Status.OPEN


def test_service_dialogue_cannot_open_before_its_question_and_feedback_plan(people):
    dialogue = service_dialogue(people)
    step(dialogue, "start", people.official, supporting_official=people.official)
    with pytest.raises(workflow.TransitionRefused) as refused:
        step(dialogue, "open", people.official)
    assert "återkoppling" in str(refused.value)


def test_the_path_is_chosen_by_the_kind_code_not_a_name(people):
    dialogue = service_dialogue(people)
    assert workflow.process_for(dialogue) is workflow.SERVICE_PROCESS
    Dialogue.objects.filter(pk=dialogue.pk).update(title="Medborgardialog om fritidsgården")
    assert workflow.process_for(Dialogue.objects.get(pk=dialogue.pk)) is workflow.SERVICE_PROCESS


def test_every_step_allowed_by_the_service_table_succeeds_and_every_other_is_refused(people):
    from torget.core.tests.walk import walk_table

    dialogue = ready_to_open(service_dialogue(people), people)
    values = {
        "start": {"supporting_official": people.official},
        "decline": {"end_reason": "Enkäten görs i stället nationellt."},
        "cancel": {"end_reason": "Verksamheten läggs ned."},
        "record_improvements": {
            "results_summary": "40 svar.",
            "outcome_decision": "Senare öppettider.",
            "outcome_decided_on": datetime.date(2026, 12, 1),
        },
        "give_feedback": {"feedback_text": "Tack!"},
        "evaluate": {"evaluation": "Bra."},
    }
    administrator = user_with_role(Role.ADMINISTRATOR)

    def put(state):
        Dialogue.objects.filter(pk=dialogue.pk).update(status=state)
        return Dialogue.objects.get(pk=dialogue.pk)

    def take(record, name):
        services.dialogue_step(
            dialogue=record, step=name, actor=administrator, **values.get(name, {})
        )

    walked = walk_table(
        workflow.SERVICE_PROCESS,
        put=put,
        take=take,
        written=lambda: (AuditEntry.objects.count(), Notification.objects.count()),
    )
    assert Status.DECIDED not in workflow.SERVICE_PROCESS.states
    assert Status.PLAN_APPROVED not in workflow.SERVICE_PROCESS.states
    assert sum(1 for *_, result in walked if result == "taken") == sum(
        len(s.sources) for s in workflow.SERVICE_PROCESS
    )


def test_the_tables_share_steps_but_not_the_rules_other_parts_add_to_one_of_them():
    # Both tables are built from the same later steps; results adds "the summary is published
    # before feedback" to the political table only, so each table has its own step objects.
    political, service = (
        workflow.PROCESS["give_feedback"],
        workflow.SERVICE_PROCESS["give_feedback"],
    )
    assert political.label == service.label and political.fields == service.fields
    assert political.added_guards and not service.added_guards


def test_staff_register_a_service_dialogue_and_start_it_without_a_presidium(client, people):
    administration = AdministrationFactory()
    client.force_login(people.official)
    response = client.post(
        reverse("dialogues:staff_initiate"),
        {
            "kind": DialogueKind.SERVICE_DIALOGUE,
            "title": "Kunddialog om bygglovshandläggningen",
            "summary": "Hur upplever du kontakten med bygglov?",
            "administration": administration.pk,
        },
    )
    assert response.status_code == 302
    dialogue = Dialogue.objects.get()
    assert (dialogue.kind, dialogue.initiative_kind) == (
        DialogueKind.SERVICE_DIALOGUE,
        InitiativeKind.OFFICIALS,
    )
    page = client.get(dialogue.staff_url()).content.decode()
    assert "Starta brukardialogen" in page and "Besluta om dialog" not in page
    response = client.post(
        reverse("dialogues:staff_step", args=[dialogue.pk, "start"]),
        {"start-supporting_official": people.official.pk},
    )
    assert response.status_code == 302
    assert Dialogue.objects.get().status == Status.PLANNING
    # The political path's steps are not there for it.
    response = client.post(reverse("dialogues:staff_step", args=[dialogue.pk, "approve-plan"]))
    assert response.status_code == 404


def test_the_demo_has_one_service_dialogue(demo):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - idempotent
    service = Dialogue.objects.filter(kind=DialogueKind.SERVICE_DIALOGUE)
    assert service.count() == 1
    assert service.get().status == Status.OPEN and service.get().ladder_step is None
