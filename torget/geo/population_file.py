"""Reading a population file (CSV) into figures, each bad line refused with its number and the
reason. Nothing here writes; services.population_import() does.

The format (also on the import page): a first line with the column names `område`,
`åldersgrupp` and `antal` (or `area`, `age_band`, `count`; in any order), optionally
`målgrupp` (`group`); then one line per area and age band. The area is written by its name or
its short name (slug) as in Torget's list of areas; the age band as `16-19`, `16–19 år`, `80+`
or `80 år eller äldre`; the count as a whole number (spaces between thousands allowed). A line
with a target group gives the number of people of that group in the area, for one age band or,
with the age band left empty, for all ages. UTF-8 or Windows-1252 text, semicolons or commas.
"""

import csv
import dataclasses
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from torget.core import csvfile
from torget.geo.models import Area
from torget.geo.population import AgeBand, age_band_label

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ERRORS = 50
# No area of a Swedish municipality holds more people than this in one band.
MAX_COUNT = 10_000_000
MAX_GROUP_LENGTH = 60

COLUMNS = {
    "område": "area",
    "omrade": "area",
    "area": "area",
    "åldersgrupp": "age_band",
    "aldersgrupp": "age_band",
    "ålder": "age_band",
    "age_band": "age_band",
    "age band": "age_band",
    "antal": "count",
    "count": "count",
    "målgrupp": "group",
    "malgrupp": "group",
    "group": "group",
}
REQUIRED = ("area", "age_band", "count")


@dataclasses.dataclass(frozen=True)
class FigureRow:
    line: int
    area: Area
    age_band: str  # "" for a target group's figure for all ages
    group: str  # "" for the population by age band
    count: int


class PopulationFileError(ValidationError):
    """The file is refused whole; `messages` says why, a line number in each where it has one."""


def _normalise_band(value: str) -> str:
    text = value.strip().lower()
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    text = re.sub(r"\s*år\s*$", "", text)
    text = re.sub(r"\s+", "", text)
    if re.fullmatch(r"\d+-", text):
        text = text[:-1] + "+"
    return text


def _age_bands() -> dict[str, str]:
    known: dict[str, str] = {}
    for value, label in AgeBand.choices:
        known[_normalise_band(value)] = value
        known[str(label).strip().lower()] = value
    known["80årelleräldre"] = AgeBand.ELDERLY
    return known


def _parse_count(value: str) -> int | None:
    text = re.sub(r"[\s\u00a0\u202f]", "", value)
    if not re.fullmatch(r"[0-9]{1,9}", text):
        return None
    return int(text)


class _Areas:
    """Every area by lower-cased slug and name (one query); a name two areas share is
    ambiguous and must be written by its slug."""

    def __init__(self) -> None:
        self.by_slug: dict[str, Area] = {}
        self.by_name: dict[str, list[Area]] = {}
        self.parent_of: dict[int, int | None] = {}
        for area in Area.objects.only("pk", "name", "slug", "parent_id"):
            self.by_slug[area.slug.casefold()] = area
            self.by_name.setdefault(area.name.strip().casefold(), []).append(area)
            self.parent_of[area.pk] = area.parent_id

    def find(self, value: str) -> Area | list[Area] | None:
        """The area a cell names: its slug as written, else its name (any case), else its
        slug in any case; a list when the name is shared by several."""
        text = value.strip()
        exact = self.by_slug.get(text)
        if exact is not None and exact.slug == text:
            return exact
        named = self.by_name.get(text.casefold(), [])
        if len(named) == 1:
            return named[0]
        if named:
            return named
        return self.by_slug.get(text.casefold())

    def ancestors(self, pk: int) -> list[int]:
        found: list[int] = []
        parent = self.parent_of.get(pk)
        while parent is not None and parent not in found:
            found.append(parent)
            parent = self.parent_of.get(parent)
        return found


def _line(line: int, message: str) -> str:
    return _("Rad %(line)d: %(error)s") % {"line": line, "error": message}


def _header(row: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    errors: list[str] = []
    for index, cell in enumerate(row):
        name = COLUMNS.get(cell.strip().lower())
        if name is None:
            continue  # other columns (a municipality's own notes) are not read
        if name in columns:
            errors.append(_line(1, _("kolumnen ”%(column)s” finns två gånger.") % {"column": cell}))
        columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        errors.append(
            _line(
                1,
                _(
                    "första raden ska ha kolumnerna område, åldersgrupp och antal "
                    "(och, om du vill, målgrupp). Den har: %(found)s."
                )
                % {"found": ", ".join(cell.strip() for cell in row if cell.strip()) or "–"},
            )
        )
    return columns, errors


def read_population_file(raw: bytes) -> list[FigureRow]:
    """The figures in the file, or PopulationFileError with every problem found (at most
    MAX_ERRORS), so that the whole file can be corrected at once."""
    if len(raw) > MAX_FILE_BYTES:
        raise PopulationFileError(_("Filen är större än 2 MB."))
    try:
        text = csvfile.decode_text(raw)
    except csvfile.NotTextError as error:
        raise PopulationFileError(
            _("Filen är ingen textfil. Spara befolkningsstatistiken som CSV och försök igen.")
        ) from error
    if not text.strip():
        raise PopulationFileError(_("Filen är tom."))
    bands = _age_bands()
    areas = _Areas()
    errors: list[str] = []
    figures: list[FigureRow] = []
    first_line_of: dict[tuple[int, str, str], int] = {}
    columns: dict[str, int] | None = None
    rows = csvfile.numbered_rows(text)
    while len(errors) < MAX_ERRORS:
        try:
            line, row = next(rows)
        except StopIteration:
            break
        except csv.Error:
            errors.append(_("Filen går inte att läsa som CSV."))
            break
        if not any(cell.strip() for cell in row):
            continue
        if columns is None:
            columns, header_errors = _header(row)
            if header_errors:
                raise PopulationFileError(header_errors)
            continue
        if len(row) <= max(columns.values()):
            errors.append(_line(line, _("raden har för få kolumner.")))
            continue
        area_text = row[columns["area"]].strip()
        band_text = row[columns["age_band"]].strip()
        count_text = row[columns["count"]].strip()
        group = row[columns["group"]].strip() if "group" in columns else ""
        line_errors: list[str] = []
        found = areas.find(area_text) if area_text else None
        area: Area | None = None
        if not area_text:
            line_errors.append(_("området saknas."))
        elif found is None:
            line_errors.append(_("okänt område ”%(area)s”.") % {"area": area_text})
        elif isinstance(found, list):
            line_errors.append(
                _("flera områden heter ”%(area)s”; skriv områdets kortnamn (%(slugs)s).")
                % {"area": area_text, "slugs": ", ".join(a.slug for a in found)}
            )
        else:
            area = found
        band = bands.get(_normalise_band(band_text)) if band_text else ""
        if band is None:
            line_errors.append(
                _("okänd åldersgrupp ”%(band)s”; använd %(bands)s.")
                % {"band": band_text, "bands": ", ".join(AgeBand.values)}
            )
        elif not band and not group:
            line_errors.append(_("åldersgruppen saknas."))
        if len(group) > MAX_GROUP_LENGTH:
            line_errors.append(
                _("målgruppens namn får vara högst %(max)d tecken.") % {"max": MAX_GROUP_LENGTH}
            )
        elif any(not ch.isprintable() for ch in group):
            line_errors.append(_("målgruppens namn har tecken som inte kan visas."))
        count = _parse_count(count_text)
        if count is None or count > MAX_COUNT:
            line_errors.append(_("antalet måste vara ett heltal ≥ 0."))
        if line_errors:
            errors.extend(_line(line, message) for message in line_errors)
            continue
        assert area is not None and band is not None and count is not None  # noqa: S101
        key = (area.pk, band, group.casefold())
        if key in first_line_of:
            errors.append(
                _line(
                    line,
                    _("%(area)s, %(band)s%(group)s finns redan på rad %(first)d.")
                    % {
                        "area": area.name,
                        "band": age_band_label(band) if band else _("alla åldrar"),
                        "group": f", {group}" if group else "",
                        "first": first_line_of[key],
                    },
                )
            )
            continue
        first_line_of[key] = line
        figures.append(FigureRow(line=line, area=area, age_band=band, group=group, count=count))
    if len(errors) >= MAX_ERRORS:
        errors.append(_("Det finns fler fel i filen. Rätta de här först."))
    if not errors:
        errors.extend(_overlaps(figures, areas))
    if errors:
        raise PopulationFileError(errors)
    if columns is None or not figures:
        raise PopulationFileError(_("Filen innehåller inga befolkningssiffror."))
    return figures


def _overlaps(figures: list[FigureRow], areas: _Areas) -> list[str]:
    """An area and an area it lies in both in the file would count the same people twice in
    every total: the figures are given for areas that do not overlap."""
    present: dict[int, FigureRow] = {}
    for figure in figures:
        present.setdefault(figure.area.pk, figure)
    errors = []
    for figure in present.values():
        for ancestor in areas.ancestors(figure.area.pk):
            if ancestor in present:
                errors.append(
                    _line(
                        figure.line,
                        _(
                            "%(area)s ligger i %(outer)s, som också finns i filen (rad "
                            "%(outer_line)d). Ange befolkningen för områden som inte "
                            "överlappar varandra."
                        )
                        % {
                            "area": figure.area.name,
                            "outer": present[ancestor].area.name,
                            "outer_line": present[ancestor].line,
                        },
                    )
                )
                break
    return errors[:MAX_ERRORS]
