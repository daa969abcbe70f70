"""Small-number suppression (*röjandekontroll*) of the representativeness tables.

The rule, in the words of the page and the README:

1. **Primary suppression.** Every count from 1 to 4 is shown as "färre än 5" (fewer than 5),
   totals included. Zero is shown as 0: that nobody in a group took part singles no one out.
2. **Secondary (complementary) suppression.** A table shows totals, so one hidden count in a
   row or column could be worked out as the total minus the others. Wherever a row or column
   (its cells and its total, taken as one sum) has exactly one hidden number, the next smallest
   non-zero count of that row or column is hidden too and shown as "dold" (hidden). This is
   repeated until no row or column has exactly one hidden number.
3. **No percentages of hidden counts.** A share is shown only beside a count that is shown.

`suppress()` works on any table given as named cells and the sums ("lines") that hold among
them, so the same function serves a table of sources by age band with its totals and a single
column with its total.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from django.utils.translation import gettext as _

# Counts below this (and above 0) are never shown.
SMALL = 5

Key = TypeVar("Key", bound=Hashable)


class Hidden(StrEnum):
    SHOWN = ""
    SMALL = "small"  # primary: 1–4
    COMPLEMENTARY = "complementary"  # secondary: would reveal a small count


@dataclass(frozen=True)
class Shown:
    """One count as a page may show it: `value` is None when it is hidden."""

    count: int
    hidden: Hidden

    @property
    def value(self) -> int | None:
        return None if self.hidden else self.count

    @property
    def is_hidden(self) -> bool:
        return self.hidden != Hidden.SHOWN

    @property
    def text(self) -> str:
        if self.hidden == Hidden.SMALL:
            return _("färre än 5")
        if self.hidden == Hidden.COMPLEMENTARY:
            return _("dold")
        return str(self.count)

    def share(self, of: int) -> float | None:
        """The count's share of `of` (0–1), or None where the count is hidden or `of` is 0."""
        if self.is_hidden or of <= 0:
            return None
        return self.count / of

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Line(Generic[Key]):
    """A sum that a reader can check on the page: the `cells` add up to `total`."""

    cells: Sequence[Key]
    total: Key


def suppress(counts: Mapping[Key, int], lines: Iterable[Line[Key]]) -> dict[Key, Shown]:
    """Every count of `counts` as it may be shown (see the module docstring for the rule).

    `lines` are the sums shown on the page: a row's cells and the row's total, a column's
    cells and the column's total, the totals row and the grand total, and so on. A key of a
    line that is missing from `counts` counts as 0.
    """
    lines = list(lines)
    hidden: dict[Key, Hidden] = {
        key: Hidden.SMALL if 0 < count < SMALL else Hidden.SHOWN for key, count in counts.items()
    }
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = [*line.cells, line.total]
            if sum(1 for key in members if hidden.get(key, Hidden.SHOWN)) != 1:
                continue
            candidates = [
                key
                for key in line.cells
                if not hidden.get(key, Hidden.SHOWN) and counts.get(key, 0) > 0
            ]
            if not candidates and not hidden.get(line.total, Hidden.SHOWN):
                candidates = [line.total] if counts.get(line.total, 0) > 0 else []
            if not candidates:
                # Only zeros left beside the one hidden number: it is then the line's total
                # (hidden itself) or a cell whose total is hidden; either way nothing to add.
                continue
            smallest = min(candidates, key=lambda key: counts.get(key, 0))
            hidden[smallest] = Hidden.COMPLEMENTARY
            changed = True
    return {
        key: Shown(count=counts.get(key, 0), hidden=hidden.get(key, Hidden.SHOWN))
        for key in {
            *counts,
            *(key for line in lines for key in (*line.cells, line.total)),
        }
    }


def table_lines(
    rows: Sequence[Hashable], columns: Sequence[Hashable]
) -> tuple[dict[tuple[Hashable, Hashable], int], list[Line[tuple[Hashable, Hashable]]]]:
    """The lines of a table of `rows` by `columns` with a total column ("total"), a total row
    ("total") and the grand total ("total", "total"): returned with an empty count map to be
    filled (every cell at 0)."""
    total = "total"
    counts: dict[tuple[Hashable, Hashable], int] = {}
    for row in [*rows, total]:
        for column in [*columns, total]:
            counts[(row, column)] = 0
    lines: list[Line[tuple[Hashable, Hashable]]] = []
    for row in [*rows, total]:
        lines.append(Line(cells=[(row, column) for column in columns], total=(row, total)))
    for column in [*columns, total]:
        lines.append(Line(cells=[(row, column) for row in rows], total=(total, column)))
    return counts, lines
