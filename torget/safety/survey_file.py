"""Reading a safety survey file (CSV or XLSX) into rows, each refused with its line and the
reason when it cannot be used. Nothing here writes; services.survey_import() does.

The format (also on the import page and in the README): a first line with the column names
`område`, `år`, `fråga`, `svarsalternativ` and `andel` (in any order; other columns are
ignored), then one line per answer option: the area's name, the survey's year, the question,
the option and the share in per cent (0–100, a decimal comma or point). The shares of one
question in one area and year add up to 100 (within rounding). A CSV file is UTF-8 text
separated by semicolons or commas; an XLSX file has the same columns in its first sheet.
"""

import csv
import dataclasses
import io
import itertools
import zipfile
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

COLUMNS = {
    "område": "area",
    "år": "year",
    "fråga": "question",
    "svarsalternativ": "option",
    "andel": "share",
}
# The shares of a question add up to 100 within what rounding each option can lose.
SUM_TOLERANCE = Decimal("2")
MAX_ROWS = 20000
MAX_ERRORS = 50


@dataclasses.dataclass(frozen=True)
class Row:
    line: int
    area: str
    year: int
    question: str
    option: str
    share: Decimal


@dataclasses.dataclass(frozen=True)
class Problem:
    line: int | None
    reason: str

    def __str__(self) -> str:
        if self.line is None:
            return self.reason
        return _("Rad %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


class SurveyFileError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems[:MAX_ERRORS]


def _cells_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        lines = []
        for index, values in enumerate(sheet.iter_rows(values_only=True)):
            if index > MAX_ROWS:
                break
            lines.append(list(values))
        book.close()
        return lines
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise SurveyFileError(
            [Problem(None, _("Filen går inte att läsa som ett XLSX-kalkylark."))]
        ) from error


def _cells_csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SurveyFileError(
            [Problem(None, _("Filen är inte text i UTF-8. Spara den som CSV (UTF-8)."))]
        ) from error
    if "\x00" in text:
        raise SurveyFileError([Problem(None, _("Filen är inte en textfil."))])
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return list(itertools.islice(reader, MAX_ROWS + 1))
    except csv.Error as error:
        raise SurveyFileError([Problem(None, _("Filen går inte att läsa som CSV."))]) from error


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read(data: bytes, filename: str = "") -> list[Row]:
    """The rows of the file, or SurveyFileError with every problem found (line and reason)."""
    if not data.strip():
        raise SurveyFileError([Problem(None, _("Filen är tom."))])
    is_xlsx = filename.lower().endswith(".xlsx") or zipfile.is_zipfile(io.BytesIO(data))
    cells = _cells_xlsx(data) if is_xlsx else _cells_csv(data)
    if len(cells) > MAX_ROWS:
        raise SurveyFileError(
            [Problem(None, _("Filen har fler än %(max)s rader.") % {"max": MAX_ROWS})]
        )
    if not cells:
        raise SurveyFileError([Problem(None, _("Filen är tom."))])
    header = [_text(cell).lower() for cell in cells[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise SurveyFileError(
            [
                Problem(
                    1,
                    _("kolumnerna %(missing)s saknas. Första raden ska ha kolumnerna %(all)s.")
                    % {"missing": ", ".join(missing), "all": ", ".join(COLUMNS)},
                )
            ]
        )
    where = {COLUMNS[name]: header.index(name) for name in COLUMNS}
    rows: list[Row] = []
    problems: list[Problem] = []
    for number, cells_of_line in enumerate(cells[1:], start=2):
        values = {
            key: _text(cells_of_line[i]) if i < len(cells_of_line) else ""
            for key, i in where.items()
        }
        if not any(values.values()):
            continue  # an empty line
        empty = [name for name, key in COLUMNS.items() if not values[key]]
        if empty:
            problems.append(
                Problem(number, _("%(columns)s är tom.") % {"columns": ", ".join(empty)})
            )
            continue
        try:
            year = int(values["year"])
        except ValueError:
            year = 0
        if not 1900 <= year <= 2999:
            problems.append(
                Problem(number, _("året ”%(value)s” är inget år.") % {"value": values["year"][:20]})
            )
            continue
        try:
            share = Decimal(values["share"].replace(",", ".").replace("%", "").strip())
        except InvalidOperation:
            share = None
        if share is None or not share.is_finite():
            problems.append(
                Problem(
                    number,
                    _("andelen ”%(value)s” är inget tal.") % {"value": values["share"][:20]},
                )
            )
            continue
        if not Decimal(0) <= share <= Decimal(100):
            problems.append(
                Problem(
                    number,
                    _("andelen %(value)s ligger inte mellan 0 och 100.")
                    % {"value": values["share"][:20]},
                )
            )
            continue
        if (
            len(values["question"]) > 500
            or len(values["option"]) > 200
            or len(values["area"]) > 200
        ):
            problems.append(Problem(number, _("texten är för lång.")))
            continue
        rows.append(
            Row(
                line=number,
                area=values["area"],
                year=year,
                question=values["question"],
                option=values["option"],
                share=share.quantize(Decimal("0.1")),
            )
        )
    seen: dict[tuple[str, int, str, str], int] = {}
    totals: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    first_row: dict[tuple[str, int, str], Row] = {}
    for row in rows:
        key = (row.area.lower(), row.year, row.question, row.option)
        if key in seen:
            problems.append(
                Problem(
                    row.line,
                    _("svarsalternativet finns redan på rad %(line)s.") % {"line": seen[key]},
                )
            )
        seen.setdefault(key, row.line)
        totals[key[:3]] += row.share
        first_row.setdefault(key[:3], row)
    for group, total in totals.items():
        if abs(total - 100) > SUM_TOLERANCE:
            problems.append(
                Problem(
                    first_row[group].line,
                    _(
                        "andelarna för frågan ”%(question)s” (%(area)s %(year)s) blir "
                        "%(total)s procent, inte 100."
                    )
                    % {
                        "question": group[2][:80],
                        "area": first_row[group].area,
                        "year": group[1],
                        "total": total,
                    },
                )
            )
    if not rows and not problems:
        problems.append(Problem(None, _("Filen har inga rader med svar.")))
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise SurveyFileError(problems)
    return rows
