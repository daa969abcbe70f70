"""Where a case came from, told by the higher apps that make cases (a hook: feedback imports
none of them). A source registers a function from `AppConfig.ready()`; the case's staff page
shows what each returns:

    links.register_case_link(lambda case: [CaseLink(label, url)] or [])

Each function sees only the case and returns links for staff who may open the case; the
page they lead to does its own permission check."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CaseLink:
    label: str  # what the case is linked to, in Swedish ("Fynd vid trygghetsbesiktning …")
    url: str


CaseLinkSource = Callable[[Any], list[CaseLink]]
_SOURCES: list[CaseLinkSource] = []


def register_case_link(source: CaseLinkSource) -> None:
    """Idempotent, so a second `ready()` (tests) does not list a link twice."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def links_for(case: Any) -> list[CaseLink]:
    return [link for source in _SOURCES for link in source(case)]
