"""Demo data for SMS surveys: a short SMS survey in the Bergaskolan dialogue, sent to three
fictional numbers (the range set aside for fiction): one has answered everything, one waits
for its second question, one answered STOPP. Nothing is queued for sending.

Registered from SurveysConfig.ready (the app's `demo.py` is the builder's)."""

import datetime

from django.utils import timezone

from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues.models import Dialogue
from torget.notifications.models import SmsStop
from torget.notifications.selectors import phone_hash
from torget.surveys.models import (
    Answer,
    Channel,
    ConversationStatus,
    Kind,
    Option,
    Question,
    Response,
    ResponseStatus,
    Section,
    SmsConversation,
    Source,
    Status,
    Survey,
)

TITLE = "Skolvägen till Bergaskolan"
# PTS sets 070-174 06 05 to 070-174 06 99 aside for fiction.
NUMBERS = ["+46701740650", "+46701740651", "+46701740652"]  # not used by the tests


@demo.register("survey-sms", after=["dialogues"])
def load(context: DemoContext) -> None:
    dialogue = Dialogue.objects.filter(title="Ny skolgård vid Bergaskolan").first()
    if dialogue is None or Survey.objects.filter(title=TITLE).exists():
        return
    now = timezone.now()
    survey = Survey.objects.create(
        dialogue=dialogue,
        method=dialogue.methods.filter(method__code="enkat").first(),
        title=TITLE,
        intro="Tre korta frågor från kommunen om din väg till skolan.",
        status=Status.PUBLISHED,
        channel=Channel.SMS,
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now + datetime.timedelta(days=14),
        locked_at=now - datetime.timedelta(days=1),
    )
    section = Section.objects.create(survey=survey, order=1, title="Skolvägen")
    way = Question.objects.create(
        survey=survey, section=section, order=1, kind=Kind.SINGLE,
        text="Hur tar du dig oftast till skolan?", required=True,
    )  # fmt: skip
    for order, (code, text) in enumerate([("A", "Går"), ("B", "Cyklar"), ("C", "Skjuts")], 1):
        Option.objects.create(question=way, order=order, code=code, text=text)
    safe = Question.objects.create(
        survey=survey, section=section, order=2, kind=Kind.YES_NO,
        text="Känns vägen trygg?", required=True,
    )  # fmt: skip
    Question.objects.create(
        survey=survey, section=section, order=3, kind=Kind.SCALE,
        text="Hur nöjd är du med skolgården i dag?",
        scale_low_label="Inte alls", scale_high_label="Mycket",
    )  # fmt: skip
    done = Response.objects.create(
        survey=survey,
        source=Source.SMS,
        status=ResponseStatus.SUBMITTED,
        submitted_on=timezone.localdate(),
    )
    Answer.objects.create(response=done, question=way, value="B")
    Answer.objects.create(response=done, question=safe, value="nej")
    Answer.objects.create(response=done, question=survey.questions.get(order=3), value=2)
    started = Response.objects.create(survey=survey, source=Source.SMS)
    Answer.objects.create(response=started, question=way, value="A")
    SmsConversation.objects.create(
        survey=survey, phone=NUMBERS[0], status=ConversationStatus.DONE,
        sent_count=5, received_count=3,
    )  # fmt: skip
    SmsConversation.objects.create(
        survey=survey, phone=NUMBERS[1], response=started, question=safe,
        sent_count=3, received_count=1,
    )  # fmt: skip
    SmsConversation.objects.create(
        survey=survey, phone=NUMBERS[2], status=ConversationStatus.STOPPED,
        sent_count=3, received_count=1,
    )  # fmt: skip
    # The number that answered STOPP is on the stop list every SMS obeys.
    SmsStop.objects.get_or_create(phone_hash=phone_hash(NUMBERS[2]))
    context.changes += 1
