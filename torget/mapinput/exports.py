"""A map's points for the officials, as GeoJSON and as CSV (for Excel): COMPLETE, every point
of the filter whatever its status (a hidden one with its status and the moderator's reason),
lines and areas with their whole geometry; and WITHOUT personal data: no author, no shown
name, no address of the network. The age band is the anonymous background answer and stays.

Both are streamed from one query read in chunks (`values()`, no model objects), so 20,000
points never sit in memory at once. CSV cells a spreadsheet would read as a formula get a
leading apostrophe, as the surveys' export does."""

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.geo.population import AgeBand
from torget.mapinput.models import HideReason, Point, Shape, Status

BOM = "\ufeff"
# Cells a spreadsheet would read as a formula: written with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000

# The columns read: none of them says who placed the point.
FIELDS = (
    "id",
    "created_at",
    "category__name",
    "shape",
    "status",
    "hidden_reason",
    "hidden_at",
    "comment",
    "address",
    "age_band",
    "agree_count",
    "comment_count",
    "lat",
    "lon",
    "geometry",
    "photo",
    "result_item_id",
    "case__number",
)


def _rows(points: QuerySet[Point]) -> Iterator[dict[str, Any]]:
    return points.order_by("created_at", "id").values(*FIELDS).iterator(chunk_size=CHUNK)


def _time(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _labels() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    return (
        {value: str(label) for value, label in Shape.choices},
        {value: str(label) for value, label in Status.choices},
        {value: str(label) for value, label in HideReason.choices},
    )


def _properties(row: dict[str, Any], labels: Any) -> dict[str, Any]:
    shapes, statuses, reasons = labels
    return {
        "id": row["id"],
        "created_at": _time(row["created_at"]),
        "category": row["category__name"],
        "shape": row["shape"],
        "shape_label": shapes.get(row["shape"], row["shape"]),
        "status": row["status"],
        "status_label": statuses.get(row["status"], row["status"]),
        "hidden_reason": row["hidden_reason"],
        "hidden_reason_label": reasons.get(row["hidden_reason"], ""),
        "hidden_at": _time(row["hidden_at"]),
        "comment": row["comment"],
        "address": row["address"],
        "age_band": row["age_band"],
        "agree_count": row["agree_count"],
        "comment_count": row["comment_count"],
        "lat": row["lat"],
        "lon": row["lon"],
        "has_photo": bool(row["photo"]),
        "result_item": row["result_item_id"],
        "fault_report": row["case__number"] or "",
    }


def geojson_chunks(points: QuerySet[Point]) -> Iterator[str]:
    """A FeatureCollection, streamed feature by feature."""
    labels = _labels()
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for row in _rows(points):
        feature = {
            "type": "Feature",
            "id": row["id"],
            "geometry": row["geometry"],
            "properties": _properties(row, labels),
        }
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"


def _safe(text: Any) -> Any:
    if isinstance(text, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _headers() -> list[str]:
    return [
        _("Nr"),
        _("Markerad"),
        _("Kategori"),
        _("Form"),
        _("Status"),
        _("Skäl för att dölja"),
        _("Dold"),
        _("Kommentar"),
        _("Adress eller plats"),
        _("Åldersgrupp"),
        _("Håller med"),
        _("Kommentarer"),
        _("Latitud"),
        _("Longitud"),
        _("Geometri (GeoJSON)"),
        _("Foto"),
        _("Resultatpunkt"),
        _("Felanmälan"),
    ]


def csv_lines(points: QuerySet[Point]) -> Iterator[str]:
    """The points as CSV lines (UTF-8 with a byte order mark, so Excel reads å, ä and ö)."""
    writer = csv.writer(_Echo())
    shapes, statuses, reasons = _labels()
    ages = {value: str(label) for value, label in AgeBand.choices}
    yes, no = _("ja"), _("nej")
    yield BOM + writer.writerow(_headers())
    for row in _rows(points):
        yield writer.writerow(
            [
                row["id"],
                _time(row["created_at"]),
                _safe(row["category__name"]),
                shapes.get(row["shape"], row["shape"]),
                statuses.get(row["status"], row["status"]),
                reasons.get(row["hidden_reason"], ""),
                _time(row["hidden_at"]),
                _safe(row["comment"]),
                _safe(row["address"]),
                ages.get(row["age_band"], row["age_band"]),
                row["agree_count"],
                row["comment_count"],
                f"{row['lat']:.6f}",
                f"{row['lon']:.6f}",
                json.dumps(row["geometry"], ensure_ascii=False),
                yes if row["photo"] else no,
                row["result_item_id"] or "",
                row["case__number"] or "",
            ]
        )
