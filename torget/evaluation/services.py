"""Writes of the evaluation part: the survey template, sending the survey, answering it, and
the internal evaluation. Staff actions are recorded in the audit log; answers are not (they
are anonymous, and the log would tie them to a moment)."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.models import normalize_email
from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.dialogues.models import FINISHED, Dialogue, Status
from torget.dialogues.selectors import can_work_with
from torget.dialogues.workflow import is_administrator
from torget.evaluation import selectors
from torget.evaluation.models import (
    LIKERT_MAX,
    LIKERT_MIN,
    Answer,
    InternalEvaluation,
    Invitation,
    QuestionKind,
    Response,
    Survey,
    SurveyQuestion,
    SurveyTemplate,
    TemplateQuestion,
    new_token,
    token_hash,
)
from torget.notifications.services import notify

# Participation has ended once the results are being compiled (001); a cancelled dialogue
# had no participation to evaluate.
SURVEY_STATUSES = frozenset(FINISHED - {Status.CANCELLED})
DAYS_TO_ANSWER = 21
MAX_EXTRA_EMAILS = 500
FREE_TEXT_MAX = 5000

DEFAULT_INTRO = (
    "Tack för att du deltog i dialogen! Den här korta enkäten hjälper oss att bli bättre på "
    "medborgardialog. Den är anonym: vi kan inte se vem som har svarat vad."
)
# (text, kind, required)
DEFAULT_QUESTIONS: list[tuple[str, str, bool]] = [
    ("Jag fick tillräckligt med information inför dialogen.", QuestionKind.LIKERT, False),
    ("Det var tydligt vad som gick att påverka.", QuestionKind.LIKERT, False),
    ("Jag kunde framföra mina åsikter.", QuestionKind.LIKERT, False),
    ("Jag kände mig lyssnad på.", QuestionKind.LIKERT, False),
    ("Mötesformen passade mig.", QuestionKind.LIKERT, False),
    ("Jag vet hur resultatet av dialogen ska användas.", QuestionKind.LIKERT, False),
    ("Jag skulle vilja delta i en medborgardialog igen.", QuestionKind.LIKERT, False),
    ("Vad var bra med dialogen?", QuestionKind.TEXT, False),
    ("Vad kan vi göra bättre nästa gång?", QuestionKind.TEXT, False),
]


class EvaluationError(ValidationError):
    pass


class InvitationUnknown(Exception):
    """No invitation has this token."""


class InvitationUsed(Exception):
    """The invitation has already been used to answer."""


class SurveyClosed(Exception):
    """The last day to answer has passed."""


def _require_administrator(actor: Actor) -> None:
    if not is_administrator(actor, None):
        raise PermissionDenied


def _require_worker(actor: Actor, dialogue: Dialogue) -> None:
    if not can_work_with(actor, dialogue):
        raise PermissionDenied


# --- The template ----------------------------------------------------------------------------


@transaction.atomic
def template_ensure() -> SurveyTemplate:
    """The survey template, with the default Swedish questions if there is none yet. Called
    where the template is needed, not only from a migration: a flushed test database (or a
    new installation) gets it on first use."""
    template = SurveyTemplate.objects.order_by("id").first()
    if template is not None:
        return template
    template = SurveyTemplate.objects.create(name="Deltagarenkät", intro=DEFAULT_INTRO)
    TemplateQuestion.objects.bulk_create(
        TemplateQuestion(template=template, order=order, text=text, kind=kind, required=required)
        for order, (text, kind, required) in enumerate(DEFAULT_QUESTIONS, start=1)
    )
    return template


def _clean_question(text: str, kind: str) -> str:
    text = " ".join(text.split())
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Skriv frågan.")]
    if kind not in QuestionKind.values:
        errors["kind"] = [_("Välj typ av fråga.")]
    if errors:
        raise EvaluationError(errors)
    return text


@transaction.atomic
def template_update(*, actor: Actor, intro: str) -> SurveyTemplate:
    _require_administrator(actor)
    template = template_ensure()
    before = template.intro
    template.intro = intro.strip()
    template.save(update_fields=["intro", "updated_at"])
    audit.record(
        actor=actor,
        action="evaluation.template_updated",
        obj=template,
        changes=audit.diff({"intro": before}, {"intro": template.intro}),
    )
    return template


@transaction.atomic
def question_add(*, actor: Actor, text: str, kind: str, required: bool = False) -> TemplateQuestion:
    _require_administrator(actor)
    text = _clean_question(text, kind)
    template = SurveyTemplate.objects.select_for_update().get(pk=template_ensure().pk)
    last = template.questions.order_by("-order").values_list("order", flat=True).first() or 0
    question = TemplateQuestion.objects.create(
        template=template, order=last + 1, text=text, kind=kind, required=required
    )
    audit.record(
        actor=actor,
        action="evaluation.question_added",
        obj=template,
        changes={"text": text, "kind": kind, "required": required},
    )
    return question


@transaction.atomic
def question_update(
    *, actor: Actor, question: TemplateQuestion, text: str, kind: str, required: bool
) -> TemplateQuestion:
    _require_administrator(actor)
    text = _clean_question(text, kind)
    before = {"text": question.text, "kind": question.kind, "required": question.required}
    question.text, question.kind, question.required = text, kind, required
    question.save(update_fields=["text", "kind", "required"])
    audit.record(
        actor=actor,
        action="evaluation.question_updated",
        obj=question.template,
        changes=audit.diff(before, {"text": text, "kind": kind, "required": required}),
    )
    return question


@transaction.atomic
def question_remove(*, actor: Actor, question: TemplateQuestion) -> None:
    _require_administrator(actor)
    template = question.template
    text = question.text
    question.delete()
    audit.record(
        actor=actor, action="evaluation.question_removed", obj=template, changes={"text": text}
    )


@transaction.atomic
def question_move(*, actor: Actor, question: TemplateQuestion, up: bool) -> TemplateQuestion:
    """Swap the question with its neighbour above (or below); the order is renumbered 1…n."""
    _require_administrator(actor)
    template = SurveyTemplate.objects.select_for_update().get(pk=question.template_id)
    questions = list(template.questions.order_by("order", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
    for order, item in enumerate(questions, start=1):
        item.order = order
    TemplateQuestion.objects.bulk_update(questions, ["order"])
    audit.record(
        actor=actor,
        action="evaluation.question_moved",
        obj=template,
        changes={"text": question.text, "direction": "up" if up else "down"},
    )
    return next(q for q in questions if q.pk == question.pk)


# --- Sending the survey ----------------------------------------------------------------------


def parse_emails(raw: str | Iterable[str]) -> list[str]:
    """Addresses typed by an official, one a line or separated by commas, semicolons or spaces:
    normalised, duplicates dropped; an invalid one refuses the whole list, naming it."""
    if isinstance(raw, str):
        raw = raw.replace(",", " ").replace(";", " ").split()
    emails: list[str] = []
    invalid: list[str] = []
    for item in raw:
        item = item.strip()
        if not item:
            continue
        email = normalize_email(item)
        try:
            validate_email(email)
        except ValidationError:
            invalid.append(item)
            continue
        if email not in emails:
            emails.append(email)
    if invalid:
        raise EvaluationError(
            {
                "extra_emails": [
                    _("De här adresserna är inte giltiga: %(emails)s.")
                    % {"emails": ", ".join(invalid[:10])}
                ]
            }
        )
    if len(emails) > MAX_EXTRA_EMAILS:
        raise EvaluationError(
            {"extra_emails": [_("Högst %(max)s adresser åt gången.") % {"max": MAX_EXTRA_EMAILS}]}
        )
    return emails


def send_refusal(dialogue: Dialogue) -> str | None:
    """Why the survey cannot be sent now, or None."""
    if dialogue.status == Status.CANCELLED:
        return _("Dialogen är inställd, så det finns inget deltagande att utvärdera.")
    if dialogue.status not in SURVEY_STATUSES:
        return _(
            "Enkäten kan skickas först när deltagandet har avslutats och resultaten sammanställs."
        )
    if Survey.objects.filter(dialogue=dialogue).exists():
        return _("Enkäten är redan skickad för den här dialogen. Den skickas bara en gång.")
    return None


@transaction.atomic
def survey_send(
    *,
    dialogue: Dialogue,
    actor: Actor,
    extra_emails: str | Iterable[str] = (),
    closes_on: datetime.date | None = None,
) -> Survey:
    """Send the participant survey: one invitation with a personal link to each registered
    participant and each extra address. The addresses are used for the e-mails only; the
    survey keeps none of them."""
    _require_worker(actor, dialogue)
    # Locking the dialogue makes two officials pressing "send" at once send once.
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    refusal = send_refusal(dialogue)
    if refusal:
        raise EvaluationError(refusal, code="not_sendable")
    extra = parse_emails(extra_emails)
    today = timezone.localdate()
    if closes_on is None:
        closes_on = today + datetime.timedelta(days=DAYS_TO_ANSWER)
    elif closes_on < today:
        raise EvaluationError({"closes_on": [_("Sista svarsdagen kan inte ha passerat.")]})
    recipients = list(dict.fromkeys(selectors.participant_emails(dialogue) + extra))
    if not recipients:
        raise EvaluationError(
            {
                "extra_emails": [
                    _(
                        "Ingen är anmäld till dialogens möten. Skriv adresserna till dem som "
                        "ska få enkäten."
                    )
                ]
            }
        )
    template = template_ensure()
    questions = list(template.questions.order_by("order", "id"))
    if not questions:
        raise EvaluationError(_("Enkätmallen har inga frågor."))
    survey = Survey.objects.create(
        dialogue=dialogue,
        intro=template.intro,
        sent_at=timezone.now(),
        closes_on=closes_on,
        sent_by=user_or_none(actor),
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, order=q.order, text=q.text, kind=q.kind, required=q.required)
        for q in questions
    )
    for email in recipients:
        token = new_token()
        Invitation.objects.create(survey=survey, token_hash=token_hash(token))
        notify(
            template="evaluation.survey",
            context={
                "title": dialogue.title,
                "path": reverse("evaluation:answer", kwargs={"token": token}),
                "closes_on": closes_on,
            },
            emails=[email],
            secret=True,
        )
    audit.record(
        actor=actor,
        action="evaluation.survey_sent",
        obj=dialogue,
        changes={"invited": len(recipients), "closes_on": closes_on.isoformat()},
    )
    return survey


# --- Answering -------------------------------------------------------------------------------


def question_field(question: SurveyQuestion) -> str:
    """The name of a question's answer in forms and in errors."""
    return f"q{question.pk}"


def invitation_for(token: str) -> Invitation:
    """The invitation of a link, or InvitationUnknown / InvitationUsed / SurveyClosed."""
    invitation = (
        Invitation.objects.select_related("survey__dialogue")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnknown
    if invitation.used:
        raise InvitationUsed
    if invitation.survey.closes_on < timezone.localdate():
        raise SurveyClosed
    return invitation


def _clean_answers(
    questions: list[SurveyQuestion], answers: Mapping[Any, Any]
) -> list[tuple[SurveyQuestion, int | None, str]]:
    errors: dict[str, list[str]] = {}
    cleaned: list[tuple[SurveyQuestion, int | None, str]] = []
    for question in questions:
        raw = answers.get(question.pk, answers.get(question_field(question)))
        raw = "" if raw is None else str(raw).strip()
        name = question_field(question)
        if question.kind == QuestionKind.LIKERT:
            if raw == "":
                if question.required:
                    errors[name] = [_("Välj ett av alternativen 1–5.")]
                continue
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if not LIKERT_MIN <= value <= LIKERT_MAX:
                errors[name] = [_("Välj ett av alternativen 1–5.")]
                continue
            cleaned.append((question, value, ""))
        else:
            if raw == "":
                if question.required:
                    errors[name] = [_("Skriv ett svar på frågan.")]
                continue
            if len(raw) > FREE_TEXT_MAX:
                errors[name] = [_("Svaret får vara högst %(max)s tecken.") % {"max": FREE_TEXT_MAX}]
                continue
            cleaned.append((question, None, raw))
    if errors:
        raise EvaluationError(errors)
    return cleaned


@transaction.atomic
def response_submit(*, token: str, answers: Mapping[Any, Any]) -> Response:
    """Store one participant's answers, once per link. `answers` maps a question (its id or
    its field name) to a value 1–5 or a text; an unanswered optional question is left out.

    The invitation is marked used by a conditional update in the same transaction: of two
    submits at the same moment, the second waits for the first's row lock, then finds the
    invitation used and stores nothing."""
    invitation = invitation_for(token)
    questions = list(invitation.survey.questions.order_by("order", "id"))
    cleaned = _clean_answers(questions, answers)
    marked = Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True)
    if not marked:
        raise InvitationUsed
    response = Response.objects.create(survey=invitation.survey, submitted_on=timezone.localdate())
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value=value, text=text)
        for question, value, text in cleaned
    )
    return response


# --- The internal evaluation -----------------------------------------------------------------

INTERNAL_FIELDS = (
    "goals_met",
    "goals_comment",
    "representativeness",
    "what_worked",
    "to_improve",
    "resources",
    "summary",
    "publish_summary",
)


@transaction.atomic
def internal_evaluation_save(
    *, dialogue: Dialogue, actor: Actor, **values: Any
) -> InternalEvaluation:
    _require_worker(actor, dialogue)
    unknown = set(values) - set(INTERNAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    evaluation, _created = InternalEvaluation.objects.select_for_update().get_or_create(
        dialogue=dialogue
    )
    before = {name: getattr(evaluation, name) for name in INTERNAL_FIELDS}
    for name, value in values.items():
        setattr(evaluation, name, value.strip() if isinstance(value, str) else value)
    if evaluation.publish_summary and not evaluation.summary:
        raise EvaluationError({"summary": [_("Skriv sammanfattningen som ska publiceras.")]})
    evaluation.updated_by = user_or_none(actor)
    evaluation.full_clean()
    evaluation.save()
    after = {name: getattr(evaluation, name) for name in INTERNAL_FIELDS}
    # Which fields changed, not their text: the log stays short and the text is on the page.
    changed = sorted(audit.diff(before, after))
    audit.record(
        actor=actor,
        action="evaluation.internal_saved",
        obj=dialogue,
        changes={"fields": changed, "publish_summary": evaluation.publish_summary},
    )
    return evaluation
