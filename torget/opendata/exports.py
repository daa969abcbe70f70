"""The bulk exports of open data: for each public dataset (torget.api.datasets) a CSV file, a
JSON file and a README of its fields, under MEDIA_ROOT/opendata/, with a manifest.json that
says when each was built, how many rows it has and each file's size and SHA-256.

Every file is written to a temporary name in the same folder and renamed into place, so a
reader (the download view, a harvester) sees the old file or the new one, never half of one;
the manifest is written last. The worker rebuilds them every night (apps.on_tick), the
`build_open_data` command on demand, the demo after its last loader.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from torget.api.datasets import Dataset, all_datasets

FOLDER = "opendata"
MANIFEST = "manifest.json"
# The files of one dataset: format → (file suffix, media type).
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "json": ("json", "application/json"),
    "md": ("md", "text/markdown; charset=utf-8"),
}
# Rows serialised at a time: the memory a build needs stays the same at any size.
CHUNK = 1000


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def path_of(slug: str, fmt: str) -> Path:
    return folder() / f"{slug}.{FORMATS[fmt][0]}"


# --- Reading ----------------------------------------------------------------------------------


def manifest() -> dict[str, Any]:
    """The last build's manifest; an empty one before the first build (or if it is unreadable)."""
    try:
        with open(folder() / MANIFEST, encoding="utf-8") as file:
            data = json.load(file)
    except (OSError, ValueError):
        return {"built_at": None, "datasets": {}}
    if not isinstance(data, dict) or not isinstance(data.get("datasets"), dict):
        return {"built_at": None, "datasets": {}}
    return data


def built_at(entry: dict[str, Any]) -> datetime.datetime | None:
    value = entry.get("built_at")
    if not isinstance(value, str):
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


# --- Columns and field descriptions from the serializer -----------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # "area.slug" for a nested value
    path: tuple[str, ...]
    label: str
    help_text: str
    kind: str


# DRF field classes → the type a reader of the README sees (Swedish, as the README is).
_KINDS = {
    "IntegerField": "heltal",
    "FloatField": "decimaltal",
    "DecimalField": "decimaltal (text)",
    "BooleanField": "sant/falskt",
    "DateField": "datum (ÅÅÅÅ-MM-DD)",
    "DateTimeField": "tidpunkt (ISO 8601)",
    "URLField": "webbadress",
    "HyperlinkedIdentityField": "webbadress",
    "SlugField": "kortnamn",
    "SlugRelatedField": "kortnamn",
    "ChoiceField": "kod",
    "MultipleChoiceField": "lista med koder",
    "ListField": "lista (JSON)",
    "ListSerializer": "lista (JSON)",
    "ManyRelatedField": "lista (JSON)",
    "JSONField": "JSON",
    "DictField": "JSON",
    "PrimaryKeyRelatedField": "id",
    "SerializerMethodField": "värde",
    "GeometryField": "GeoJSON",
}


def _kind(field: Any) -> str:
    for cls in type(field).__mro__:
        if cls.__name__ in _KINDS:
            return _KINDS[cls.__name__]
    return "text"


def _is_nested(field: Any) -> bool:
    """A nested object (one serializer, not many): flattened into columns of its own."""
    return hasattr(field, "fields") and not hasattr(field, "child") and not field_many(field)


def field_many(field: Any) -> bool:
    return bool(getattr(field, "many", False)) or type(field).__name__ == "ListSerializer"


def columns(serializer_class: Any) -> list[Column]:
    """The CSV's columns: one per field, a nested object's fields as "field.subfield"."""
    found: list[Column] = []

    def walk(fields: Any, prefix: tuple[str, ...], depth: int) -> None:
        for name, field in fields.items():
            if getattr(field, "write_only", False):
                continue
            path = (*prefix, name)
            if _is_nested(field) and depth < 3:
                walk(field.fields, path, depth + 1)
                continue
            found.append(
                Column(
                    name=".".join(path),
                    path=path,
                    label=str(field.label or name),
                    help_text=str(field.help_text or ""),
                    kind=_kind(field),
                )
            )

    walk(serializer_class().fields, (), 0)
    return found


def _cell(row: dict[str, Any], path: tuple[str, ...]) -> str:
    value: Any = row
    for key in path:
        if not isinstance(value, dict):
            return ""
        value = value.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder, sort_keys=True)
    return str(value)


def serialised_rows(dataset: Dataset) -> Iterator[dict[str, Any]]:
    """The published dicts of every public row, serialised a chunk at a time."""
    rows = dataset.rows().iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        yield from dataset.serializer(chunk, many=True).data


# --- Writing ------------------------------------------------------------------------------------


class _AtomicFile:
    """A text file written under a temporary name and renamed into place on success, with its
    size and SHA-256 counted on the way."""

    def __init__(self, target: Path) -> None:
        self.target = target
        descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        self.temp = Path(name)
        self.file = os.fdopen(descriptor, "w", encoding="utf-8", newline="")

    def write(self, text: str) -> int:
        return self.file.write(text)

    def commit(self) -> dict[str, Any]:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.chmod(self.temp, 0o644)  # noqa: S103 — public files, served to anyone
        os.replace(self.temp, self.target)
        digest = hashlib.sha256()
        with open(self.target, "rb") as file:
            for block in iter(lambda: file.read(1 << 16), b""):
                digest.update(block)
        return {
            "name": self.target.name,
            "bytes": self.target.stat().st_size,
            "sha256": digest.hexdigest(),
        }

    def abort(self) -> None:
        if not self.file.closed:
            self.file.close()
        self.temp.unlink(missing_ok=True)


def _write(target: Path, chunks: Iterable[str]) -> dict[str, Any]:
    out = _AtomicFile(target)
    try:
        for chunk in chunks:
            out.write(chunk)
        return out.commit()
    except BaseException:
        out.abort()
        raise


def _write_rows(dataset: Dataset, cols: list[Column]) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """The CSV and the JSON file from one pass over the rows, so both hold the same rows
    even if the data changes while they are written; (rows, csv file, json file)."""
    csv_out = _AtomicFile(path_of(dataset.slug, "csv"))
    json_out = _AtomicFile(path_of(dataset.slug, "json"))
    try:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([column.name for column in cols])
        json_out.write("[")
        count = 0
        for row in serialised_rows(dataset):
            writer.writerow([_cell(row, column.path) for column in cols])
            if buffer.tell() > 1 << 16:
                csv_out.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
            json_out.write("\n" if count == 0 else ",\n")
            json_out.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder))
            count += 1
        csv_out.write(buffer.getvalue())
        json_out.write("\n]\n")
        return count, csv_out.commit(), json_out.commit()
    except BaseException:
        csv_out.abort()
        json_out.abort()
        raise


def readme(dataset: Dataset, cols: list[Column], *, rows: int, built: datetime.datetime) -> str:
    """The dataset's README (Markdown, Swedish): what it holds, its fields and the licence."""
    license_uri = settings.OPEN_DATA_LICENSE
    lines = [
        f"# {dataset.title}",
        "",
        str(dataset.description),
        "",
        f"- Kortnamn: `{dataset.slug}`",
        f"- Antal rader: {rows}",
        f"- Byggd: {timezone.localtime(built).isoformat(timespec='seconds')}",
        f"- Licens: {license_uri}",
        f"- Filer: `{dataset.slug}.csv` (UTF-8, kommaseparerad, med rubrikrad) och "
        f"`{dataset.slug}.json` (UTF-8, en lista med ett objekt per rad)",
    ]
    if dataset.keywords:
        lines.append(f"- Nyckelord: {', '.join(str(word) for word in dataset.keywords)}")
    lines += [
        "",
        "Exporten innehåller bara det som redan är offentligt på webbplatsen: inga "
        "e-postadresser, telefonnummer, personnummer eller namn på privatpersoner.",
        "",
        "## Fält",
        "",
        "I CSV-filen skrivs ett inbäddat objekt som kolumner med punkt i namnet "
        "(`omrade.namn`), och en lista som JSON i en cell.",
        "",
        "| Fält | Namn | Typ | Betydelse |",
        "| --- | --- | --- | --- |",
    ]

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    for column in cols:
        lines.append(
            f"| `{column.name}` | {cell(column.label)} | {column.kind} | {cell(column.help_text)} |"
        )
    lines.append("")
    return "\n".join(lines)


def build_dataset(dataset: Dataset, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Write one dataset's three files; its manifest entry."""
    now = now or timezone.now()
    folder().mkdir(parents=True, exist_ok=True)
    cols = columns(dataset.serializer)
    rows, csv_file, json_file = _write_rows(dataset, cols)
    files = {"csv": csv_file, "json": json_file}
    files["md"] = _write(path_of(dataset.slug, "md"), [readme(dataset, cols, rows=rows, built=now)])
    modified = dataset.last_modified()
    return {
        "title": str(dataset.title),
        "built_at": now.isoformat(),
        "modified": modified.isoformat() if modified else None,
        "rows": rows,
        "bytes": sum(file["bytes"] for file in files.values()),
        "files": files,
    }


def build_all(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Rebuild every registered dataset's files and the manifest; files of datasets no longer
    registered are removed."""
    now = now or timezone.now()
    folder().mkdir(parents=True, exist_ok=True)
    before = manifest()
    previous = before["datasets"]
    datasets = {dataset.slug: build_dataset(dataset, now=now) for dataset in all_datasets()}
    for slug in set(previous) - set(datasets):
        for fmt in FORMATS:
            try:
                path_of(slug, fmt).unlink(missing_ok=True)
            except (KeyError, ValueError, OSError):
                continue
    data = {
        "built_at": now.isoformat(),
        # When the exports were first published (the catalogue's dcterms:issued).
        "first_built_at": before.get("first_built_at") or now.isoformat(),
        "license": settings.OPEN_DATA_LICENSE,
        "datasets": datasets,
    }
    _write(folder() / MANIFEST, [json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)])
    return data


def next_build_time(now: datetime.datetime) -> datetime.datetime:
    """OPEN_DATA_BUILD_HOUR (local time), today or tomorrow."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=settings.OPEN_DATA_BUILD_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += datetime.timedelta(days=1)
    return candidate
