"""Who may do what with a consultation: those who work with its dialogue prepare, open, close
and publish it (dialogues' `can_work_with`); those who may read the dialogues' staff pages read
it; citizens see it once approved, and its counts once it is over."""

from torget.accounts.types import Actor
from torget.consultations.models import Consultation
from torget.dialogues.permissions import can_see_staff_pages, can_work_with


def can_manage(user: Actor, consultation: Consultation) -> bool:
    return can_work_with(user, consultation.dialogue)


def can_read_staff(user: Actor, consultation: Consultation) -> bool:
    return can_see_staff_pages(user) or can_manage(user, consultation)


def can_view_public(consultation: Consultation) -> bool:
    return consultation.is_public and consultation.dialogue.is_public
