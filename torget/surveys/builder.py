"""The survey builder's services (writes): a survey's settings, its sections, questions and
answer options, a copy of an earlier survey, and the small process draft → published → closed.

Every change is audited. Once the first answer has come in (`Survey.locked_at`), only the
wording may change: texts, help texts, option texts and scale labels. Each wording change of
a question then keeps the old wording as a `QuestionVersion` and raises `Question.version`,
so every answer keeps the wording its respondent saw.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.core import workflow
from torget.dialogues.models import Dialogue, PlannedMethod
from torget.surveys import permissions
from torget.surveys.models import (
    OPTION_KINDS,
    SCALE_POINTS,
    SMS_KINDS,
    Access,
    Channel,
    Kind,
    Option,
    Question,
    QuestionVersion,
    Section,
    Status,
    Survey,
)

SURVEY_METHOD_CODE = "enkat"

# The settings of a survey the settings form edits.
SURVEY_FIELDS = (
    "title",
    "title_en",
    "intro",
    "intro_en",
    "access",
    "access_reason",
    "opens_at",
    "closes_at",
    "ask_age_band",
    "ask_area",
    "ask_target_groups",
    "ask_gender",
    "channel",
)
# Settings that change what is asked or who may answer: fixed once answers have come in.
SURVEY_STRUCTURE_FIELDS = (
    "access",
    "ask_age_band",
    "ask_area",
    "ask_target_groups",
    "ask_gender",
    "channel",
)
SECTION_FIELDS = ("title", "title_en", "intro", "intro_en")
# What a question's wording is: free to change after answers came in (a new version).
WORDING_FIELDS = (
    "text",
    "text_en",
    "help_text",
    "help_text_en",
    "scale_low_label",
    "scale_low_label_en",
    "scale_high_label",
    "scale_high_label_en",
)
# What a question asks: fixed once answers have come in.
STRUCTURE_FIELDS = (
    "kind",
    "required",
    "max_choices",
    "number_min",
    "number_max",
    "condition_question",
    "condition_value",
)
QUESTION_FIELDS = WORDING_FIELDS + STRUCTURE_FIELDS
# The kinds a condition may depend on (an answer with a value to compare with).
CONDITION_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.YES_NO, Kind.SCALE}
YES_NO_VALUES = ("ja", "nej")


class SurveyError(workflow.WorkflowError):
    """A builder change the rules refuse; the message says why."""


def _locked_message() -> str:
    return _(
        "Enkäten har fått svar. Nu går det bara att ändra formuleringarna: texter, "
        "hjälptexter, svarsalternativens texter och skalans ord."
    )


def _user(actor: Actor) -> Any:
    """The account to name as who did it (None for an anonymous actor)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_worker(actor: Actor, survey: Survey) -> None:
    if not permissions.works_with_survey(actor, survey):
        raise SurveyError(_("Du arbetar inte med dialogen som enkäten hör till."))


def _require_editable(survey: Survey) -> None:
    if survey.status == Status.CLOSED:
        raise SurveyError(_("Enkäten är avslutad och kan inte längre ändras."))


def _require_unlocked(survey: Survey) -> None:
    _require_editable(survey)
    if survey.is_locked:
        raise SurveyError(_locked_message())


def _text(value: Any) -> Any:
    """Text stripped; anything else (a number, a date, an object, None) as it is."""
    return value.strip() if isinstance(value, str) else value


def _set(obj: Any, name: str, value: Any) -> None:
    """Set a field, None as "" where the column is text."""
    field = obj._meta.get_field(name)
    if value is None and not field.null:
        value = "" if field.get_internal_type() in ("CharField", "TextField") else field.default
    setattr(obj, name, _text(value))


def _audit(actor: Actor, action: str, obj: Any, changes: dict[str, Any] | None = None) -> None:
    audit.record(actor=actor, action=action, obj=obj, changes=changes or {})


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


# --- Surveys ------------------------------------------------------------------------------


def survey_methods(dialogue: Dialogue) -> list[PlannedMethod]:
    """The dialogue's planned survey methods, which a survey may belong to."""
    return list(
        dialogue.methods.filter(method__code=SURVEY_METHOD_CODE)
        .select_related("method")
        .order_by("order", "id")
    )


def _check_survey(survey: Survey) -> None:
    errors: dict[str, list[str]] = {}
    if not survey.title.strip():
        errors.setdefault("title", []).append(_("Skriv enkätens rubrik."))
    if survey.access != Access.OPEN and not survey.access_reason.strip():
        errors.setdefault("access_reason", []).append(
            _("Skriv varför bara vissa får svara. Det visas på enkätens sida.")
        )
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        errors.setdefault("closes_at", []).append(_("Enkäten måste stänga efter att den öppnar."))
    method = survey.method
    if method is not None and method.dialogue_id != survey.dialogue_id:
        errors.setdefault("method", []).append(_("Metoden hör inte till dialogen."))
    if survey.channel == Channel.SMS and survey.pk:
        kinds = set(survey.questions.values_list("kind", flat=True)) - SMS_KINDS
        if kinds:
            errors.setdefault("channel", []).append(
                _(
                    "En SMS-enkät kan bara ha frågor av typerna ett val, skala, ja eller nej "
                    "och kort fritext. Ändra eller ta bort de andra frågorna först."
                )
            )
    if errors:
        raise SurveyError(errors)


@transaction.atomic
def survey_create(
    *, actor: Actor, dialogue: Dialogue, method: PlannedMethod | None, **values: Any
) -> Survey:
    """A new draft survey in a dialogue, for one of its planned survey methods."""
    survey = Survey(dialogue=dialogue, method=method, created_by=_user(actor))
    _require_worker(actor, survey)
    if method is None or method.dialogue_id != dialogue.pk:
        raise SurveyError({"method": [_("Välj vilken av dialogens planerade enkäter det här är.")]})
    for name in SURVEY_FIELDS:
        if name in values:
            _set(survey, name, values[name])
    _check_survey(survey)
    survey.save()
    _audit(actor, "survey.created", survey, {"dialogue": dialogue.pk, "method": method.pk})
    return survey


@transaction.atomic
def survey_update(*, actor: Actor, survey: Survey, **values: Any) -> Survey:
    """Change a survey's settings. After the first answer, who may answer, the background
    questions and the channel stay as they were."""
    _require_worker(actor, survey)
    _require_editable(survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    changes: dict[str, Any] = {}
    for name in (*SURVEY_FIELDS, "method"):
        if name not in values:
            continue
        before = getattr(survey, name)
        _set(survey, name, values[name])
        value = getattr(survey, name)
        if before != value:
            if survey.is_locked and name in SURVEY_STRUCTURE_FIELDS:
                raise SurveyError({name: [_locked_message()]})
            changes[name] = _jsonable(value)
    if not changes:
        return survey
    if survey.status != Status.DRAFT and (not survey.opens_at or not survey.closes_at):
        raise SurveyError({"closes_at": [_("En publicerad enkät måste ha en period.")]})
    _check_survey(survey)
    survey.save()
    _audit(actor, "survey.updated", survey, changes)
    return survey


def _copy_fields(source: Any, target: Any, names: Iterable[str]) -> None:
    for name in names:
        setattr(target, name, getattr(source, name))


@transaction.atomic
def survey_copy(
    *, actor: Actor, source: Survey, dialogue: Dialogue, method: PlannedMethod | None
) -> Survey:
    """A new draft in `dialogue` with everything of `source`: settings (not its period, which
    is chosen anew), sections, questions, options and conditions, the conditions pointing to
    the copies. Answers and versions stay with the original."""
    if not permissions.works_with_survey(actor, source):
        raise SurveyError(_("Du arbetar inte med dialogen som enkäten hör till."))
    copy = Survey(dialogue=dialogue, method=method, created_by=_user(actor), copied_from=source)
    _require_worker(actor, copy)
    if method is None or method.dialogue_id != dialogue.pk:
        raise SurveyError({"method": [_("Välj vilken av dialogens planerade enkäter det här är.")]})
    _copy_fields(
        source, copy, [name for name in SURVEY_FIELDS if name not in ("opens_at", "closes_at")]
    )
    copy.save()
    questions: dict[int, Question] = {}
    pending: list[tuple[Question, int]] = []
    for section in source.sections.order_by("order", "id"):
        new_section = Section(survey=copy)
        _copy_fields(section, new_section, ("order", *SECTION_FIELDS))
        new_section.save()
        for question in section.questions.order_by("order", "id").prefetch_related("options"):
            new_question = Question(survey=copy, section=new_section)
            _copy_fields(
                question,
                new_question,
                ("order", *WORDING_FIELDS, *STRUCTURE_FIELDS[:-2], "condition_value"),
            )
            new_question.save()
            questions[question.pk] = new_question
            if question.condition_question_id:
                pending.append((new_question, question.condition_question_id))
            Option.objects.bulk_create(
                Option(
                    question=new_question,
                    order=option.order,
                    code=option.code,
                    text=option.text,
                    text_en=option.text_en,
                )
                for option in question.options.all()
            )
    for new_question, old_id in pending:
        target = questions.get(old_id)
        new_question.condition_question = target
        if target is None:
            new_question.condition_value = ""
        new_question.save(update_fields=["condition_question", "condition_value"])
    _audit(
        actor,
        "survey.copied",
        copy,
        {"from": source.pk, "dialogue": dialogue.pk, "questions": len(questions)},
    )
    return copy


# --- The process: draft → published → closed -----------------------------------------------


def _has_questions(survey: Survey) -> str | None:
    if not survey.questions.exists():
        return _("Enkäten har inga frågor. Lägg till minst en fråga.")
    return None


def _sections_have_questions(survey: Survey) -> list[str]:
    return [
        _("Avsnittet ”%(title)s” har inga frågor. Lägg till frågor eller ta bort det.")
        % {"title": section.title}
        for section in survey.sections.filter(questions__isnull=True)
    ]


def _has_titles(survey: Survey) -> str | None:
    if not survey.title.strip():
        return _("Skriv enkätens rubrik.")
    return None


def _has_period(survey: Survey) -> str | None:
    if not survey.opens_at or not survey.closes_at:
        return _("Ange när enkäten öppnar och stänger.")
    if survey.closes_at <= timezone.now():
        return _("Enkäten stänger redan innan den publiceras. Ändra perioden.")
    return None


def _has_reason(survey: Survey) -> str | None:
    if survey.access != Access.OPEN and not survey.access_reason.strip():
        return _("Skriv varför bara vissa får svara. Det visas på enkätens sida.")
    return None


def _options_complete(survey: Survey) -> list[str]:
    problems = []
    for question in survey.questions.filter(kind__in=OPTION_KINDS).prefetch_related("options"):
        if len(question.options.all()) < 2:
            problems.append(
                _("Frågan ”%(text)s” behöver minst två svarsalternativ.") % {"text": question.text}
            )
    return problems


def _refused(survey: Survey, step: workflow.Step) -> Any:
    if step.name == "publish":
        return _("Bara ett utkast kan publiceras.")
    return _("Bara en publicerad enkät kan avslutas.")


PROCESS: workflow.Workflow[Survey, workflow.Step] = workflow.Workflow(
    model=Survey,
    refused=_refused,
    error=SurveyError,
    steps=[
        workflow.Step(
            name="publish",
            sources=frozenset({Status.DRAFT}),
            target=Status.PUBLISHED,
            label=gettext_lazy("Publicera enkäten"),
            guards=(
                _has_titles,
                _has_questions,
                _sections_have_questions,
                _options_complete,
                _has_period,
                _has_reason,
            ),
        ),
        workflow.Step(
            name="close",
            sources=frozenset({Status.PUBLISHED}),
            target=Status.CLOSED,
            label=gettext_lazy("Avsluta enkäten"),
        ),
    ],
)


def publish_problems(survey: Survey) -> list[str]:
    """What stands in the way of publishing, for the survey's page (empty: it may be)."""
    try:
        PROCESS.check(survey, "publish")
    except SurveyError as error:
        return list(error.messages)
    return []


def _step(actor: Actor, survey: Survey, name: str) -> Survey:
    _require_worker(actor, survey)

    def record(move: workflow.Move[Survey, workflow.Step]) -> Survey:
        _audit(
            actor,
            f"survey.{'published' if name == 'publish' else 'closed'}",
            move.obj,
            {"status": [move.source, move.obj.status]},
        )
        return move.obj

    return PROCESS.take(survey, name, record=record)


@transaction.atomic
def survey_publish(*, actor: Actor, survey: Survey) -> Survey:
    return _step(actor, survey, "publish")


@transaction.atomic
def survey_close(*, actor: Actor, survey: Survey) -> Survey:
    return _step(actor, survey, "close")


# --- Sections -----------------------------------------------------------------------------


def _renumber(items: Iterable[Any]) -> None:
    for number, item in enumerate(items, start=1):
        if item.order != number:
            item.order = number
            item.save(update_fields=["order"])


def _position(question: Question) -> tuple[int, int, int, int]:
    return (question.section.order, question.section_id, question.order, question.pk or 0)


def _check_conditions(survey: Survey) -> None:
    """Every condition depends on a question earlier in the survey (after a move)."""
    questions = list(survey.questions.select_related("section"))
    by_id = {question.pk: question for question in questions}
    for question in questions:
        target = by_id.get(question.condition_question_id or 0)
        if target is not None and _position(target) >= _position(question):
            raise SurveyError(
                _(
                    "Frågan ”%(text)s” visas beroende på svaret på en fråga som då skulle "
                    "komma efter den. Ändra villkoret först."
                )
                % {"text": question.text}
            )


@transaction.atomic
def section_add(*, actor: Actor, survey: Survey, **values: Any) -> Section:
    _require_worker(actor, survey)
    _require_unlocked(survey)
    section = Section(survey=survey, order=survey.sections.count() + 1)
    for name in SECTION_FIELDS:
        _set(section, name, values.get(name))
    if not section.title:
        raise SurveyError({"title": [_("Skriv avsnittets rubrik.")]})
    section.save()
    _audit(actor, "survey.section_added", survey, {"section": section.pk, "title": section.title})
    return section


@transaction.atomic
def section_update(*, actor: Actor, section: Section, **values: Any) -> Section:
    """Titles and introductions are wording: they may change after answers too."""
    survey = section.survey
    _require_worker(actor, survey)
    _require_editable(survey)
    changes = {}
    section = Section.objects.get(pk=section.pk)
    for name in SECTION_FIELDS:
        if name in values and getattr(section, name) != (_text(values[name]) or ""):
            _set(section, name, values[name])
            changes[name] = getattr(section, name)
    if not section.title:
        raise SurveyError({"title": [_("Skriv avsnittets rubrik.")]})
    if changes:
        section.save()
        _audit(actor, "survey.section_updated", survey, {"section": section.pk, **changes})
    return section


@transaction.atomic
def section_move(*, actor: Actor, section: Section, up: bool) -> Section:
    survey = section.survey
    _require_worker(actor, survey)
    _require_unlocked(survey)
    sections = list(survey.sections.order_by("order", "id"))
    index = next(i for i, item in enumerate(sections) if item.pk == section.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(sections):
        sections[index], sections[other] = sections[other], sections[index]
        _renumber(sections)
        _check_conditions(survey)
        _audit(actor, "survey.section_moved", survey, {"section": section.pk, "up": up})
    return section


@transaction.atomic
def section_remove(*, actor: Actor, section: Section) -> None:
    """Remove a section with its questions (before any answers)."""
    survey = section.survey
    _require_worker(actor, survey)
    _require_unlocked(survey)
    outside = Question.objects.filter(condition_question__section=section, survey=survey).exclude(
        section=section
    )
    if outside.exists():
        raise SurveyError(
            _("Frågor i andra avsnitt visas beroende på svar i det här. Ändra villkoren först.")
        )
    title = section.title
    section_pk = section.pk
    section.delete()
    _renumber(survey.sections.order_by("order", "id"))
    _audit(actor, "survey.section_removed", survey, {"section": section_pk, "title": title})


# --- Questions ----------------------------------------------------------------------------


def _option_texts(texts: Iterable[str]) -> list[str]:
    return [line.strip() for line in texts if line and line.strip()]


def next_code(codes: Iterable[str]) -> str:
    """The next free code: A, B, … Z, then AA, AB, …"""
    taken = set(codes)
    number = 0
    while True:
        code = ""
        n = number
        while True:
            code = chr(ord("A") + n % 26) + code
            n = n // 26 - 1
            if n < 0:
                break
        if code not in taken:
            return code
        number += 1


def condition_values(question: Question) -> list[str]:
    """The values a condition on `question` may name."""
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return [option.code for option in question.options.all()]
    if question.kind == Kind.YES_NO:
        return list(YES_NO_VALUES)
    if question.kind == Kind.SCALE:
        return [str(point) for point in SCALE_POINTS]
    return []


def _clean_question(question: Question, *, option_count: int | None) -> None:
    """The rules of one question as it would be saved; raise with every broken rule."""
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    survey = question.survey
    if not question.text.strip():
        error("text", _("Skriv frågan."))
    if question.kind not in Kind.values:
        error("kind", _("Välj en frågetyp."))
    if survey.channel == Channel.SMS and question.kind not in SMS_KINDS:
        error(
            "kind",
            _(
                "En SMS-enkät kan bara ha frågor av typerna ett val, skala, ja eller nej och kort fritext."
            ),
        )
    if question.kind != Kind.MULTIPLE:
        question.max_choices = None
    elif question.max_choices is not None:
        if question.max_choices < 1:
            error("max_choices", _("Högst antal val måste vara minst 1."))
        elif option_count is not None and question.max_choices > option_count:
            error("max_choices", _("Högst antal val kan inte vara fler än svarsalternativen."))
    if question.kind != Kind.SCALE:
        for name in WORDING_FIELDS[4:]:
            setattr(question, name, "")
    if question.kind != Kind.NUMBER:
        question.number_min = question.number_max = None
    elif (
        question.number_min is not None
        and question.number_max is not None
        and question.number_max < question.number_min
    ):
        error("number_max", _("Det största talet kan inte vara mindre än det minsta."))
    if question.kind in OPTION_KINDS and option_count is not None and option_count < 2:
        error("options", _("Frågan behöver minst två svarsalternativ."))
    # A simple condition (DOMAIN: surveys): on an earlier question with a value it can have.
    target = question.condition_question
    value = (question.condition_value or "").strip()
    if target is None:
        if value:
            error("condition_question", _("Välj vilken fråga villkoret gäller."))
        question.condition_value = ""
    else:
        if target.survey_id != survey.pk or (question.pk and target.pk == question.pk):
            error("condition_question", _("Välj en fråga i samma enkät."))
        elif _position(target) >= _position(question):
            error(
                "condition_question",
                _("Villkoret måste gälla en fråga som kommer före den här."),
            )
        elif target.kind not in CONDITION_KINDS:
            error(
                "condition_question",
                _(
                    "Villkoret kan bara gälla en fråga med ett val, flera val, ja eller nej eller skala."
                ),
            )
        else:
            allowed = condition_values(target)
            if target.kind in (Kind.SINGLE, Kind.MULTIPLE):
                value = value.upper()
            else:
                value = value.lower()
            if not value:
                error("condition_value", _("Skriv vilket svar som gör att frågan visas."))
            elif value not in allowed:
                error(
                    "condition_value",
                    _("Svaret måste vara ett av: %(values)s.") % {"values": ", ".join(allowed)},
                )
            question.condition_value = value
    if errors:
        raise SurveyError(errors)


def _values(values: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The question's fields among `values`, as they would be stored."""
    probe = Question()
    result = {}
    for name in names:
        if name in values:
            _set(probe, name, values[name])
            result[name] = getattr(probe, name)
    return result


@transaction.atomic
def question_add(
    *,
    actor: Actor,
    section: Section,
    kind: str,
    options: Iterable[str] = (),
    **values: Any,
) -> Question:
    """A new question at the end of its section; a choice or ranking question with its
    options (at least two), coded A, B, … in the order given."""
    survey = section.survey
    _require_worker(actor, survey)
    _require_unlocked(survey)
    question = Question(
        survey=survey, section=section, kind=kind, order=section.questions.count() + 1
    )
    for name, value in _values(values, QUESTION_FIELDS).items():
        setattr(question, name, value)
    question.kind = kind
    texts = _option_texts(options) if kind in OPTION_KINDS else []
    _clean_question(question, option_count=len(texts) if kind in OPTION_KINDS else None)
    question.save()
    Option.objects.bulk_create(
        Option(question=question, order=number, code=_code(number), text=text)
        for number, text in enumerate(texts, start=1)
    )
    _audit(
        actor,
        "survey.question_added",
        survey,
        {"question": question.pk, "kind": kind, "text": question.text, "options": texts},
    )
    return question


def _code(number: int) -> str:
    """The code of the `number`th option: 1 → A, 27 → AA."""
    code = ""
    n = number - 1
    while True:
        code = chr(ord("A") + n % 26) + code
        n = n // 26 - 1
        if n < 0:
            return code


def _keep_version(question: Question, wording: Mapping[str, Any], actor: Actor) -> None:
    """Keep the wording the earlier answers saw (`wording`: the question's texts before the
    change; the options' texts as they are now), and raise the question's version."""
    QuestionVersion.objects.create(
        question=question,
        number=question.version,
        text=wording["text"],
        text_en=wording["text_en"],
        help_text=wording["help_text"],
        help_text_en=wording["help_text_en"],
        options={
            option.code: {"text": option.text, "text_en": option.text_en}
            for option in question.options.all()
        },
        replaced_by=_user(actor),
    )
    question.version += 1


@transaction.atomic
def question_update(*, actor: Actor, question: Question, **values: Any) -> Question:
    """Change a question. Before answers anything may change; after, only the wording, and
    then the old wording is kept as a version."""
    survey = question.survey
    _require_worker(actor, survey)
    _require_editable(survey)
    question = Question.objects.select_for_update().select_related("section").get(pk=question.pk)
    original = {name: getattr(question, name) for name in QUESTION_FIELDS}
    new = _values(values, QUESTION_FIELDS)
    structural = {
        name
        for name in STRUCTURE_FIELDS
        if name in new
        and new[name] != original[name]
        and not (not new[name] and not original[name])
    }
    if survey.is_locked and structural:
        raise SurveyError(_locked_message())
    if "kind" in structural:
        if question.dependants.exists():
            raise SurveyError(
                {"kind": [_("Andra frågor visas beroende på svaret på den här. Ändra dem först.")]}
            )
    for name, value in new.items():
        setattr(question, name, value)
    option_count = question.options.count() if question.kind in OPTION_KINDS else None
    _clean_question(question, option_count=option_count)
    changes = {
        name: [_jsonable(original[name]), _jsonable(getattr(question, name))]
        for name in QUESTION_FIELDS
        if getattr(question, name) != original[name]
    }
    if not changes:
        return question
    if survey.is_locked:
        _keep_version(question, original, actor)
    question.save()
    if "kind" in changes and question.kind not in OPTION_KINDS:
        question.options.all().delete()
    _audit(actor, "survey.question_updated", survey, {"question": question.pk, **changes})
    return question


@transaction.atomic
def question_move(*, actor: Actor, question: Question, up: bool) -> Question:
    survey = question.survey
    _require_worker(actor, survey)
    _require_unlocked(survey)
    siblings = list(question.section.questions.order_by("order", "id"))
    index = next(i for i, item in enumerate(siblings) if item.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        _renumber(siblings)
        _check_conditions(survey)
        _audit(actor, "survey.question_moved", survey, {"question": question.pk, "up": up})
    return question


@transaction.atomic
def question_remove(*, actor: Actor, question: Question) -> None:
    survey = question.survey
    _require_worker(actor, survey)
    _require_unlocked(survey)
    if question.dependants.exists():
        raise SurveyError(
            _("Andra frågor visas beroende på svaret på den här. Ändra deras villkor först.")
        )
    section, text, pk = question.section, question.text, question.pk
    question.delete()
    _renumber(section.questions.order_by("order", "id"))
    _audit(actor, "survey.question_removed", survey, {"question": pk, "text": text})


# --- Options ------------------------------------------------------------------------------


def _require_options(question: Question) -> None:
    if question.kind not in OPTION_KINDS:
        raise SurveyError(_("Frågan har inga svarsalternativ."))


@transaction.atomic
def option_add(*, actor: Actor, question: Question, text: str, text_en: str = "") -> Option:
    survey = question.survey
    _require_worker(actor, survey)
    _require_unlocked(survey)
    _require_options(question)
    text = _text(text) or ""
    if not text:
        raise SurveyError({"text": [_("Skriv svarsalternativet.")]})
    option = Option.objects.create(
        question=question,
        order=question.options.count() + 1,
        code=next_code(question.options.values_list("code", flat=True)),
        text=text,
        text_en=_text(text_en) or "",
    )
    _audit(
        actor,
        "survey.option_added",
        survey,
        {"question": question.pk, "code": option.code, "text": text},
    )
    return option


@transaction.atomic
def option_update(*, actor: Actor, option: Option, text: str, text_en: str = "") -> Option:
    """An option's texts are wording: after answers they change as a new version of the
    question."""
    question = option.question
    survey = question.survey
    _require_worker(actor, survey)
    _require_editable(survey)
    text, text_en = _text(text) or "", _text(text_en) or ""
    if not text:
        raise SurveyError({"text": [_("Skriv svarsalternativet.")]})
    if (option.text, option.text_en) == (text, text_en):
        return option
    old = {"text": option.text, "text_en": option.text_en}
    if survey.is_locked:
        question = Question.objects.select_for_update().get(pk=question.pk)
        _keep_version(question, {name: getattr(question, name) for name in WORDING_FIELDS}, actor)
        question.save(update_fields=["version"])
    option.text, option.text_en = text, text_en
    option.save(update_fields=["text", "text_en"])
    _audit(
        actor,
        "survey.option_updated",
        survey,
        {"question": question.pk, "code": option.code, "old": old, "new": [text, text_en]},
    )
    return option


@transaction.atomic
def option_move(*, actor: Actor, option: Option, up: bool) -> Option:
    """Move an option; its code stays (conditions and answers name it)."""
    question = option.question
    _require_worker(actor, question.survey)
    _require_unlocked(question.survey)
    options = list(question.options.order_by("order", "id"))
    index = next(i for i, item in enumerate(options) if item.pk == option.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(options):
        options[index], options[other] = options[other], options[index]
        _renumber(options)
        _audit(
            actor,
            "survey.option_moved",
            question.survey,
            {"question": question.pk, "code": option.code, "up": up},
        )
    return option


@transaction.atomic
def option_remove(*, actor: Actor, option: Option) -> None:
    question = option.question
    survey = question.survey
    _require_worker(actor, survey)
    _require_unlocked(survey)
    if question.options.count() <= 2:
        raise SurveyError(_("Frågan behöver minst två svarsalternativ."))
    if question.dependants.filter(condition_value__iexact=option.code).exists():
        raise SurveyError(
            _("En annan fråga visas när det här alternativet väljs. Ändra dess villkor först.")
        )
    if question.max_choices and question.max_choices >= question.options.count():
        question.max_choices = question.options.count() - 1
        question.save(update_fields=["max_choices"])
    code = option.code
    option.delete()
    _renumber(question.options.order_by("order", "id"))
    _audit(actor, "survey.option_removed", survey, {"question": question.pk, "code": code})
