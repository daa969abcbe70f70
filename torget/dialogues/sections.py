"""Sections other parts add to a dialogue's pages, so the dialogues part need not know them.

A provider is a function `(request, dialogue) -> str`: its section as rendered by
`render_to_string` (already safe HTML), or "" for nothing. The meetings part adds the meetings, the results part the results and the
feedback points, the evaluation part the evaluation. Providers register from their
`AppConfig.ready()`:

    sections.register(sections.PUBLIC, meetings_section, order=10)

A public section must show only what anyone may see: the public page is shared by caches.
"""

from collections.abc import Callable
from typing import Any

from torget.dialogues.models import Dialogue

PUBLIC = "public"
STAFF = "staff"

Provider = Callable[[Any, Dialogue], str]

_providers: dict[str, list[tuple[int, Provider]]] = {PUBLIC: [], STAFF: []}


def register(place: str, provider: Provider, *, order: int = 50) -> None:
    entries = _providers[place]
    if all(existing is not provider for _, existing in entries):
        entries.append((order, provider))
        entries.sort(key=lambda entry: entry[0])


def render(place: str, request: Any, dialogue: Dialogue) -> list[str]:
    """The sections of one page, in order; empty ones left out."""
    return [html for _, provider in _providers[place] if (html := provider(request, dialogue))]
