"""The public datasets: one definition each, read by the API (/api/v1/), by the bulk exports
and by the DCAT-AP-SE catalogue of open data, so the three never differ.

A dataset names its public rows (a selector that returns only what anyone may see) and the
serializer that turns a row into what is published. Nothing personal goes in: no e-mail
address, phone number, personal identity number or private person's name, only what the
public pages already show (tests/privacy checks every response and export).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class Dataset:
    # Stable, URL-safe and Swedish: the API's path (/api/v1/<slug>/), the export's file name
    # (<slug>.csv, <slug>.json) and the catalogue's identifier. Never renamed once published.
    slug: str
    title: str | Promise
    description: str | Promise
    # The public rows, in a stable order (a selector: nothing that is not public).
    rows: Callable[[], QuerySet[Any]]
    # A rest_framework Serializer class (typed loosely so this module has no DRF import).
    serializer: Any
    # The field that says when a row last changed, for Last-Modified and the export's date.
    modified_field: str | None = None
    # Themes (DCAT: the EU's data themes, e.g. "GOVE", "REGI", "SOCI") and keywords (Swedish).
    themes: tuple[str, ...] = ("GOVE",)
    keywords: tuple[str, ...] = field(default_factory=tuple)

    def last_modified(self) -> datetime.datetime | None:
        if not self.modified_field:
            return None
        value = self.rows().aggregate(latest=Max(self.modified_field))["latest"]
        return value if isinstance(value, datetime.datetime) else None


_DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.slug in _DATASETS and _DATASETS[dataset.slug] != dataset:
        raise ValueError(f"Dataset {dataset.slug!r} is registered twice")
    _DATASETS[dataset.slug] = dataset
    return dataset


def get(slug: str) -> Dataset:
    return _DATASETS[slug]


def all_datasets() -> Iterator[Dataset]:
    """Every public dataset, in the order of their slugs."""
    for slug in sorted(_DATASETS):
        yield _DATASETS[slug]


def unregister(slug: str) -> None:
    """Forget a dataset (tests that register one of their own clean up with this)."""
    _DATASETS.pop(slug, None)
