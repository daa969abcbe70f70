"""The officials' exports of a map: complete (hidden points too, lines and areas whole),
without personal data, safe in a spreadsheet."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from torget.mapinput.models import HideReason, Point, Shape, Status
from torget.mapinput.tests import factories as f

pytestmark = pytest.mark.django_db

LINE = {
    "type": "LineString",
    "coordinates": [[18.005, 59.305], [18.006, 59.3055], [18.007, 59.306]],
}
AREA = {
    "type": "Polygon",
    "coordinates": [
        [[18.01, 59.31], [18.012, 59.31], [18.012, 59.312], [18.01, 59.312], [18.01, 59.31]]
    ],
}


@pytest.fixture
def exported(client):
    dialogue, people = f.map_dialogue()
    map_ = f.map_(dialogue)
    author = f.citizen(
        email="karin.export@example.org", full_name="Karin Exportsson", display_name="Karin E"
    )
    f.point(map_, author, shown_name="Karin E, Berga", ip_hash="f00dfeed" * 8, age_band="30-44")
    category = map_.categories.first()
    Point.objects.create(
        map=map_,
        category=category,
        shape=Shape.LINE,
        geometry=LINE,
        lat=59.3055,
        lon=18.006,
        comment='=HYPERLINK("http://evil")',
        author=author,
        shown_name="Karin E, Berga",
        ip_hash="f00dfeed" * 8,
    )
    Point.objects.create(
        map=map_,
        category=category,
        shape=Shape.AREA,
        geometry=AREA,
        lat=59.311,
        lon=18.011,
        comment="+Reklam",
        author=author,
        shown_name="Karin E, Berga",
        status=Status.HIDDEN,
        hidden_reason=HideReason.SPAM,
        hidden_at=timezone.now(),
        hidden_by=people.official,
        address="@Storgatan 1",
    )
    client.force_login(people.official)
    return map_, author, client


def _get(client, name, map_, query=""):
    response = client.get(reverse(f"mapinput:{name}", args=[map_.pk]) + query)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def _no_personal_data(body: bytes, author) -> None:
    text = body.decode("utf-8-sig").lower()
    for secret in ("karin", "exportsson", author.email.lower(), "f00dfeed", "karin e, berga"):
        assert secret not in text, secret


class TestGeoJSON:
    def test_every_point_with_its_whole_geometry_and_status(self, exported):
        map_, _author, client = exported
        data = json.loads(_get(client, "export_geojson", map_))
        assert data["type"] == "FeatureCollection"
        features = data["features"]
        assert len(features) == 3
        geometries = [feature["geometry"] for feature in features]
        assert LINE in geometries and AREA in geometries
        hidden = next(ft for ft in features if ft["properties"]["status"] == Status.HIDDEN)
        assert hidden["properties"]["hidden_reason"] == HideReason.SPAM
        assert hidden["properties"]["comment"] == "+Reklam"
        assert {ft["properties"]["age_band"] for ft in features} == {"30-44", ""}

    def test_without_personal_data(self, exported):
        map_, author, client = exported
        body = _get(client, "export_geojson", map_)
        _no_personal_data(body, author)
        for feature in json.loads(body)["features"]:
            assert not {"author", "author_id", "shown_name", "ip_hash", "hidden_by"} & set(
                feature["properties"]
            )

    def test_the_filter_applies(self, exported):
        map_, _author, client = exported
        data = json.loads(_get(client, "export_geojson", map_, "?status=dold"))
        assert [ft["properties"]["shape"] for ft in data["features"]] == [Shape.AREA]


class TestCSV:
    def test_complete_and_readable_by_excel(self, exported):
        map_, _author, client = exported
        body = _get(client, "export_csv", map_)
        assert body.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        header, data = rows[0], rows[1:]
        assert len(data) == 3
        geometry = header.index("Geometri (GeoJSON)")
        assert json.loads(data[1][geometry]) == LINE
        assert json.loads(data[2][geometry]) == AREA
        status = header.index("Status")
        assert data[2][status] == "Dold av moderator"

    def test_formulas_are_neutralised(self, exported):
        map_, _author, client = exported
        rows = list(csv.reader(io.StringIO(_get(client, "export_csv", map_).decode("utf-8-sig"))))
        cells = [cell for row in rows[1:] for cell in row]
        assert '\'=HYPERLINK("http://evil")' in cells
        assert "'+Reklam" in cells
        assert "'@Storgatan 1" in cells
        assert not any(cell.startswith(("=", "+", "@")) for cell in cells)

    def test_without_personal_data(self, exported):
        map_, author, client = exported
        _no_personal_data(_get(client, "export_csv", map_), author)


def test_a_citizen_cannot_export(exported):
    map_, author, client = exported
    client.force_login(author)
    assert client.get(reverse("mapinput:export_csv", args=[map_.pk])).status_code == 403
