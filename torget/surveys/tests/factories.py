"""Surveys for tests: a dialogue that is open with a planned survey method, and a survey of
every question kind. Built with the ORM until the builder's services exist for all of it."""

import datetime
from typing import Any

from django.utils import timezone

from torget.dialogues import services as dialogue_services
from torget.dialogues.models import Dialogue, Method
from torget.dialogues.tests.factories import Cast, cast, decide, initiative, plan
from torget.surveys.models import Kind, Option, Question, Section, Status, Survey


def survey_dialogue(people: Cast | None = None, **values: Any) -> tuple[Dialogue, Cast]:
    """An open dialogue whose plan has the survey method."""
    people = people or cast()
    dialogue = plan(decide(initiative(people, **values), people), people)
    dialogue_services.method_add(
        dialogue=dialogue, actor=people.official, method=Method.objects.get(code="enkat")
    )
    dialogue = dialogue_services.dialogue_step(
        dialogue=dialogue, step="approve_plan", actor=people.leader
    )
    dialogue = dialogue_services.dialogue_step(
        dialogue=dialogue, step="open", actor=people.official
    )
    return dialogue, people


def survey(
    dialogue: Dialogue | None = None, *, people: Cast | None = None, **values: Any
) -> Survey:
    """A published, open survey with no questions yet (add them with `question`)."""
    if dialogue is None:
        dialogue, people = survey_dialogue(people)
    values.setdefault("title", "Vad tycker du om skolgården?")
    values.setdefault("title_en", "What do you think of the school yard?")
    values.setdefault("status", Status.PUBLISHED)
    values.setdefault("opens_at", timezone.now() - datetime.timedelta(days=1))
    values.setdefault("closes_at", timezone.now() + datetime.timedelta(days=30))
    values.setdefault("method", dialogue.methods.filter(method__code="enkat").first())
    return Survey.objects.create(dialogue=dialogue, **values)


def section(survey: Survey, title: str = "Om skolgården", **values: Any) -> Section:
    values.setdefault("order", survey.sections.count() + 1)
    return Section.objects.create(survey=survey, title=title, **values)


OPTIONS = ["Gungor", "Klätterställning", "Fotbollsplan", "Odlingslådor"]


def question(
    section: Section, kind: str, text: str = "", *, options: list[str] | None = None, **values: Any
) -> Question:
    values.setdefault("order", section.questions.count() + 1)
    if kind == Kind.SCALE:
        values.setdefault("scale_low_label", "Mycket dåligt")
        values.setdefault("scale_high_label", "Mycket bra")
    question = Question.objects.create(
        survey=section.survey,
        section=section,
        kind=kind,
        text=text or f"Fråga av typen {Kind(kind).label}",
        **values,
    )
    if kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING):
        for number, option in enumerate(options or OPTIONS, start=1):
            Option.objects.create(
                question=question, order=number, code=chr(ord("A") + number - 1), text=option
            )
    return question


def survey_of_every_kind(dialogue: Dialogue | None = None, **values: Any) -> Survey:
    """Two sections with one question of every kind; the long text shows only when the
    yes/no question is answered "ja"."""
    result = survey(dialogue, **values)
    first = section(result, "Skolgården i dag")
    question(first, Kind.SINGLE, "Hur ofta är du på skolgården?", required=True)
    question(first, Kind.MULTIPLE, "Vad gör du där?", max_choices=2)
    question(first, Kind.SCALE, "Hur trivs du på skolgården?")
    question(first, Kind.NUMBER, "Hur många minuter går du dit?", number_min=0, number_max=120)
    yes_no = question(first, Kind.YES_NO, "Känner du dig trygg där på kvällen?")
    second = section(result, "Den nya skolgården")
    question(second, Kind.SHORT_TEXT, "Ett ord om skolgården")
    question(
        second,
        Kind.LONG_TEXT,
        "Vad gör att du känner dig trygg?",
        condition_question=yes_no,
        condition_value="ja",
    )
    question(second, Kind.RANKING, "Rangordna det du helst vill ha")
    question(second, Kind.PLACE, "Var på skolgården behövs det något nytt?")
    return result


# --- results ---


def response(
    survey: Survey,
    answers: dict[Any, Any] | None = None,
    *,
    submitted: bool = True,
    **values: Any,
) -> Any:
    """A response with its answers, written with the ORM: `answers` maps a question to its
    value (an option code, a list of codes, a point, "ja"/"nej"), to a string for free text,
    or to (lat, lon) for a place."""
    from torget.surveys.models import Answer, Response, ResponseStatus

    if submitted:
        values.setdefault("status", ResponseStatus.SUBMITTED)
        values.setdefault("submitted_on", timezone.localdate())
    made = Response.objects.create(survey=survey, **values)
    for question, value in (answers or {}).items():
        fields: dict[str, Any] = {"question_version": question.version}
        if question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
            fields["text"] = value
        elif question.kind == Kind.PLACE:
            fields["lat"], fields["lon"] = value
            fields["value"] = {"lat": value[0], "lon": value[1]}
        else:
            fields["value"] = value
        Answer.objects.create(response=made, question=question, **fields)
    return made


# --- sms ---


def sms_survey(dialogue: Dialogue | None = None, **values: Any) -> Survey:
    """An open SMS survey: a single choice, a yes/no, a short text asked only after "nej",
    and a scale."""
    values.setdefault("channel", "sms")
    values.setdefault("title", "Skolvägen")
    values.setdefault("intro", "Fyra korta frågor om vägen till skolan.")
    result = survey(dialogue, **values)
    part = section(result, "Skolvägen")
    question(part, Kind.SINGLE, "Hur tar du dig till skolan?", options=["Buss", "Bil", "Cykel"])
    safe = question(part, Kind.YES_NO, "Känner du dig trygg på vägen?")
    question(
        part,
        Kind.SHORT_TEXT,
        "Vad gör vägen otrygg?",
        condition_question=safe,
        condition_value="nej",
    )
    question(part, Kind.SCALE, "Hur nöjd är du med skolgården?")
    return result
