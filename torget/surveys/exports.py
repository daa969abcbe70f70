"""The submitted responses of a survey as a table (CSV for Excel, XLSX) and its places as
GeoJSON.

One row per response, numbered 1, 2, … in the order they came in: no response id, no
receipt, no resume link, no name of the staff who entered a paper answer (the channel
says "papper"). The columns are the submission date, the channel, the background answers
and one per question. Two queries walked side by side (responses, and their answers in the
same order), streamed: 10,000 rows never sit in memory as objects.
"""

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _
from openpyxl import Workbook

from torget.geo.models import Area
from torget.surveys.models import Gender, Kind, Question, Source, Survey
from torget.surveys.results import place_answers, submitted, submitted_answers

BOM = "\ufeff"
# Cells a spreadsheet would read as a formula: written with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _headers(questions: list[Question]) -> list[str]:
    return [
        _("Nr"),
        _("Inskickad"),
        _("Kanal"),
        _("Åldersgrupp"),
        _("Område"),
        _("Kön"),
        _("Målgrupper"),
    ] + [f"{number}. {question.text}" for number, question in enumerate(questions, start=1)]


def _formatter(question: Question, options: dict[str, str], yes_no: dict[str, str]) -> Any:
    """The function that writes one answer of `question` as a cell, chosen once per question
    (the export calls it for every answer)."""
    kind = question.kind

    def codes(value: Any) -> list[Any]:
        return value if isinstance(value, list) else [value]

    def text(value: Any, text: str, lat: Any, lon: Any) -> Any:
        return _safe(text or (value if isinstance(value, str) else ""))

    def place(value: Any, text: str, lat: Any, lon: Any) -> Any:
        return f"{lat:.6f}, {lon:.6f}" if lat is not None and lon is not None else ""

    def single(value: Any, text: str, lat: Any, lon: Any) -> Any:
        return "" if value is None else options.get(str(value), str(value))

    def multiple(value: Any, text: str, lat: Any, lon: Any) -> Any:
        if value is None:
            return ""
        return "; ".join(options.get(str(code), str(code)) for code in codes(value))

    def ranking(value: Any, text: str, lat: Any, lon: Any) -> Any:
        if value is None:
            return ""
        return "; ".join(
            f"{place}. {options.get(str(code), str(code))}"
            for place, code in enumerate(codes(value), 1)
        )

    def yes_or_no(value: Any, text: str, lat: Any, lon: Any) -> Any:
        return "" if value is None else yes_no.get(str(value).casefold(), str(value))

    def number(value: Any, text: str, lat: Any, lon: Any) -> Any:
        if value is None:
            return ""
        try:
            figure = float(value)
        except (TypeError, ValueError):
            return str(value)
        return int(figure) if figure.is_integer() else figure

    chosen: dict[str, Any] = {
        Kind.SHORT_TEXT: text,
        Kind.LONG_TEXT: text,
        Kind.PLACE: place,
        Kind.SINGLE: single,
        Kind.MULTIPLE: multiple,
        Kind.RANKING: ranking,
        Kind.YES_NO: yes_or_no,
        Kind.SCALE: number,
        Kind.NUMBER: number,
    }
    return chosen.get(kind, single)


def rows(survey: Survey) -> Iterator[list[Any]]:
    """The header, then one row per submitted response."""
    questions = list(survey.questions.select_related("section").prefetch_related("options"))
    yes_no = {"ja": _("Ja"), "nej": _("Nej")}
    formatters = {
        q.pk: (index, _formatter(q, {o.code: o.text for o in q.options.all()}, yes_no))
        for index, q in enumerate(questions)
    }
    areas = dict(Area.objects.values_list("pk", "name"))
    sources = {choice.value: str(choice.label) for choice in Source}
    sources[Source.PAPER] = _("papper")
    genders = {choice.value: str(choice.label) for choice in Gender}
    yield _headers(questions)
    order = ("submitted_on", "pk")
    responses = (
        submitted(survey)
        .order_by(*order)
        .values_list(
            "pk", "submitted_on", "source", "age_band", "area_id", "gender", "target_groups"
        )
        .iterator(chunk_size=2000)
    )
    answers = (
        submitted_answers(survey)
        .order_by(F("response__submitted_on").asc(), "response_id")
        .values_list("response_id", "question_id", "value", "text", "lat", "lon")
        .iterator(chunk_size=4000)
    )
    pending = next(answers, None)
    for number, (pk, submitted_on, source, age_band, area_id, gender, groups) in enumerate(
        responses, start=1
    ):
        cells: list[Any] = [""] * len(questions)
        while pending is not None and pending[0] == pk:
            _response, question_id, value, text, lat, lon = pending
            found = formatters.get(question_id)
            if found is not None:
                cells[found[0]] = found[1](value, text, lat, lon)
            pending = next(answers, None)
        yield [
            number,
            submitted_on.isoformat() if submitted_on else "",
            sources.get(source, source),
            age_band,
            areas.get(area_id, "") if area_id else "",
            genders.get(gender, gender),
            "; ".join(_safe(str(g)) for g in groups) if isinstance(groups, list) else "",
            *cells,
        ]


def csv_lines(survey: Survey) -> Iterator[str]:
    """CSV as Excel in Sweden opens it: UTF-8 with a byte order mark, `;` between fields."""
    writer = csv.writer(_Echo(), delimiter=";")
    first = True
    for row in rows(survey):
        line = writer.writerow(row)
        yield (BOM + line) if first else line
        first = False


def xlsx_bytes(survey: Survey) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Svar")[:31])
    for row in rows(survey):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def geojson(survey: Survey, *, question: int | None = None) -> dict[str, Any]:
    """The places answered, as points; each says which question, nothing about who."""
    texts = dict(survey.questions.filter(kind=Kind.PLACE).values_list("pk", "text"))
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon or 0, 6), round(lat or 0, 6)]},
            "properties": {"question": texts.get(question_id, "")},
        }
        for question_id, lat, lon in place_answers(survey, question=question).values_list(
            "question_id", "lat", "lon"
        )
    ]
    return {"type": "FeatureCollection", "features": features}
