"""Answering a survey: starting, saving page by page, sending in, and staff entering paper
answers. Every way of answering (web, paper, SMS) ends in these services.

Anonymity (DOMAIN §3): a `Response` is never linked to a person, an account, an e-ID step,
an e-mail or IP address. Where one answer per person is the rule, `Participation` holds a
keyed hash of the person, written in the same transaction as the answers are sent in, and
nothing joins the two. For the same reason a citizen's answer is not written to the audit
log (its time would join the two); paper entry, a staff action, is.
"""

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.models import User
from torget.audit import services as audit
from torget.core import inputs
from torget.surveys import answer_forms, logic
from torget.surveys.models import (
    Access,
    Answer,
    Participation,
    Question,
    Response,
    ResponseStatus,
    Section,
    Source,
    Status,
    Survey,
    new_token,
)

# No 0/O, 1/I/L: a receipt is read aloud and typed from paper.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def check_open(survey: Survey) -> None:
    if not survey.is_open():
        raise ValidationError(_("Enkäten är inte öppen för svar."), code="closed")


def participation_key(*, survey: Survey, user: Any = None, person_key: str = "") -> str:
    """The key of the one-answer-per-person rule: the e-ID's person key, or "e-post:" and
    the account's verified address. Blank for an open survey."""
    if survey.access == Access.EID:
        return person_key
    if survey.access == Access.EMAIL:
        if user is None or not getattr(user, "is_authenticated", False):
            return ""
        if not user.is_email_verified:
            return ""
        return "e-post:" + user.email.strip().lower()
    return ""


def has_answered(*, survey: Survey, key: str) -> bool:
    return bool(key) and (
        Participation.objects.filter(
            survey=survey, person_hash=logic.person_hash(survey, key)
        ).exists()
    )


def _check_text(values: Iterable[Any]) -> None:
    """Answers hold no control characters (PostgreSQL's JSON refuses a NUL outright)."""
    for value in values:
        for text in value if isinstance(value, list | tuple) else [value]:
            if isinstance(text, str):
                inputs.validate_text(text)


PAGE_MAX = 32767  # the largest page a PositiveSmallIntegerField holds


def response_start(*, survey: Survey, language: str = "sv", source: str = Source.WEB) -> Response:
    """A new, empty response with the secret of its resume link."""
    check_open(survey)
    response = Response(
        survey=survey, source=source, token=new_token(), language=(language or "sv")[:8]
    )
    response.save()
    return response


def _lock(survey: Survey) -> None:
    """The first answer locks the survey's questions (once, even when two come at once)."""
    if survey.locked_at is None:
        now = timezone.now()
        Survey.objects.filter(pk=survey.pk, locked_at__isnull=True).update(locked_at=now)
        survey.locked_at = survey.locked_at or now


def _write(response: Response, questions: Iterable[Question], answers: Mapping[int, Any]) -> None:
    """Store `answers` (question id → value) for `questions`: None removes an answer."""
    questions = list(questions)
    empty = [q.pk for q in questions if answers.get(q.pk) is None]
    if empty:
        Answer.objects.filter(response=response, question_id__in=empty).delete()
    existing = {
        a.question_id: a
        for a in Answer.objects.filter(response=response, question_id__in=[q.pk for q in questions])
    }
    for question in questions:
        value = answers.get(question.pk)
        if value is None:
            continue
        fields = answer_forms.stored(question, value)
        answer = existing.get(question.pk) or Answer(response=response, question=question)
        for name, field_value in fields.items():
            setattr(answer, name, field_value)
        answer.question_version = question.version
        answer.save()


def answers_of(response: Response) -> dict[int, Any]:
    """The response's answers so far: question id → value."""
    return {
        answer.question_id: answer_forms.value_of(answer)
        for answer in response.answers.select_related("question")
    }


@transaction.atomic
def response_save_page(
    *,
    response: Response,
    section: Section,
    answers: Mapping[int, Any],
    page: int | None = None,
) -> Response:
    """Store one page's answers (from `answer_forms.SectionForm.answers()`)."""
    if response.is_submitted:
        raise ValidationError(_("Svaren är redan inskickade."), code="submitted")
    survey = response.survey
    check_open(survey)
    _check_text(answers.values())
    if page is not None and not 1 <= page <= PAGE_MAX:
        # The page a resume link returns to: a form field elsewhere, never a database error.
        raise ValidationError(_("Sidan finns inte i enkäten."), code="invalid_page")
    questions = list(section.questions.all())
    _write(response, questions, answers)
    if any(answers.get(q.pk) is not None for q in questions):
        _lock(survey)
    if page is not None:
        response.page = page
        response.save(update_fields=["page"])
    return response


@transaction.atomic
def response_save_background(
    *, response: Response, background: Mapping[str, Any], page: int | None = None
) -> Response:
    if response.is_submitted:
        raise ValidationError(_("Svaren är redan inskickade."), code="submitted")
    check_open(response.survey)
    for name, value in background.items():
        setattr(response, name, value)
    if page is not None and not 1 <= page <= PAGE_MAX:
        # The page a resume link returns to: a form field elsewhere, never a database error.
        raise ValidationError(_("Sidan finns inte i enkäten."), code="invalid_page")
    if page is not None:
        response.page = page
    response.save()
    return response


def missing_required(survey: Survey, answers: Mapping[int, Any]) -> list[Question]:
    """The required questions that are shown (by the conditions) and have no answer."""
    questions = survey.questions.select_related("condition_question", "section")
    return [
        question
        for question in logic.shown_questions(questions, answers)
        if question.required and answers.get(question.pk) is None
    ]


def _participate(survey: Survey, key: str) -> None:
    try:
        with transaction.atomic():
            Participation.objects.create(survey=survey, person_hash=logic.person_hash(survey, key))
    except IntegrityError:
        raise ValidationError(
            _("Du har redan svarat på den här enkäten. Bara ett svar per person räknas."),
            code="answered",
        ) from None


@transaction.atomic
def response_submit(*, response: Response, key: str = "") -> Response:
    """Send the answers in: every required question that is shown must be answered. For a
    survey with one answer per person, `key` (see `participation_key`) marks the person as
    having answered, in the same transaction; a second answer is refused by the database."""
    response = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    survey = response.survey
    if response.is_submitted:
        raise ValidationError(_("Svaren är redan inskickade."), code="submitted")
    check_open(survey)
    answers = answers_of(response)
    missing = missing_required(survey, answers)
    if missing:
        raise ValidationError(
            _("Några obligatoriska frågor saknar svar: %(questions)s")
            % {"questions": "; ".join(q.localized_text for q in missing)},
            code="required",
        )
    # Answers to questions that the final answers hide were never asked: drop them.
    shown = {q.pk for q in logic.shown_questions(survey.questions.all(), answers)}
    response.answers.exclude(question_id__in=shown).delete()
    if survey.access != Access.OPEN:
        if not key:
            raise ValidationError(_("Vi vet inte vem som svarar."), code="no_key")
        _participate(survey, key)
    _lock(survey)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_on = timezone.localdate()
    response.receipt = new_receipt()
    response.token = ""
    response.save()
    return response


@transaction.atomic
def response_enter_paper(
    *,
    survey: Survey,
    actor: User,
    answers: Mapping[int, Any],
    background: Mapping[str, Any] | None = None,
    note: str = "",
) -> Response:
    """A paper answer entered by staff: stored as written (a question left blank on paper
    stays blank, required or not), marked as paper and by whom. It counts like any other
    answer. The period does not apply: paper collected while the survey was open may be
    entered after it closed."""
    if survey.status == Status.DRAFT:
        raise ValidationError(_("Enkäten är inte publicerad."), code="draft")
    questions = list(survey.questions.select_related("condition_question"))
    shown = {q.pk for q in logic.shown_questions(questions, answers)}
    response = Response(
        survey=survey,
        source=Source.PAPER,
        status=ResponseStatus.SUBMITTED,
        submitted_on=timezone.localdate(),
        receipt=new_receipt(),
        entered_by=actor,
        entered_note=note.strip()[:200],
        **dict(background or {}),
    )
    response.full_clean(exclude=["area", "entered_by", "survey"])
    response.save()
    _write(response, questions, {pk: v for pk, v in answers.items() if pk in shown})
    _lock(survey)
    audit.record(
        actor=actor,
        action="survey.paper_answer_entered",
        obj=survey,
        changes={"note": response.entered_note},
    )
    return response
