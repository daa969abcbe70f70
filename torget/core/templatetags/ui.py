"""Filters for the shared page parts in `templates/ui/`."""

from collections.abc import Iterator

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def elided_page_range(page: Page) -> Iterator[str | int]:
    """The page numbers `ui/pagination.html` links to: the first and last page, two either side
    of this one, and an ellipsis for the gaps, so a long list keeps a short row of links."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
