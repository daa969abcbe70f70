"""Reads of medborgardialoger. Public reads start from `dialogues_public()`, which never
includes an initiative not yet decided on or one that was declined. Who may read what is
decided in permissions.py (`can_work_with` is imported here for the other parts that ask
the selectors)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from torget.accounts.types import Actor
from torget.dialogues.models import NOT_PUBLIC, Dialogue, DialogueDate, Method, TargetGroup
from torget.dialogues.permissions import can_see_staff_pages, can_work_with


def dialogues_public() -> QuerySet[Dialogue]:
    return (
        Dialogue.objects.exclude(status__in=NOT_PUBLIC)
        .select_related("deciding_body", "process_leader", "administration")
        .prefetch_related("areas", "topics")
    )


def public_dialogue(pk: int) -> Dialogue:
    return get_object_or_404(dialogues_public(), pk=pk)


def public_dates() -> QuerySet[DialogueDate]:
    """Dates of public dialogues (for the calendar); a cancelled dialogue's dates are shown
    by the calendar as cancelled, not hidden."""
    return DialogueDate.objects.exclude(dialogue__status__in=NOT_PUBLIC).select_related(
        "dialogue", "area"
    )


def _staff_dialogue(pk: int) -> Dialogue:
    return get_object_or_404(
        Dialogue.objects.select_related(
            "deciding_body",
            "initiating_body",
            "administration",
            "process_leader",
            "supporting_official",
        ),
        pk=pk,
    )


def access_dialogue(user: Actor, pk: int) -> Dialogue:
    """A dialogue for the staff pages: 404 if missing, 403 for those without access."""
    dialogue = _staff_dialogue(pk)
    if not (can_see_staff_pages(user) or can_work_with(user, dialogue)):
        raise PermissionDenied
    return dialogue


def access_dialogue_for_work(user: Actor, pk: int) -> Dialogue:
    """A dialogue for those who plan and run it (`can_work_with`), as the pages that change
    it and its evaluation need: 404 if missing, 403 for everyone else, readers included."""
    dialogue = _staff_dialogue(pk)
    if not can_work_with(user, dialogue):
        raise PermissionDenied
    return dialogue


def methods_by_step() -> dict[int, list[Method]]:
    grouped: dict[int, list[Method]] = {}
    for method in Method.objects.filter(is_active=True):
        grouped.setdefault(method.ladder_step, []).append(method)
    return grouped


def target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.filter(is_active=True)
