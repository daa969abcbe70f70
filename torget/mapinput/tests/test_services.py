"""The map's public writes: who may place, agree and comment; the map's area, shapes and
categories; photos; limits; pre-moderation; agree once."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from torget.accounts.tests.factories import CitizenFactory
from torget.audit.models import AuditEntry
from torget.geo.tests.factories import AreaFactory
from torget.mapinput import services
from torget.mapinput.models import Agree, Identification, Moderation, Shape, Status
from torget.mapinput.tests.factories import INSIDE, OUTSIDE, citizen, map_, point

pytestmark = pytest.mark.django_db

VERIFIED = object()  # stands for a fresh e-ID step in this browser


def _point(lat_lon=INSIDE):
    lat, lon = lat_lon
    return {"type": "Point", "coordinates": [lon, lat]}


def _create(map_obj, actor=None, **values):
    values.setdefault("category", map_obj.categories.first())
    values.setdefault("comment", "Mörkt här på kvällen.")
    values.setdefault("shown_name", "Maja, Berga")
    if "place" not in values:
        values.setdefault("geometry", _point())
    return services.point_create(map_=map_obj, actor=actor or citizen(), **values)


def _jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "Telefonen"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("bild.jpg", buffer.getvalue(), content_type="image/jpeg")


class TestWhoMayPlace:
    def test_signed_in_with_verified_email_places_a_published_point(self):
        m = map_()
        created = _create(m)
        assert created.status == Status.PUBLISHED
        assert created.shape == Shape.POINT
        assert (created.lat, created.lon) == pytest.approx(INSIDE)
        assert AuditEntry.objects.filter(action="mapinput.point_created").count() == 1

    def test_visitor_is_refused(self):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(PermissionDenied):
            _create(map_(), AnonymousUser())

    def test_unverified_email_is_refused(self):
        with pytest.raises(PermissionDenied):
            _create(map_(), CitizenFactory(email_verified_at=None))

    def test_eid_map_needs_a_fresh_eid_step(self):
        m = map_(identification=Identification.EID)
        with pytest.raises(PermissionDenied):
            _create(m)
        assert _create(m, verified=VERIFIED).pk

    def test_closed_map_is_refused(self):
        m = map_()
        method = m.planned_method
        method.ends_on = method.starts_on + datetime.timedelta(days=1)
        method.starts_on = method.starts_on - datetime.timedelta(days=30)
        method.save()
        with pytest.raises(ValidationError):
            _create(m)

    def test_pre_moderation_makes_the_point_wait(self):
        assert _create(map_(moderation=Moderation.PRE)).status == Status.PENDING


class TestWhere:
    def test_point_outside_the_area_is_refused_with_a_message(self):
        with pytest.raises(ValidationError) as refused:
            _create(map_(), geometry=_point(OUTSIDE))
        assert "utanför dialogens område" in " ".join(refused.value.message_dict["geometry"])

    def test_line_partly_outside_is_refused(self):
        line = {"type": "LineString", "coordinates": [[18.01, 59.31], [18.05, 59.35]]}
        with pytest.raises(ValidationError):
            _create(map_(), geometry=line)

    def test_area_partly_outside_is_refused_and_inside_accepted(self):
        m = map_()
        outside = {
            "type": "Polygon",
            "coordinates": [[[18.01, 59.31], [18.03, 59.31], [18.03, 59.315], [18.01, 59.31]]],
        }
        with pytest.raises(ValidationError):
            _create(m, geometry=outside)
        inside = {
            "type": "Polygon",
            "coordinates": [[[18.005, 59.305], [18.01, 59.305], [18.01, 59.31], [18.005, 59.305]]],
        }
        assert _create(m, geometry=inside).shape == Shape.AREA

    def test_lines_refused_when_the_map_takes_none(self):
        line = {"type": "LineString", "coordinates": [[18.005, 59.305], [18.01, 59.31]]}
        with pytest.raises(ValidationError) as refused:
            _create(map_(allow_lines=False), geometry=line)
        assert "geometry" in refused.value.message_dict

    def test_areas_refused_when_the_map_takes_none(self):
        area = {
            "type": "Polygon",
            "coordinates": [[[18.005, 59.305], [18.01, 59.305], [18.01, 59.31], [18.005, 59.305]]],
        }
        with pytest.raises(ValidationError):
            _create(map_(allow_areas=False), geometry=area)

    def test_place_from_the_list_puts_a_point_inside_it(self):
        m = map_()
        berga = m.dialogue.areas.get()
        created = _create(m, place=berga.pk, address="Gångtunneln")
        assert berga.shape.covers(__import__("shapely").geometry.Point(created.lon, created.lat))
        assert created.address == "Gångtunneln"

    def test_place_not_in_the_list_is_refused(self):
        far = AreaFactory()  # a square far from Berga
        with pytest.raises(ValidationError) as refused:
            _create(map_(), place=far.pk)
        assert "place" in refused.value.message_dict

    def test_category_of_another_map_is_refused(self):
        other = map_()
        with pytest.raises(ValidationError) as refused:
            _create(map_(), category=other.categories.first())
        assert "category" in refused.value.message_dict

    def test_garbage_geometry_is_a_validation_error(self):
        for junk in ["x", 5, {"type": "Point"}, {"type": "Point", "coordinates": "a"}, []]:
            with pytest.raises(ValidationError):
                _create(map_(), geometry=junk)


class TestPhoto:
    def test_photo_is_stored_without_metadata(self):
        created = _create(map_(), photo=_jpeg_with_gps())
        with created.photo.open("rb") as handle, Image.open(handle) as image:
            assert image.format == "JPEG"
            assert "exif" not in image.info

    def test_photo_refused_when_the_map_takes_none(self):
        with pytest.raises(ValidationError) as refused:
            _create(map_(allow_photos=False), photo=_jpeg_with_gps())
        assert "photo" in refused.value.message_dict

    def test_a_file_that_is_not_a_photo_is_refused(self):
        fake = SimpleUploadedFile("bild.jpg", b"<html>nej</html>", content_type="image/jpeg")
        with pytest.raises(ValidationError) as refused:
            _create(map_(), photo=fake)
        assert "photo" in refused.value.message_dict


class TestLimits:
    def test_per_person_limit(self, settings):
        settings.MAP_POINTS_PER_HOUR = 2
        m, person = map_(), citizen()
        _create(m, person, ip="10.0.0.1")
        _create(m, person, ip="10.0.0.2")
        with pytest.raises(ValidationError):
            _create(m, person, ip="10.0.0.3")

    def test_per_ip_limit(self, settings):
        settings.MAP_POINTS_PER_IP_PER_HOUR = 2
        m = map_()
        _create(m, ip="10.0.0.9")
        _create(m, ip="10.0.0.9")
        with pytest.raises(ValidationError):
            _create(m, ip="10.0.0.9")

    def test_ip_is_kept_only_as_a_keyed_hash(self):
        created = _create(map_(), ip="192.0.2.7")
        assert created.ip_hash and "192.0.2.7" not in created.ip_hash


class TestAgree:
    def test_agree_counts_once_per_person(self):
        p = point(map_())
        person = citizen()
        assert services.point_agree(point=p, actor=person) is True
        assert services.point_agree(point=p, actor=person) is False
        p.refresh_from_db()
        assert p.agree_count == 1
        assert Agree.objects.filter(point=p).count() == 1

    def test_own_point_cannot_be_agreed_with(self):
        author = citizen()
        p = point(map_(), author)
        with pytest.raises(ValidationError):
            services.point_agree(point=p, actor=author)

    def test_hidden_or_waiting_point_cannot_be_agreed_with(self):
        m = map_()
        waiting = point(m, status=Status.PENDING)
        with pytest.raises(ValidationError):
            services.point_agree(point=waiting, actor=citizen())

    def test_unverified_cannot_agree(self):
        with pytest.raises(PermissionDenied):
            services.point_agree(point=point(map_()), actor=CitizenFactory(email_verified_at=None))


class TestComment:
    def test_comment_is_published_and_counted(self):
        p = point(map_())
        comment = services.comment_add(point=p, actor=citizen(), text="Håller med.", shown_name="K")
        assert comment.status == Status.PUBLISHED
        p.refresh_from_db()
        assert p.comment_count == 1

    def test_pre_moderated_comment_waits_and_is_not_counted(self):
        p = point(map_(moderation=Moderation.PRE))
        comment = services.comment_add(point=p, actor=citizen(), text="Ja.", shown_name="K")
        assert comment.status == Status.PENDING
        p.refresh_from_db()
        assert p.comment_count == 0

    def test_empty_comment_is_refused(self):
        with pytest.raises(ValidationError):
            services.comment_add(point=point(map_()), actor=citizen(), text="  ", shown_name="K")

    def test_eid_map_comment_needs_eid(self):
        p = point(map_(identification=Identification.EID))
        with pytest.raises(PermissionDenied):
            services.comment_add(point=p, actor=citizen(), text="Ja", shown_name="K")
        assert services.comment_add(
            point=p, actor=citizen(), text="Ja", shown_name="K", verified=VERIFIED
        ).pk
