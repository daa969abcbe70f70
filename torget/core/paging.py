"""Pages of a long public list without counting the whole table.

Django's Paginator counts every row (COUNT(*)) on every page and reads deep pages with
OFFSET, which walks every row before them: at 100,000 rows both cost more than the page
itself. `CappedPaginator` counts only up to `max_rows` + 1 rows (a short index walk) and
goes no deeper than `max_rows`; `capped` says that more rows match than the pages reach,
and the page asks the visitor to filter (issue 22). A page number beyond the last page gives
the last page, as with Django's get_page.
"""

from typing import Any

from django.core.paginator import Paginator

# How deep a public list goes (50 pages of 20).
LIST_MAX_ROWS = 1000


class CappedPaginator(Paginator[Any]):
    def __init__(self, object_list: Any, per_page: int, *, max_rows: int = LIST_MAX_ROWS) -> None:
        super().__init__(object_list, per_page)
        self.max_rows = max_rows
        self._counted: int | None = None

    def _count_capped(self) -> int:
        if self._counted is None:
            rows = self.object_list
            if hasattr(rows, "order_by"):
                self._counted = rows.order_by()[: self.max_rows + 1].count()
            else:
                self._counted = len(rows[: self.max_rows + 1])
        return self._counted

    @property
    def count(self) -> int:
        """The rows the pages hold (at most max_rows)."""
        return min(self._count_capped(), self.max_rows)

    @property
    def capped(self) -> bool:
        """Whether more rows match than the pages reach."""
        return self._count_capped() > self.max_rows
