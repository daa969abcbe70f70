"""The surveys' demo data."""

from torget.core import demo
from torget.surveys.models import Kind, Question, Status, Survey

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

    if survey.responses.exists():
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
    after=["surveys"] if "surveys" in demo._loaders else ["dialogues"],
)
def load_answers(context: demo.DemoContext) -> None:
    """Answers to each published survey that has none (nothing where there is none)."""
    for survey in Survey.objects.filter(status=Status.PUBLISHED):
        _answer_survey(context, survey)


# --- end answer ---
