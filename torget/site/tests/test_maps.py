"""Every map has a base to find a place by: map tiles when MAP_TILE_URL is set, otherwise the
municipality's own areas (outlines and names) and its centre, drawn by basemap.js from the
geo app's areas. (tests/e2e/test_feedback.py draws it in a browser.)"""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from torget.feedback.tests.factories import make_case
from torget.geo.models import AreaKind
from torget.geo.tests.factories import AreaFactory, square
from torget.organisation.models import Municipality

pytestmark = pytest.mark.django_db

MAP_ELEMENT = re.compile(r"<div class=\"map[^\"]*\"[^>]*>")


@pytest.fixture
def places(settings):
    settings.MAP_TILE_URL = ""
    Municipality.objects.update_or_create(
        pk=Municipality.SINGLETON_PK,
        defaults={"name": "Storeby kommun", "map_center_lat": 58.41, "map_center_lon": 15.62},
    )
    whole = AreaFactory(
        name="Storeby kommun",
        slug="storeby",
        kind=AreaKind.MUNICIPALITY,
        geometry=square(15, 58, 2),
    )
    AreaFactory(name="Berga", slug="berga", kind=AreaKind.DISTRICT, parent=whole)
    AreaFactory(name="Linghem", slug="linghem", kind=AreaKind.LOCALITY, parent=whole)
    AreaFactory(name="Utskott Söder", slug="soder", kind=AreaKind.COMMITTEE_AREA, parent=whole)
    return whole


def maps_on(html: str) -> list[dict]:
    found = []
    for element in MAP_ELEMENT.findall(html):
        attributes = dict(re.findall(r'(data-[\w-]+)="([^"]*)"', element))
        found.append({key: unescape(value) for key, value in attributes.items()})
    return found


def map_pages():
    case = make_case(lat=58.5, lon=15.5)
    return [
        reverse("feedback:fault_create"),
        reverse("feedback:fault_map"),
        case.get_absolute_url(),
        reverse("geo:area_list"),
        reverse("geo:area_detail", args=["berga"]),
    ]


def test_map_without_tiles_draws_municipality_areas(client, places):
    for url in map_pages():
        html = client.get(url).content.decode()
        maps = maps_on(html)
        assert maps, url
        # basemap.js comes before the script that makes the map, and every map carries its base.
        assert html.index("torget/basemap.js") < max(
            html.find("torget/pin.js"), html.find("torget/map.js")
        ), url
        for element in maps:
            assert element["data-tile-url"] == "", url
            base = json.loads(element["data-base-map"])
            assert base["centre"] == [58.41, 15.62]
            assert base["name"] == "Storeby kommun"
            assert "Storeby kommun" in base["attribution"]
            areas = client.get(base["geojson"]).json()
            drawn = {f["properties"]["name"]: f["properties"]["kind"] for f in areas["features"]}
            # The outline of the municipality, its districts and localities with their names.
            assert drawn == {"Storeby kommun": "kommun", "Berga": "stadsdel", "Linghem": "ort"}
            assert all(f["geometry"]["coordinates"] for f in areas["features"])


def test_with_tiles_the_map_names_them_and_their_attribution(client, places, settings):
    settings.MAP_TILE_URL = "https://tile.example.se/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "&copy; OpenStreetMap-bidragsgivare"
    element = maps_on(client.get(reverse("feedback:fault_create")).content.decode())[0]
    assert element["data-tile-url"] == "https://tile.example.se/{z}/{x}/{y}.png"
    # Leaflet writes the attribution as HTML: the attribute carries the entity as set.
    assert element["data-tile-attribution"] == "&copy; OpenStreetMap-bidragsgivare"


def test_the_base_layer_script_draws_outlines_names_and_centre_without_tiles():
    # The script itself: without tiles it draws the areas and the centre, never leaves the box
    # empty; with tiles it adds them and nothing else.
    from django.contrib.staticfiles import finders

    script = open(finders.find("torget/basemap.js"), encoding="utf-8").read()  # noqa: PTH123
    assert "if (element.dataset.tileUrl)" in script
    assert "L.geoJSON(" in script and "bindTooltip(feature.properties.name" in script
    assert "L.circleMarker(base.centre" in script
    for name in ("pin.js", "map.js"):
        other = open(finders.find(f"torget/{name}"), encoding="utf-8").read()  # noqa: PTH123
        assert "TorgetBaseMap.add(map, element)" in other
        assert "L.tileLayer(" not in other
