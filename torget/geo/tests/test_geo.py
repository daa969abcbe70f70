import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from torget.audit.models import AuditEntry
from torget.geo.geometry import GeometryError, parse_area_geometry
from torget.geo.models import Area, AreaKind
from torget.geo.services import (
    AreaImportError,
    area_smallest_containing_point,
    areas_containing_point,
    areas_import_geojson,
)
from torget.geo.tests.factories import AreaFactory, square

BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


class TestGeometryValidation:
    def test_accepts_polygon_multipolygon_and_a_feature(self):
        assert parse_area_geometry(square(15, 58, 1)).area == 1
        multi = {
            "type": "MultiPolygon",
            "coordinates": [square(15, 58, 1)["coordinates"], square(17, 58, 1)["coordinates"]],
        }
        assert parse_area_geometry(multi).area == 2
        assert parse_area_geometry({"type": "Feature", "geometry": square(15, 58, 1)}).area == 1

    @pytest.mark.parametrize(
        ("geometry", "message"),
        [
            ({"type": "Point", "coordinates": [15, 58]}, "Polygon eller MultiPolygon"),
            ("inte json", "Polygon eller MultiPolygon"),
            (BOWTIE, "ogiltig"),
            ({"type": "Polygon", "coordinates": [[[1, 2]]]}, "kunde inte läsas"),
            ({"type": "Polygon", "coordinates": []}, "tom"),
            (square(530000, 6470000, 100), "SWEREF 99"),
        ],
    )
    def test_refuses_with_a_message_that_says_why(self, geometry, message):
        with pytest.raises(GeometryError, match=message):
            parse_area_geometry(geometry)


@pytest.mark.django_db
class TestArea:
    def test_invalid_geometry_is_refused_on_clean_and_on_save(self):
        area = Area(name="Fel", slug="fel", kind=AreaKind.DISTRICT, geometry=BOWTIE)
        with pytest.raises(ValidationError) as error:
            area.full_clean()
        assert "geometry" in error.value.message_dict
        with pytest.raises(GeometryError):
            area.save()
        assert not Area.objects.exists()

    def test_bounding_box_is_kept_on_save(self):
        area = AreaFactory(geometry=square(15, 58, 0.5))
        assert (area.min_lon, area.min_lat, area.max_lon, area.max_lat) == (15, 58, 15.5, 58.5)

    def test_an_area_cannot_lie_inside_itself(self):
        outer = AreaFactory()
        inner = AreaFactory(parent=outer)
        outer.parent = inner
        with pytest.raises(ValidationError, match="sig självt"):
            outer.full_clean()


@pytest.mark.django_db
class TestAreasContainingPoint:
    @pytest.fixture
    def nested(self):
        town = AreaFactory(name="Staden", kind=AreaKind.COMMITTEE_AREA, geometry=square(15, 58, 1))
        district = AreaFactory(name="Berga", parent=town, geometry=square(15.5, 58.5, 0.25))
        elsewhere = AreaFactory(name="Annanstans", geometry=square(20, 60, 1))
        return town, district, elsewhere

    def test_returns_every_containing_area_outermost_first(self, nested):
        town, district, _ = nested
        assert areas_containing_point(lon=15.6, lat=58.6) == [town, district]

    def test_a_point_on_the_border_belongs_to_the_area(self, nested):
        town, district, _ = nested
        assert areas_containing_point(lon=15.5, lat=58.5) == [town, district]

    def test_a_point_outside_every_area_gives_none(self, nested):
        assert areas_containing_point(lon=10, lat=50) == []

    def test_a_point_in_the_bounding_box_but_outside_the_polygon_is_not_inside(self):
        triangle = {"type": "Polygon", "coordinates": [[[15, 58], [16, 58], [15, 59], [15, 58]]]}
        AreaFactory(geometry=triangle)
        assert areas_containing_point(lon=15.9, lat=58.9) == []

    def test_smallest_containing_area(self, nested):
        _, district, _ = nested
        assert area_smallest_containing_point(lon=15.6, lat=58.6) == district
        assert (
            area_smallest_containing_point(lon=15.6, lat=58.6, kind=AreaKind.COMMITTEE_AREA).name
            == "Staden"
        )

    def test_demo_districts_are_found_where_they_are(self, demo):
        names = [a.name for a in areas_containing_point(lon=15.62, lat=58.41)]
        assert names == ["Storeby kommun", "Utskottsområde Centrum", "Innerstaden"]


def feature_collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def feature(name, geometry):
    return {"type": "Feature", "properties": {"name": name}, "geometry": geometry}


@pytest.mark.django_db
class TestImport:
    def test_creates_then_updates_then_leaves_unchanged(self):
        data = feature_collection(
            feature("Berga", square(15, 58, 1)), feature("Ryd", square(16, 58, 1))
        )
        first = areas_import_geojson(data=data, kind=AreaKind.DISTRICT)
        assert [a.name for a in first.created] == ["Berga", "Ryd"]
        again = areas_import_geojson(data=data, kind=AreaKind.DISTRICT)
        assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 2)
        data["features"][0]["geometry"] = square(15, 58, 2)
        changed = areas_import_geojson(data=data, kind=AreaKind.DISTRICT)
        assert [a.name for a in changed.updated] == ["Berga"]
        assert AuditEntry.objects.filter(action__startswith="area.").count() == 3

    def test_one_bad_feature_rolls_back_the_whole_import_and_is_named(self):
        data = feature_collection(feature("Berga", square(15, 58, 1)), feature("Trasig", BOWTIE))
        with pytest.raises(AreaImportError, match="Feature 2 \\(Trasig\\)"):
            areas_import_geojson(data=data, kind=AreaKind.DISTRICT)
        assert not Area.objects.exists()

    def test_command_imports_a_file_into_a_parent(self, tmp_path):
        parent = AreaFactory(slug="staden", geometry=square(15, 58, 5))
        path = tmp_path / "omraden.geojson"
        path.write_text(
            json.dumps(feature_collection(feature("Berga", square(15, 58, 1)))), encoding="utf-8"
        )
        call_command(
            "import_areas",
            str(path),
            "--kind",
            "stadsdel",
            "--parent",
            "staden",
            stdout=open("/dev/null", "w"),
        )
        assert Area.objects.get(slug="berga").parent == parent

    def test_command_reports_errors_plainly(self, tmp_path):
        path = tmp_path / "fel.geojson"
        path.write_text("{ inte json", encoding="utf-8")
        with pytest.raises(CommandError, match="Could not read"):
            call_command("import_areas", str(path), "--kind", "stadsdel")
        path.write_text(json.dumps({"type": "Feature"}), encoding="utf-8")
        with pytest.raises(CommandError, match="FeatureCollection"):
            call_command("import_areas", str(path), "--kind", "stadsdel")


@pytest.mark.django_db
class TestGeoJSONViews:
    def test_all_areas_as_geojson_filterable_by_kind(self, client, demo):
        data = client.get("/omraden.geojson?typ=stadsdel,ort").json()
        assert data["type"] == "FeatureCollection"
        assert len(data["features"]) == 12
        assert {f["properties"]["kind"] for f in data["features"]} == {"stadsdel", "ort"}

    def test_one_area_as_geojson(self, client, demo):
        response = client.get("/omraden/berga.geojson")
        assert response["Content-Type"] == "application/geo+json"
        assert response.json()["features"][0]["properties"]["name"] == "Berga"

    def test_area_list_uses_a_fixed_number_of_queries(
        self, client, demo, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(4):
            client.get("/omraden/")
