"""Dialogues at each point of the process, made through the same services and steps as the
staff pages (so a factory never builds a state the workflow could not reach)."""

import datetime
from dataclasses import dataclass
from typing import Any

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.dialogues import services
from torget.dialogues.catalogue import catalogue_ensure
from torget.dialogues.models import Dialogue, InitiativeKind, LadderStep, Method, TargetGroup
from torget.organisation.models import MemberRole
from torget.organisation.tests.factories import BodyFactory, MembershipFactory


@dataclass
class Cast:
    """The people of one dialogue: the body's chair, the process leader, the official."""

    body: Any
    chair: Any
    leader: Any
    official: Any


def cast(body: Any = None) -> Cast:
    body = body or BodyFactory()
    chair = MembershipFactory(body=body, role=MemberRole.CHAIR).person
    leader = MembershipFactory(body=body).person
    official = user_with_role(Role.OFFICIAL)
    return Cast(body=body, chair=chair, leader=leader, official=official)


def initiative(people: Cast, **values: Any) -> Dialogue:
    values.setdefault("title", "Ny skolgård i Berga")
    values.setdefault("summary", "Hur ska den nya skolgården se ut?")
    return services.dialogue_initiate(
        actor=people.official,
        initiative_kind=InitiativeKind.POLITICAL,
        initiating_body=people.body,
        **values,
    )


def before_ks_decides(
    dialogue: Dialogue,
    people: Cast,
    *,
    consulted: Any = None,
    proposal: str = "Kommundirektören föreslår att dialogen genomförs.",
) -> Dialogue:
    """What KS presidium decides on (004 §2): the kommundirektör's proposal, and for a
    citizen's initiative the consultation with the presidium concerned."""
    services.director_proposal_record(
        dialogue=dialogue,
        actor=people.official,
        proposed_on=datetime.date(2026, 8, 20),
        text=proposal,
    )
    if dialogue.initiative_kind == InitiativeKind.CITIZEN:
        services.consultation_add(
            dialogue=dialogue,
            actor=people.official,
            body=consulted or BodyFactory(),
            held_on=datetime.date(2026, 8, 25),
            outcome="Presidiet stöder en dialog i frågan.",
        )
    dialogue.refresh_from_db()
    return dialogue


def decide(dialogue: Dialogue, people: Cast) -> Dialogue:
    return services.dialogue_step(
        dialogue=dialogue,
        step="decide",
        actor=people.chair,
        deciding_body=people.body,
        decided_on=datetime.date(2026, 9, 1),
        decision_reference=f"{people.body.abbreviation} 2026/12",
        budget=50000,
        steering_group="Nämndens presidium och förvaltningschefen",
        process_leader=people.leader,
        supporting_official=people.official,
    )


def plan(dialogue: Dialogue, people: Cast, *, information_first: bool = True) -> Dialogue:
    """Fill in a complete plan (in status planning)."""
    catalogue_ensure()
    if dialogue.status == "beslutad":
        services.dialogue_step(dialogue=dialogue, step="start_planning", actor=people.official)
    services.dialogue_update(
        dialogue=dialogue,
        actor=people.official,
        question="Vad vill barnen och föräldrarna ha på skolgården?",
        open_to_influence="Utformningen och utrustningen. Inte budgeten eller platsen.",
        ladder_step=LadderStep.DIALOGUE,
        how_to_take_part="Kom till dialogmötet eller svara på enkäten.",
        communication_plan="Webbplatsen, affischer i skolan, brev hem.",
        documentation_plan="Anteckningar från varje möte publiceras inom en vecka.",
        feedback_plan="Deltagarna får en sammanfattning i januari och beslutet i mars.",
        evaluation_plan="Enkät till deltagarna och intern utvärdering.",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 11, 30),
        decision_expected_on=datetime.date(2027, 3, 15),
    )
    services.target_group_add(
        dialogue=dialogue,
        actor=people.official,
        group=TargetGroup.objects.get(code="barn"),
        effort="Workshops på skoltid i alla klasser.",
    )
    first, then = (
        (Method.objects.filter(is_information=True).first(), Method.objects.get(code="dialogmote"))
        if information_first
        else (
            Method.objects.get(code="dialogmote"),
            Method.objects.filter(is_information=True).first(),
        )
    )
    services.method_add(dialogue=dialogue, actor=people.official, method=first)
    services.method_add(dialogue=dialogue, actor=people.official, method=then)
    dialogue.refresh_from_db()
    return dialogue


def approved(people: Cast, **values: Any) -> Dialogue:
    dialogue = plan(decide(initiative(people, **values), people), people)
    return services.dialogue_step(dialogue=dialogue, step="approve_plan", actor=people.leader)


def opened(people: Cast, **values: Any) -> Dialogue:
    dialogue = approved(people, **values)
    return services.dialogue_step(dialogue=dialogue, step="open", actor=people.official)


def summary_published(dialogue: Dialogue, people: Cast) -> Any:
    """Feedback point 2 (004 §9), which the step give_feedback needs first."""
    from torget.results import services as results

    return results.summary_publish(
        dialogue=dialogue, actor=people.official, text="Så här gick dialogen."
    )


def decision_proposal_published(dialogue: Dialogue, people: Cast) -> Any:
    """Feedback point 3 (004 §9), which the step record_decision needs first (or a reason
    recorded for skipping it)."""
    from torget.results import services as results

    return results.decision_proposal_publish(
        dialogue=dialogue,
        actor=people.official,
        text="Förvaltningen föreslår en skolgård med klätterställning.",
        deciding_body=people.body,
        expected_on=datetime.date(2027, 3, 15),
    )
