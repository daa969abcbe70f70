"""Reads of surveys. Fetching and authorising is one `access_*` call (STYLE: no view can
forget the check)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from torget.accounts.types import Actor
from torget.dialogues.permissions import can_work_with
from torget.surveys import permissions
from torget.surveys.models import Option, Question, Section, Status, Survey


def access_survey_for_staff(actor: Actor, pk: int) -> Survey:
    """A survey for its staff pages (builder, paper answers, results): 404 if missing, 403
    for anyone who does not work with its dialogue."""
    survey = get_object_or_404(Survey.objects.select_related("dialogue", "method"), pk=pk)
    if not permissions.works_with_survey(actor, survey):
        raise PermissionDenied
    return survey


def access_public_survey(pk: int) -> Survey:
    """A survey as the public sees it: a draft does not exist for them."""
    survey = get_object_or_404(Survey.objects.select_related("dialogue"), pk=pk)
    if not permissions.sees_public_survey(survey):
        raise Http404
    return survey


# --- build ---


def staff_surveys(actor: Actor) -> list[Survey]:
    """Every survey of the dialogues `actor` works with, newest first, with its counts. Those
    who plan and run dialogues and administrators work with all; for anyone else (a
    presidium, a process leader) each dialogue is checked once."""
    if not getattr(actor, "is_authenticated", False):
        return []
    surveys: list[Survey] = list(
        Survey.objects.select_related("dialogue", "method__method")
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("-created_at", "-id")
    )
    if can_work_with(actor, None):
        return surveys
    allowed: dict[int, bool] = {}
    for survey in surveys:
        if survey.dialogue_id not in allowed:
            allowed[survey.dialogue_id] = permissions.works_with_survey(actor, survey)
    return [survey for survey in surveys if allowed[survey.dialogue_id]]


def dialogue_surveys(dialogue: Any) -> list[Survey]:
    """A dialogue's surveys for its staff page."""
    return list(
        dialogue.surveys.select_related("method__method")
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("created_at", "id")
    )


def public_dialogue_surveys(dialogue: Any) -> list[Survey]:
    """A dialogue's published and closed surveys, for its public page."""
    return list(
        dialogue.surveys.filter(status__in=[Status.PUBLISHED, Status.CLOSED]).order_by(
            "opens_at", "id"
        )
    )


def survey_structure(survey: Survey) -> list[Section]:
    """A survey's sections, each with its questions (and their options and conditions)
    prefetched in order: what the builder's page and the preview show."""
    questions = (
        Question.objects.select_related("condition_question")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("order", "id")))
        .order_by("order", "id")
    )
    return list(
        survey.sections.order_by("order", "id").prefetch_related(
            Prefetch("questions", queryset=questions)
        )
    )
