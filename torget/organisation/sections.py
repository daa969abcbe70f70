"""Sections other parts add to a body's public page (/om/organisation/<slug>/), so the
organisation part need not know them: the meetings part adds an utskott's meetings with their
agendas and published minutes.

A provider is a function `(request, body) -> str`: its section as rendered by
`render_to_string` (already safe HTML), or "" for nothing. Providers register from their
`AppConfig.ready()`:

    sections.register(body_meetings_section, order=10)

A section must show only what anyone may see: the page is public.
"""

from collections.abc import Callable
from typing import Any

from torget.organisation.models import Body

Provider = Callable[[Any, Body], str]

_providers: list[tuple[int, Provider]] = []


def register(provider: Provider, *, order: int = 50) -> None:
    if all(existing is not provider for _, existing in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda entry: entry[0])


def render(request: Any, body: Body) -> list[str]:
    """The sections of the body's page, in order; empty ones left out."""
    return [html for _, provider in _providers if (html := provider(request, body))]
