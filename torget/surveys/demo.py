"""Demo surveys: in the school yard dialogue, a published web survey open now with a question
of every kind (one shown only on a "ja"), and a draft copied from it. Made through the
builder's services. Answers are the answering and results parts' demo."""

import datetime

from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.types import Actor
from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues.models import Dialogue, Method, PlannedMethod
from torget.surveys import builder
from torget.surveys.models import Channel, Kind, Question, Source, Status, Survey

DIALOGUE = "Ny skolgård vid Bergaskolan"
TITLE = "Vad vill du ha på den nya skolgården?"
DRAFT_TITLE = "Skolgården ett år senare"
CLOSED_TITLE = "Trygg skolväg i Berga"


@demo.register("surveys", after=["accounts", "dialogues"])
def load(context: DemoContext) -> None:
    dialogue = Dialogue.objects.filter(title=DIALOGUE).first()
    if dialogue is None or Survey.objects.filter(dialogue=dialogue, title=TITLE).exists():
        return
    official = context.users[Role.OFFICIAL]
    method = dialogue.methods.filter(method__code=builder.SURVEY_METHOD_CODE).first()
    if method is None:
        # The plan was approved before surveys existed in the demo: the survey joins it.
        method = PlannedMethod.objects.create(
            dialogue=dialogue,
            method=Method.objects.get(code=builder.SURVEY_METHOD_CODE),
            order=dialogue.methods.count() + 1,
            note="En webbenkät till elever, föräldrar och grannar.",
        )
    now = timezone.now()
    survey = builder.survey_create(
        actor=official,
        dialogue=dialogue,
        method=method,
        title=TITLE,
        title_en="What would you like in the new school yard?",
        intro="Skolgården vid Bergaskolan ska byggas om. Berätta vad du tycker – det tar fem minuter.",
        intro_en="The school yard at Bergaskolan is being rebuilt. Tell us what you think.",
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=30),
        ask_age_band=True,
        ask_area=True,
        ask_target_groups=True,
    )
    today = builder.section_add(
        actor=official, survey=survey, title="Skolgården i dag", title_en="The school yard today"
    )

    def ask(section, kind, text, text_en="", **values):  # type: ignore[no-untyped-def]
        return builder.question_add(
            actor=official, section=section, kind=kind, text=text, text_en=text_en, **values
        )

    ask(
        today,
        Kind.SINGLE,
        "Hur ofta är du på skolgården?",
        "How often are you in the school yard?",
        options=["Varje dag", "Några gånger i veckan", "Sällan", "Aldrig"],
        required=True,
    )
    ask(
        today,
        Kind.MULTIPLE,
        "Vad gör du där?",
        "What do you do there?",
        options=["Leker", "Spelar fotboll", "Umgås med kompisar", "Går förbi"],
        max_choices=2,
    )
    ask(
        today,
        Kind.SCALE,
        "Hur trivs du på skolgården?",
        "How do you like the school yard?",
        scale_low_label="Inte alls",
        scale_high_label="Mycket bra",
        scale_low_label_en="Not at all",
        scale_high_label_en="Very much",
    )
    ask(
        today,
        Kind.NUMBER,
        "Hur många minuter tar det att gå dit?",
        "How many minutes does it take to walk there?",
        number_min=0,
        number_max=120,
    )
    safe = ask(today, Kind.YES_NO, "Känner du dig trygg där på kvällen?", "Do you feel safe there?")
    new = builder.section_add(
        actor=official, survey=survey, title="Den nya skolgården", title_en="The new school yard"
    )
    ask(new, Kind.SHORT_TEXT, "Ett ord om skolgården", "One word about the school yard")
    ask(
        new,
        Kind.LONG_TEXT,
        "Vad gör att du känner dig trygg?",
        "What makes you feel safe?",
        condition_question=safe,
        condition_value="ja",
    )
    ask(
        new,
        Kind.RANKING,
        "Rangordna det du helst vill ha",
        "Rank what you want most",
        options=["Gungor", "Klätterställning", "Fotbollsplan", "Odlingslådor"],
    )
    ask(
        new,
        Kind.PLACE,
        "Var på skolgården behövs det något nytt?",
        "Where is something new needed?",
    )
    builder.survey_publish(actor=official, survey=survey)
    draft = builder.survey_copy(actor=official, source=survey, dialogue=dialogue, method=method)
    builder.survey_update(actor=official, survey=draft, title=DRAFT_TITLE, title_en="")
    _closed_survey(official, dialogue, method, now)
    context.changes += 1


def _closed_survey(
    official: Actor, dialogue: Dialogue, method: PlannedMethod, now: datetime.datetime
) -> Survey:
    """An earlier survey, closed: the results part's demo answers it and publishes its
    summary, so the public results page has something to show."""
    survey = builder.survey_create(
        actor=official,
        dialogue=dialogue,
        method=method,
        title=CLOSED_TITLE,
        title_en="The way to school",
        intro="Hur tar sig barnen till skolan, och var känns vägen otrygg?",
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now + datetime.timedelta(days=1),
        ask_age_band=True,
        ask_area=True,
    )
    section = builder.section_add(actor=official, survey=survey, title="Skolvägen")
    for kind, text, values in (
        (
            Kind.SINGLE,
            "Hur tar du dig oftast till skolan?",
            {"options": ["Går", "Cyklar", "Åker buss", "Blir skjutsad"]},
        ),
        (Kind.SCALE, "Hur trygg känner du dig på skolvägen?", {}),
        (Kind.YES_NO, "Finns det en plats på vägen som känns otrygg?", {}),
        (Kind.LONG_TEXT, "Vad skulle göra skolvägen tryggare?", {}),
    ):
        builder.question_add(actor=official, section=section, kind=kind, text=text, **values)
    builder.survey_publish(actor=official, survey=survey)
    builder.survey_close(actor=official, survey=survey)
    # It ran last term: the period as it was (the builder only lets a period start ahead).
    Survey.objects.filter(pk=survey.pk).update(closes_at=now - datetime.timedelta(days=2))
    return survey


# --- answer ---
# A handful of answers, on the web and on paper, to each published demo survey, so that the
# results have something to show. Runs after the builder's demo surveys where those exist.
DEMO_RESPONSES = 6


def _value(question: Question, n: int) -> object:
    """The n:th demo respondent's answer to a question (varied, always valid)."""
    codes = [o.code for o in question.options.all()] or ["A"]
    if question.kind == Kind.SINGLE:
        return codes[n % len(codes)]
    if question.kind == Kind.MULTIPLE:
        return codes[: 1 + n % min(len(codes), question.max_choices or len(codes))]
    if question.kind == Kind.RANKING:
        return codes[n % len(codes) :] + codes[: n % len(codes)]
    if question.kind == Kind.SCALE:
        return 1 + (n * 2) % 5
    if question.kind == Kind.NUMBER:
        low = question.number_min or 0
        high = question.number_max if question.number_max is not None else low + 30
        return low + (n * 7) % (high - low + 1)
    if question.kind == Kind.YES_NO:
        return "ja" if n % 3 else "nej"
    if question.kind == Kind.SHORT_TEXT:
        return ["Grönt", "Tryggt", "Trångt", "Roligt", "Mörkt", "Bra"][n % 6]
    if question.kind == Kind.LONG_TEXT:
        return [
            "Mer belysning vid gångvägen skulle göra stor skillnad.",
            "Det är fint som det är, men bänkarna behöver lagas.",
            "Fler platser att sitta på, gärna i skugga.",
        ][n % 3]
    if question.kind == Kind.PLACE:
        return {"text": "Vid entrén", "lat": 58.41 + n * 0.001, "lon": 15.62 + n * 0.001}
    return None


def _answer_survey(context: demo.DemoContext, survey: Survey) -> None:
    from torget.surveys import answering

    if survey.responses.filter(source=Source.PAPER).exists():
        return
    staff = next(iter(context.users.values()), None)
    questions = list(survey.questions.prefetch_related("options"))
    sections = list(survey.sections.all())
    bands = ["16-19", "30-44", "45-64", "65-79", "20-29", ""]
    for n in range(DEMO_RESPONSES):
        answers = {q.pk: _value(q, n) for q in questions}
        if (n % 3 == 2 or not survey.is_open()) and staff is not None:
            answering.response_enter_paper(
                survey=survey,
                actor=staff,
                answers=answers,
                background={"age_band": bands[n]},
                note="Biblioteket",
            )
        elif survey.is_open():
            response = answering.response_start(survey=survey)
            for section in sections:
                answering.response_save_page(response=response, section=section, answers=answers)
            answering.response_save_background(response=response, background={"age_band": bands[n]})
            answering.response_submit(response=response, key=f"demo-{survey.pk}-{n}")
        context.changes += 1


@demo.register(
    "survey-answers",
    after=["surveys", "survey-results"],
)
def load_answers(context: demo.DemoContext) -> None:
    """Answers to each published survey that has none (nothing where there is none)."""
    for survey in Survey.objects.filter(status=Status.PUBLISHED, channel=Channel.WEB):
        _answer_survey(context, survey)


# --- end answer ---
