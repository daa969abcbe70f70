"""SMS surveys (*sms-enkäter*): each question goes out as an SMS, each reply comes back
through the gateway's webhook and is matched to the question its number was last sent.

Everything goes through the notifications app's outbox (`notify`, kind `surveys.sms`), so
the worker sends it, retries it and drops it for a number that answered STOPP. The staff
page shows the cost before anything is sent.

Privacy: a conversation holds the number and the response only while it runs. The link to
the response is cut when the last answer is in or the number answers STOPP, and the number
is erased when the survey closes (`conversations_erase`, from the worker's sweep).
"""

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.notifications import selectors as notification_selectors
from torget.notifications import services as notification_services
from torget.notifications import sms as sms_texts
from torget.notifications.models import Channel as NotificationChannel
from torget.notifications.phones import normalize_mobile
from torget.surveys.logic import shown_questions
from torget.surveys.models import (
    SMS_KINDS,
    Answer,
    Channel,
    ConversationStatus,
    Kind,
    Question,
    Response,
    ResponseStatus,
    SmsConversation,
    SmsInbound,
    Source,
    Survey,
)

NOTICE = "surveys.sms"
STOP_WORDS = {"stopp", "stop", "stoppa", "sluta"}
YES = {"ja", "j", "jaa", "jo", "japp", "yes", "y"}
NO = {"nej", "n", "nä", "nää", "no", "nope"}
SHORT_TEXT_MAX = 160
# A pasted list is read up to this many lines; a larger mailing is sent in parts.
MAX_LINES = 5000


# --- Reading replies ---------------------------------------------------------------------------


class InvalidReply(Exception):
    """A reply that does not answer the question; `help` is the SMS that says how to."""

    def __init__(self, help_text: str) -> None:
        super().__init__(help_text)
        self.help = help_text


def _normal(text: str) -> str:
    """Lower-case, single spaces, without the punctuation people put around a one-letter
    answer ("B.", "(b)", "Ja!")."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = " ".join(text.split())
    return text.strip(" .,;:!?()[]'\"-")


def is_stop(text: str) -> bool:
    return _normal(text) in STOP_WORDS


def _options(question: Question) -> list[Any]:
    return list(question.options.all())


def _either(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s eller %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def help_text(question: Question) -> str:
    """How to answer `question`, as one SMS line."""
    if question.kind == Kind.SINGLE:
        codes = [option.code for option in _options(question)]
        return _("Svara med %(codes)s.") % {"codes": _either(codes)}
    if question.kind == Kind.SCALE:
        return _("Svara med en siffra 1–5.")
    if question.kind == Kind.YES_NO:
        return _("Svara ja eller nej.")
    return _("Svara med en kort text, högst %(max)s tecken.") % {"max": SHORT_TEXT_MAX}


def parse_reply(question: Question, text: str) -> tuple[Any, str]:
    """An SMS reply as the answer to `question`: (`Answer.value`, `Answer.text`), or
    InvalidReply with the help to send back. Accepts an option's code ("B", " b."), its
    number ("2") or its text; a scale point 1–5; ja/nej and their usual variants; any short
    text up to 160 characters."""
    reply = _normal(text)
    if question.kind == Kind.SINGLE:
        options = _options(question)
        for option in options:
            if option.code.casefold() == reply:
                return option.code, ""
        if reply.isdigit() and 1 <= int(reply) <= len(options):
            return options[int(reply) - 1].code, ""
        if len(reply) == 1 and "a" <= reply <= "z" and ord(reply) - ord("a") < len(options):
            return options[ord(reply) - ord("a")].code, ""
        for option in options:
            if reply and reply in (_normal(option.text), _normal(option.text_en or "")):
                return option.code, ""
        raise InvalidReply(help_text(question))
    if question.kind == Kind.SCALE:
        if reply.isdigit() and 1 <= int(reply) <= 5:
            return int(reply), ""
        raise InvalidReply(help_text(question))
    if question.kind == Kind.YES_NO:
        if reply in YES:
            return "ja", ""
        if reply in NO:
            return "nej", ""
        raise InvalidReply(help_text(question))
    if question.kind == Kind.SHORT_TEXT:
        written = " ".join(text.split())
        if not written or len(written) > SHORT_TEXT_MAX:
            raise InvalidReply(help_text(question))
        return None, written
    raise InvalidReply(help_text(question))


# --- Writing messages --------------------------------------------------------------------------


def question_message(question: Question) -> str:
    lines = [question.text]
    if question.kind == Kind.SINGLE:
        lines += [f"{option.code}) {option.text}" for option in _options(question)]
    if question.kind == Kind.SCALE and (question.scale_low_label or question.scale_high_label):
        lines.append(
            _("1 = %(low)s, 5 = %(high)s")
            % {"low": question.scale_low_label or "1", "high": question.scale_high_label or "5"}
        )
    lines.append(help_text(question))
    return "\n".join(lines)


def intro_message(survey: Survey) -> str:
    lines = [survey.title]
    if survey.intro:
        lines.append(" ".join(survey.intro.split()))
    lines.append(_("Svara på frågorna genom att svara på sms:en. Svara STOPP för att sluta."))
    return "\n".join(lines)


def reminder_message(question: Question) -> str:
    return _("Påminnelse:") + " " + question_message(question)


def thanks_message() -> str:
    return _("Tack för dina svar!")


def closed_message() -> str:
    return _("Enkäten är stängd och tar inte emot fler svar. Tack ändå!")


def _send(phones: Iterable[str], message: str) -> None:
    phones = list(phones)
    if phones:
        notification_services.notify(
            template=NOTICE,
            context={"message": message},
            phones=phones,
            channels=[NotificationChannel.SMS],
        )


# --- Before sending: readiness, cost, recipients ------------------------------------------------


def survey_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.select_related("section").prefetch_related("options"))


def problems(survey: Survey, questions: Sequence[Question] | None = None) -> list[str]:
    """Why the survey cannot be sent by SMS now; empty when it can."""
    questions = survey_questions(survey) if questions is None else questions
    found = []
    if survey.channel != Channel.SMS:
        found.append(_("Enkäten är inte en sms-enkät. Välj kanalen SMS när du bygger den."))
    if not survey.is_open():
        found.append(_("Enkäten är inte publicerad och öppen."))
    if not questions:
        found.append(_("Enkäten har inga frågor."))
    for question in questions:
        if question.kind not in SMS_KINDS:
            found.append(
                _("Frågan ”%(text)s” går inte att ställa per sms (%(kind)s).")
                % {"text": question.text, "kind": question.get_kind_display()}  # type: ignore[attr-defined]
            )
    if not sms_texts.is_enabled():
        found.append(_("Sms är inte påslaget (inställningen SMS_URL)."))
    return found


def _segments(message: str) -> int:
    return sms_texts.segments(sms_texts.compose(message, limit=sms_texts.CONVERSATION_MAX_LENGTH))


@dataclass
class Cost:
    recipients: int
    per_recipient: int
    price: float
    # Questions that take more than one SMS, with how many.
    long_questions: list[tuple[Question, int]] = field(default_factory=list)

    @property
    def messages(self) -> int:
        return self.recipients * self.per_recipient

    @property
    def total(self) -> float:
        return round(self.messages * self.price, 2)


def cost(survey: Survey, recipients: int, questions: Sequence[Question] | None = None) -> Cost:
    """At most what the survey costs: for each recipient the introduction, every question
    (a conditional one too), the thanks and one reminder, each counted in SMS segments."""
    questions = survey_questions(survey) if questions is None else questions
    with translation.override("sv"):
        per_question = [(q, _segments(question_message(q))) for q in questions]
        longest_question = max((n for _q, n in per_question), default=0)
        per_recipient = (
            _segments(intro_message(survey))
            + sum(n for _q, n in per_question)
            + _segments(thanks_message())
            + longest_question  # the reminder repeats one question
        )
    return Cost(
        recipients=recipients,
        per_recipient=per_recipient,
        price=float(settings.SMS_PRICE_SEK),
        long_questions=[(q, n) for q, n in per_question if n > 1],
    )


@dataclass
class NumberList:
    phones: list[str]
    # (line number, the line as written, what is wrong)
    errors: list[tuple[int, str, str]]
    duplicates: int = 0


def parse_numbers(text: str) -> NumberList:
    """A pasted list: one mobile number a line (blank lines are skipped), each normalised to
    E.164; repeats are counted once."""
    phones: list[str] = []
    errors: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    duplicates = 0
    lines = text.splitlines()
    for number, line in enumerate(lines[:MAX_LINES], start=1):
        written = line.strip()
        if not written:
            continue
        try:
            phone = normalize_mobile(written)
        except ValidationError as error:
            errors.append((number, written[:40], " ".join(error.messages)))
            continue
        if phone in seen:
            duplicates += 1
            continue
        seen.add(phone)
        phones.append(phone)
    if len(lines) > MAX_LINES:
        errors.append(
            (
                MAX_LINES + 1,
                "",
                _("Högst %(max)s nummer åt gången. Skicka resten i en ny omgång.")
                % {"max": MAX_LINES},
            )
        )
    return NumberList(phones=phones, errors=errors, duplicates=duplicates)


def area_numbers(area: Any) -> list[str]:
    """The confirmed numbers of those who follow `area` by SMS."""
    return notification_selectors.sms_numbers_following(area)


@dataclass
class Recipients:
    new: list[str]
    stopped: int = 0
    already: int = 0
    busy: int = 0


def recipients_sort(survey: Survey, phones: Sequence[str]) -> Recipients:
    """Which of `phones` get the survey: not a number that answered STOPP, not one already
    asked by this survey, not one in the middle of another SMS survey."""
    stopped = notification_selectors.sms_stopped_among(phones)
    asked = set(
        SmsConversation.objects.filter(survey=survey, phone__in=phones).values_list(
            "phone", flat=True
        )
    )
    busy = (
        set(
            SmsConversation.objects.filter(
                phone__in=phones, status=ConversationStatus.WAITING
            ).values_list("phone", flat=True)
        )
        - asked
    )
    result = Recipients(new=[])
    for phone in phones:
        if phone in stopped:
            result.stopped += 1
        elif phone in asked:
            result.already += 1
        elif phone in busy:
            result.busy += 1
        else:
            result.new.append(phone)
    return result


# --- Services ------------------------------------------------------------------------------------


def _first_question(questions: Sequence[Question], answers: dict[int, Any]) -> Question | None:
    for question in shown_questions(questions, answers):
        if question.pk not in answers:
            return question
    return None


@transaction.atomic
def survey_sms_send(*, survey: Survey, phones: Sequence[str], actor: Actor) -> Recipients:
    """Send an SMS survey to `phones` (E.164): the introduction and the first question go
    to each number that may get it (see `recipients_sort`) through the outbox."""
    questions = survey_questions(survey)
    found = problems(survey, questions)
    if found:
        raise ValidationError(found)
    recipients = recipients_sort(survey, phones)
    first = _first_question(questions, {})
    now = timezone.now()
    SmsConversation.objects.bulk_create(
        [
            SmsConversation(
                survey=survey, phone=phone, question=first, sent_count=2, last_sent_at=now
            )
            for phone in recipients.new
        ]
    )
    with translation.override("sv"):
        _send(recipients.new, intro_message(survey))
        if first is not None:
            _send(recipients.new, question_message(first))
    audit.record(
        actor=actor,
        action="survey.sms_sent",
        obj=survey,
        changes={
            "recipients": len(recipients.new),
            "stopped": recipients.stopped,
            "already_asked": recipients.already,
            "busy": recipients.busy,
        },
    )
    return recipients


def _answers_of(response: Response | None) -> dict[int, Any]:
    if response is None:
        return {}
    return {
        answer.question_id: answer.value if answer.value is not None else answer.text
        for answer in response.answers.all()
    }


def _finish(conversation: SmsConversation, status: str) -> None:
    conversation.status = status
    conversation.question = None
    conversation.response = None  # the number no longer leads to the answers


@dataclass
class Inbound:
    """What a received SMS led to (for the webhook's log and the tests)."""

    outcome: str
    conversation: SmsConversation | None = None


def sms_receive(*, message_id: str, phone: str, text: str) -> Inbound:
    """One SMS from the gateway. The same `message_id` twice is handled once (the gateway
    retries a webhook until it hears 200)."""
    with translation.override("sv"):
        try:
            with transaction.atomic():
                SmsInbound.objects.create(message_id=message_id[:100])
                return _receive(phone, text)
        except IntegrityError:
            if SmsInbound.objects.filter(message_id=message_id[:100]).exists():
                return Inbound("repeat")
            raise


def _receive(phone: str, text: str) -> Inbound:
    try:
        phone = normalize_mobile(phone)
    except ValidationError:
        return Inbound("not a mobile number")
    if is_stop(text):
        stopped = list(
            SmsConversation.objects.select_for_update(of=("self",)).filter(
                phone=phone, status=ConversationStatus.WAITING
            )
        )
        for ended in stopped:
            ended.received_count += 1
            _finish(ended, ConversationStatus.STOPPED)
            ended.save()
            audit.record(action="survey.sms_stopped", obj=ended)
        notification_services.sms_stop(phone=phone)
        return Inbound("stopped", stopped[0] if stopped else None)
    conversation = (
        SmsConversation.objects.select_for_update(of=("self",))
        .select_related("survey", "question", "response")
        .filter(phone=phone, status=ConversationStatus.WAITING)
        .first()
    )
    if conversation is None:
        # Nobody is asked anything by this number: no reply (an SMS costs, and an
        # automatic answer to an automatic sender could go on for ever).
        return Inbound("unknown number")
    conversation.received_count += 1
    survey = conversation.survey
    if not survey.is_open() or conversation.question is None:
        _finish(conversation, ConversationStatus.DONE)
        conversation.sent_count += 1
        conversation.save()
        _send([phone], closed_message())
        return Inbound("closed", conversation)
    question = conversation.question
    try:
        value, written = parse_reply(question, text)
    except InvalidReply as invalid:
        conversation.sent_count += 1
        conversation.last_sent_at = timezone.now()
        conversation.save()
        _send([phone], invalid.help)
        return Inbound("invalid", conversation)
    response = conversation.response
    if response is None:
        response = Response.objects.create(survey=survey, source=Source.SMS, language="sv")
        conversation.response = response
    Answer.objects.update_or_create(
        response=response,
        question=question,
        defaults={"value": value, "text": written, "question_version": question.version},
    )
    Survey.objects.filter(pk=survey.pk, locked_at__isnull=True).update(locked_at=timezone.now())
    questions = survey_questions(survey)
    following = _first_question(questions, _answers_of(response))
    conversation.sent_count += 1
    conversation.last_sent_at = timezone.now()
    if following is None:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_on = timezone.localdate()
        response.save(update_fields=["status", "submitted_on"])
        _finish(conversation, ConversationStatus.DONE)
        conversation.save()
        _send([phone], thanks_message())
        return Inbound("done", conversation)
    conversation.question = following
    conversation.save()
    _send([phone], question_message(following))
    return Inbound("answered", conversation)


def _due_reminders(now: datetime.datetime) -> Q:
    hours = settings.SMS_SURVEY_REMINDER_HOURS
    return Q(last_sent_at__lte=now - datetime.timedelta(hours=hours))


@transaction.atomic
def sms_reminders_send(
    *, survey: Survey | None = None, actor: Actor | None = None, now: Any = None
) -> int:
    """One reminder, never more, to each number that has not answered its question: by the
    worker's sweep after SMS_SURVEY_REMINDER_HOURS, or for one survey at once by staff."""
    now = now or timezone.now()
    waiting = (
        SmsConversation.objects.select_for_update(of=("self",))
        .filter(status=ConversationStatus.WAITING, reminded=False, question__isnull=False)
        .exclude(phone="")
        .select_related("survey", "question")
    )
    if survey is not None:
        waiting = waiting.filter(survey=survey)
    else:
        waiting = waiting.filter(_due_reminders(now))
    by_question: dict[Question, list[SmsConversation]] = defaultdict(list)
    for conversation in waiting:
        if conversation.survey.is_open(now) and conversation.question is not None:
            by_question[conversation.question].append(conversation)
    reminded = 0
    with translation.override("sv"):
        for question, conversations in by_question.items():
            _send([c.phone for c in conversations], reminder_message(question))
            for conversation in conversations:
                conversation.reminded = True
                conversation.sent_count += 1
                conversation.last_sent_at = now
            SmsConversation.objects.bulk_update(
                conversations, ["reminded", "sent_count", "last_sent_at"]
            )
            reminded += len(conversations)
    if survey is not None:
        audit.record(
            actor=actor, action="survey.sms_reminded", obj=survey, changes={"reminded": reminded}
        )
    return reminded


@transaction.atomic
def conversations_erase(*, survey: Survey) -> int:
    """The survey has closed: its numbers are erased and no conversation leads to a
    response any more. The counts of sent and received SMS stay."""
    erased = (
        SmsConversation.objects.filter(survey=survey)
        .filter(~Q(phone="") | Q(response__isnull=False))
        .update(phone="", response=None, question=None)
    )
    if erased:
        audit.record(action="survey.sms_numbers_erased", obj=survey, changes={"erased": erased})
    return erased


def closed_surveys_erase(*, now: Any = None) -> int:
    """The sweep's part: erase the numbers of every SMS survey that is no longer open."""
    now = now or timezone.now()
    with_numbers = Survey.objects.filter(
        pk__in=SmsConversation.objects.exclude(phone="").values("survey_id")
    )
    return sum(
        conversations_erase(survey=survey) for survey in with_numbers if not survey.is_open(now)
    )


def on_tick() -> dict[str, int]:
    return {"reminded": sms_reminders_send(), "erased": closed_surveys_erase()}


# --- Counts for the staff page -----------------------------------------------------------------


def conversation_counts(survey: Survey) -> dict[str, int]:
    from django.db.models import Count, Sum

    rows = (
        SmsConversation.objects.filter(survey=survey)
        .values("status")
        .annotate(n=Count("pk"), sent=Sum("sent_count"), received=Sum("received_count"))
    )
    counts = {status: 0 for status in ConversationStatus.values}
    sent = received = 0
    for row in rows:
        counts[row["status"]] = row["n"]
        sent += row["sent"] or 0
        received += row["received"] or 0
    counts["total"] = sum(counts[s] for s in ConversationStatus.values)
    counts["sent"] = sent
    counts["received"] = received
    counts["reminded"] = SmsConversation.objects.filter(survey=survey, reminded=True).count()
    return counts
