"""The answer form of a survey's section, built from its questions, and the parsing of one
answer that every way of answering shares (web, paper entry, SMS, the builder's preview).

An answer's value, as `logic.is_shown` and the services take it, by kind: an option's code
(single choice), a list of codes (multiple choice), the codes in rank order (ranking), an int
(scale 1–5, number), "ja"/"nej" (yes/no), a string (short and long text) and for a place a
dict with "lat", "lon" (both or neither) and "text" (a description or an address). No answer
is None.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from torget.surveys import logic
from torget.surveys.models import SCALE_POINTS, Answer, Kind, Question, Section, Survey

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000
PLACE_TEXT_MAX = 300
YES, NO = "ja", "nej"
YES_NO_CHOICES = [(YES, _("Ja")), (NO, _("Nej"))]
REQUIRED_MESSAGE = _("Svara på frågan.")


def _option_codes(question: Question) -> list[str]:
    return [option.code for option in question.options.all()]


def _code(question: Question, raw: Any) -> str:
    """An option's code from what was sent: the code itself, any case (an SMS may say "b")."""
    text = str(raw).strip().casefold()
    for code in _option_codes(question):
        if code.casefold() == text:
            return code
    raise ValidationError(_("Välj ett av svarsalternativen."), code="invalid_choice")


def _integer(raw: Any, message: Any) -> int:
    if isinstance(raw, bool):
        raise ValidationError(message, code="invalid")
    if isinstance(raw, int):
        return raw
    text = str(raw).strip().replace(" ", "").replace("\u2212", "-")
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValidationError(message, code="invalid") from None
    if not math.isfinite(number) or number != int(number):
        raise ValidationError(message, code="invalid")
    return int(number)


def _empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set):
        return not any(not _empty(item) for item in raw)
    if isinstance(raw, dict):
        return all(_empty(item) for item in raw.values())
    return False


def parse_answer(question: Question, raw: Any) -> Any:
    """The answer value (see the module's docstring) of what a person sent, or None for no
    answer; a `ValidationError` with a message for the person when it is not an answer to
    this question. Required-ness is not checked here (it depends on the conditions)."""
    if _empty(raw):
        return None
    kind = question.kind
    if kind == Kind.SINGLE:
        return _code(question, raw)
    if kind == Kind.MULTIPLE:
        items = raw if isinstance(raw, list | tuple | set) else str(raw).replace(",", " ").split()
        codes: list[str] = []
        for item in items:
            if _empty(item):
                continue
            code = _code(question, item)
            if code not in codes:
                codes.append(code)
        if question.max_choices and len(codes) > question.max_choices:
            raise ValidationError(
                _("Välj högst %(max)s alternativ.") % {"max": question.max_choices},
                code="max_choices",
            )
        order = _option_codes(question)
        return sorted(codes, key=order.index)
    if kind == Kind.SCALE:
        point = _integer(raw, _("Välj en siffra från 1 till 5."))
        if point not in SCALE_POINTS:
            raise ValidationError(_("Välj en siffra från 1 till 5."), code="scale")
        return point
    if kind == Kind.NUMBER:
        number = _integer(raw, _("Skriv ett heltal, till exempel 12."))
        if question.number_min is not None and number < question.number_min:
            raise ValidationError(
                _("Skriv ett tal som är %(min)s eller större.") % {"min": question.number_min},
                code="min",
            )
        if question.number_max is not None and number > question.number_max:
            raise ValidationError(
                _("Skriv ett tal som är %(max)s eller mindre.") % {"max": question.number_max},
                code="max",
            )
        return number
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        text = str(raw).replace("\x00", "").strip()
        limit = SHORT_TEXT_MAX if kind == Kind.SHORT_TEXT else LONG_TEXT_MAX
        if len(text) > limit:
            raise ValidationError(
                _("Skriv högst %(max)s tecken (du har skrivit %(length)s).")
                % {"max": limit, "length": len(text)},
                code="max_length",
            )
        return text
    if kind == Kind.YES_NO:
        text = str(raw).strip().casefold()
        if text in ("ja", "yes", "j", "y"):
            return YES
        if text in ("nej", "no", "n"):
            return NO
        raise ValidationError(_("Svara ja eller nej."), code="yes_no")
    if kind == Kind.RANKING:
        return _ranking(question, raw)
    if kind == Kind.PLACE:
        return _place(raw)
    raise ValidationError(_("Frågan kan inte besvaras här."), code="kind")


def _ranking(question: Question, raw: Any) -> list[str] | None:
    """The codes in rank order, from {code: rank} (the form's selects) or a list of codes in
    order (an SMS "CAB"). Ranks must differ; unranked options come last, left out."""
    codes = _option_codes(question)
    if isinstance(raw, Mapping):
        ranks: dict[str, int] = {}
        for code, rank in raw.items():
            if _empty(rank):
                continue
            code = _code(question, code)
            number = _integer(rank, _("Välj en plats i ordningen."))
            if not 1 <= number <= len(codes):
                raise ValidationError(_("Välj en plats i ordningen."), code="rank")
            ranks[code] = number
        if len(set(ranks.values())) != len(ranks):
            raise ValidationError(
                _("Ge varje alternativ en egen plats: två har fått samma."), code="duplicate"
            )
        ordered = sorted(ranks, key=ranks.__getitem__)
    else:
        items = list(raw) if not isinstance(raw, str) else list(raw.replace(",", "").split())
        if isinstance(raw, str) and len(items) == 1 and len(items[0]) > 1:
            items = list(items[0])
        ordered = [_code(question, item) for item in items if not _empty(item)]
        if len(set(ordered)) != len(ordered):
            raise ValidationError(
                _("Ge varje alternativ en egen plats: två har fått samma."), code="duplicate"
            )
    return ordered or None


def _coordinate(raw: Any, low: float, high: float) -> float:
    message = _("Skriv koordinaten som ett decimaltal, till exempel 58.41.")
    try:
        number = float(str(raw).strip().replace(",", "."))
    except ValueError:
        raise ValidationError(message, code="invalid") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValidationError(message, code="invalid")
    return round(number, 6)


def _place(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        raw = {"text": raw}
    text = str(raw.get("text") or "").replace("\x00", "").strip()
    if len(text) > PLACE_TEXT_MAX:
        raise ValidationError(
            _("Skriv högst %(max)s tecken om platsen.") % {"max": PLACE_TEXT_MAX}, code="max_length"
        )
    lat, lon = raw.get("lat"), raw.get("lon")
    place: dict[str, Any] = {"text": text}
    if not _empty(lat) or not _empty(lon):
        if _empty(lat) or _empty(lon):
            raise ValidationError(
                _("Ange både latitud och longitud, eller beskriv platsen i ord."), code="half"
            )
        place["lat"] = _coordinate(lat, -90, 90)
        place["lon"] = _coordinate(lon, -180, 180)
    if not text and "lat" not in place:
        return None
    return place


def stored(question: Question, value: Any) -> dict[str, Any]:
    """An answer value as the fields of an `Answer`: free text in `text` (searchable), a
    place in lat/lon with its description in `text`, everything else in `value`."""
    if question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return {"value": None, "text": value or "", "lat": None, "lon": None}
    if question.kind == Kind.PLACE:
        value = value or {}
        lat, lon = value.get("lat"), value.get("lon")
        point = {"lat": lat, "lon": lon} if lat is not None else None
        return {"value": point, "text": value.get("text", ""), "lat": lat, "lon": lon}
    return {"value": value, "text": "", "lat": None, "lon": None}


def value_of(answer: Answer) -> Any:
    """An `Answer` back as an answer value (the inverse of `stored`)."""
    kind = answer.question.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return answer.text or None
    if kind == Kind.PLACE:
        place: dict[str, Any] = {"text": answer.text}
        if answer.lat is not None and answer.lon is not None:
            place.update(lat=answer.lat, lon=answer.lon)
        return place
    return answer.value


def display(question: Question, value: Any) -> str:
    """An answer as text for the person's summary page."""
    if value is None:
        return ""
    options = {option.code: option.localized_text for option in question.options.all()}
    if question.kind == Kind.SINGLE:
        return options.get(value, str(value))
    if question.kind == Kind.MULTIPLE:
        return ", ".join(options.get(code, code) for code in value)
    if question.kind == Kind.RANKING:
        return ", ".join(f"{n}. {options.get(code, code)}" for n, code in enumerate(value, 1))
    if question.kind == Kind.YES_NO:
        return str(dict(YES_NO_CHOICES).get(value, value))
    if question.kind == Kind.PLACE:
        parts = [value.get("text", "")]
        if value.get("lat") is not None:
            parts.append(f"({value['lat']}, {value['lon']})")
        return " ".join(part for part in parts if part)
    return str(value)


# --- the form -------------------------------------------------------------------------------


class RankingWidget(forms.MultiWidget):
    """One select of rank 1..n per option, each with its own label; works without
    JavaScript."""

    template_name = "surveys/answer/widgets/ranking.html"
    use_fieldset = True

    def __init__(self, options: list[tuple[str, str]], attrs: dict[str, Any] | None = None):
        self.option_labels = options
        ranks = [("", "–"), *[(str(n), str(n)) for n in range(1, len(options) + 1)]]
        super().__init__([forms.Select(choices=ranks) for _ in options], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if not value:
            return [None] * len(self.option_labels)
        order = list(value)
        return [
            str(order.index(code) + 1) if code in order else None for code, _ in self.option_labels
        ]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, (_unused, label) in zip(
            context["widget"]["subwidgets"], self.option_labels, strict=True
        ):
            subwidget["label"] = label
        return context


class RankingField(forms.Field):
    widget = RankingWidget

    def __init__(self, *, question: Question, options: list[tuple[str, str]], **kwargs: Any):
        self.question = question
        self.codes = [code for code, _ in options]
        kwargs.setdefault("widget", RankingWidget(options))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            return None
        return parse_answer(self.question, dict(zip(self.codes, value, strict=False)))


class PlaceWidget(forms.MultiWidget):
    template_name = "surveys/answer/widgets/place.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        coordinate = {"inputmode": "decimal", "autocomplete": "off"}
        super().__init__(
            [
                forms.TextInput(attrs={"maxlength": PLACE_TEXT_MAX}),
                forms.TextInput(attrs={**coordinate, "data-pin-lat": ""}),
                forms.TextInput(attrs={**coordinate, "data-pin-lon": ""}),
            ],
            attrs,
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        labels = [_("Beskriv platsen eller skriv en adress"), _("Latitud"), _("Longitud")]
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["label"] = label
        return context

    def decompress(self, value: Any) -> list[Any]:
        value = value or {}
        return [value.get("text", ""), value.get("lat", ""), value.get("lon", "")]


class PlaceField(forms.Field):
    widget = PlaceWidget

    def __init__(self, *, question: Question, **kwargs: Any) -> None:
        self.question = question
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, list | tuple) or len(value) != 3:
            return None
        return parse_answer(self.question, dict(zip(("text", "lat", "lon"), value, strict=True)))


class AnswerField(forms.Field):
    """A field whose cleaning is `parse_answer` (for the kinds with a plain widget)."""

    def __init__(self, *, question: Question, **kwargs: Any) -> None:
        self.question = question
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        return parse_answer(self.question, value)


class AnswerChoiceField(forms.MultipleChoiceField):
    """Choices (radios or checkboxes) that clean through `parse_answer`."""

    def __init__(self, *, question: Question, multiple: bool, **kwargs: Any) -> None:
        self.question = question
        self.multiple = multiple
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if self.multiple:
            return super().to_python(value)
        return "" if value in self.empty_values else str(value)

    def validate(self, value: Any) -> None:
        values = value if isinstance(value, list) else [value] if value else []
        for item in values:
            if not self.valid_value(item):
                raise ValidationError(_("Välj ett av svarsalternativen."), code="invalid_choice")

    def clean(self, value: Any) -> Any:
        value = self.to_python(value)
        self.validate(value)
        return parse_answer(self.question, value)


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _help_text(question: Question, questions: Mapping[int, Question]) -> str:
    parts = [question.localized_help_text]
    if question.kind == Kind.MULTIPLE and question.max_choices:
        parts.append(str(_("Välj högst %(max)s.") % {"max": question.max_choices}))
    if question.kind == Kind.RANKING:
        parts.append(
            str(_("Ge det du helst vill ha plats 1. Varje plats kan bara användas en gång."))
        )
    if question.kind == Kind.PLACE:
        parts.append(
            str(
                _(
                    "Beskriv platsen eller skriv en adress. Vet du koordinaterna kan du skriva "
                    "dem; med JavaScript kan du sätta en markering på kartan."
                )
            )
        )
    if question.kind == Kind.NUMBER and (
        question.number_min is not None or question.number_max is not None
    ):
        parts.append(
            str(
                _("Ett heltal från %(min)s till %(max)s.")
                % {
                    "min": question.number_min if question.number_min is not None else "",
                    "max": question.number_max if question.number_max is not None else "",
                }
            )
        )
    if question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        limit = SHORT_TEXT_MAX if question.kind == Kind.SHORT_TEXT else LONG_TEXT_MAX
        parts.append(str(_("Högst %(max)s tecken.") % {"max": limit}))
    parent = questions.get(question.condition_question_id or 0)
    if parent is not None:
        expected = _condition_label(parent, question.condition_value)
        parts.append(
            str(
                _("Svara bara om du svarade ”%(answer)s” på frågan ”%(question)s”.")
                % {"answer": expected, "question": parent.localized_text}
            )
        )
    return " ".join(part for part in parts if part)


def _condition_label(question: Question, expected: str) -> str:
    if question.kind == Kind.YES_NO:
        return str(dict(YES_NO_CHOICES).get(expected.casefold(), expected))
    for option in question.options.all():
        if option.code.casefold() == expected.casefold():
            return option.localized_text
    return expected


def question_field(question: Question, questions: Mapping[int, Question]) -> forms.Field:
    """The form field of one question (never required by itself: see SectionForm.clean)."""
    common: dict[str, Any] = {
        "label": question.localized_text,
        "help_text": _help_text(question, questions),
        "required": False,
    }
    options = [(option.code, option.localized_text) for option in question.options.all()]
    kind = question.kind
    if kind == Kind.SINGLE:
        return AnswerChoiceField(
            question=question, multiple=False, choices=options, widget=forms.RadioSelect, **common
        )
    if kind == Kind.MULTIPLE:
        return AnswerChoiceField(
            question=question,
            multiple=True,
            choices=options,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == Kind.SCALE:
        low, high = question.localized_scale_low_label, question.localized_scale_high_label
        points = [
            (str(point), f"{point} – {low}" if point == 1 and low else str(point))
            for point in SCALE_POINTS
        ]
        if high:
            points[-1] = ("5", f"5 – {high}")
        return AnswerChoiceField(
            question=question,
            multiple=False,
            choices=points,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            **common,
        )
    if kind == Kind.YES_NO:
        return AnswerChoiceField(
            question=question,
            multiple=False,
            choices=YES_NO_CHOICES,
            widget=forms.RadioSelect,
            **common,
        )
    if kind == Kind.NUMBER:
        attrs: dict[str, Any] = {"inputmode": "numeric"}
        if question.number_min is not None:
            attrs["min"] = question.number_min
        if question.number_max is not None:
            attrs["max"] = question.number_max
        return AnswerField(
            question=question, widget=forms.NumberInput(attrs={**attrs, "step": 1}), **common
        )
    if kind == Kind.SHORT_TEXT:
        return AnswerField(
            question=question,
            widget=forms.TextInput(attrs={"maxlength": SHORT_TEXT_MAX}),
            **common,
        )
    if kind == Kind.LONG_TEXT:
        return AnswerField(
            question=question,
            widget=forms.Textarea(attrs={"rows": 6, "maxlength": LONG_TEXT_MAX}),
            **common,
        )
    if kind == Kind.RANKING:
        return RankingField(question=question, options=options, **common)
    if kind == Kind.PLACE:
        return PlaceField(question=question, **common)
    raise ValueError(f"unknown kind {kind}")


def _initial(question: Question, value: Any) -> Any:
    if value is None:
        return None
    if question.kind == Kind.SCALE:
        return str(value)
    return value


@dataclass
class Row:
    """A question with its bound field, for the template."""

    question: Question
    field: forms.BoundField

    first_place: bool = False

    @property
    def as_list(self) -> list["Row"]:
        return [self]

    @property
    def is_place(self) -> bool:
        return self.question.kind == Kind.PLACE


class SectionForm(forms.Form):
    """The questions of one or more sections. Each field is optional by itself; whether a
    question must be answered depends on the conditions, given this page's answers and
    those of the pages before (`answers`), and is checked in `clean`."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        answers: Mapping[int, Any] | None = None,
        check_required: bool = True,
        show_all: bool = False,
        **kwargs: Any,
    ) -> None:
        self.earlier = dict(answers or {})
        # A question whose condition rests on an earlier page is left out when those
        # answers hide it; one that rests on this page is shown, with a hint, and dropped
        # when cleaning (so the page works without JavaScript).
        here = {question.pk for question in questions}
        self.questions = [
            question
            for question in questions
            if show_all
            or not question.condition_question_id
            or question.condition_question_id in here
            or logic.is_shown(question, self.earlier)
        ]
        questions = self.questions
        self.check_required = check_required
        kwargs.setdefault(
            "initial",
            {
                field_name(question): _initial(question, self.earlier.get(question.pk))
                for question in questions
            },
        )
        super().__init__(*args, **kwargs)
        by_id = {question.pk: question for question in questions}
        for question in questions:
            if question.condition_question_id and question.condition_question_id not in by_id:
                by_id[question.condition_question_id] = question.condition_question  # type: ignore[assignment]
        for question in questions:
            self.fields[field_name(question)] = question_field(question, by_id)

    @property
    def rows(self) -> list[Row]:
        rows = [Row(question, self[field_name(question)]) for question in self.questions]
        places = [row for row in rows if row.is_place]
        if places:
            places[0].first_place = True  # the place search, by name, goes with the first
        return rows

    @property
    def has_place(self) -> bool:
        return any(question.kind == Kind.PLACE for question in self.questions)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answers = self.all_answers()
        for question in self.questions:
            name = field_name(question)
            if name in self.errors:
                continue
            if not logic.is_shown(question, answers):
                cleaned[name] = None  # hidden by its condition: not asked, answer dropped
                continue
            if self.check_required and question.required and cleaned.get(name) is None:
                self.add_error(name, REQUIRED_MESSAGE)
        return cleaned

    def all_answers(self) -> dict[int, Any]:
        """The answers so far: the earlier pages' with this page's over them."""
        answers = dict(self.earlier)
        data = getattr(self, "cleaned_data", {})
        for question in self.questions:
            answers[question.pk] = data.get(field_name(question))
        return answers

    def answers(self) -> dict[int, Any]:
        """This page's answers (valid forms only): question id → value, None where a
        question was not answered or not shown."""
        answers = self.all_answers()
        return {
            question.pk: answers.get(question.pk) if logic.is_shown(question, answers) else None
            for question in self.questions
        }


def _questions(sections: Iterable[Section]) -> list[Question]:
    return list(
        Question.objects.filter(section__in=list(sections))
        .select_related("section", "condition_question")
        .prefetch_related("options", "condition_question__options")
        .order_by("section__order", "section_id", "order", "id")
    )


def section_form(
    survey: Survey,
    section: Section,
    *,
    data: Any = None,
    answers: Mapping[int, Any] | None = None,
    check_required: bool = True,
    prefix: str | None = None,
    show_all: bool = False,
) -> SectionForm:
    """The form of one section (one page), given the answers so far (question id → value).
    `show_all` keeps the questions an earlier page's answers would hide (the preview)."""
    if section.survey_id != survey.pk:
        raise ValueError("the section is not the survey's")
    return SectionForm(
        data,
        questions=_questions([section]),
        answers=answers,
        check_required=check_required,
        prefix=prefix,
        show_all=show_all,
    )


def survey_form(
    survey: Survey,
    *,
    data: Any = None,
    answers: Mapping[int, Any] | None = None,
    check_required: bool = True,
) -> SectionForm:
    """Every section of the survey on one form (paper entry, the builder's preview)."""
    return SectionForm(
        data,
        questions=_questions(survey.sections.all()),
        answers=answers,
        check_required=check_required,
    )
