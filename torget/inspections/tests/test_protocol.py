"""The protocol: a page, on the agenda of the utskott's next meeting, and a public version
without personal data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.councils.tests.factories import coordinator, member, place, safety_council
from torget.councils.tests.test_councils import _utskott_meeting
from torget.feedback.tests.test_photos import photo_with_exif
from torget.inspections import services
from torget.inspections.models import InvitedGroup
from torget.inspections.tests.factories import inspection
from torget.meetings.minutes import minutes_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _done(where=None, actor=None, *, photo=False):
    """An inspection held yesterday, with one finding, analysis and action, protocol done."""
    actor = actor or user_with_role(Role.SAFETY_COORDINATOR, full_name="Karin Samordnarsson")
    where = where or place()
    council = safety_council(where, actor)
    member(
        council,
        actor,
        name="Bengt Boendesson",
        represents="boende",
        email="bengt.boende@example.se",
        phone="070-123 45 67",
    )
    day = timezone.localdate() - datetime.timedelta(days=1)
    walk = inspection(council, day, actor)
    services.inspection_mark_held(actor=actor, inspection=walk)
    services.attendance_record(actor=actor, inspection=walk, attended=[InvitedGroup.POLICE])
    finding = services.finding_add(
        actor=actor,
        inspection=walk,
        category="belysning",
        description="Mörkt i gångtunneln",
        address="Gångtunneln",
        photos=[SimpleUploadedFile("a.jpg", photo_with_exif(), "image/jpeg")] if photo else [],
    )
    services.problem_set(actor=actor, finding=finding, problem="Tunneln är otrygg")
    services.cause_add(
        actor=actor, finding=finding, description="Trasiga lampor", influenced_by="Gatukontoret"
    )
    services.action_propose(
        actor=actor,
        finding=finding,
        description="Byt lamporna",
        responsible="Gatukontoret",
        responsible_kind="forvaltning",
        due_on=day + datetime.timedelta(days=30),
    )
    services.inspection_protocol_done(actor=actor, inspection=walk)
    return actor, where, walk, finding


class TestProtocolToUtskott:
    def test_done_protocol_is_listed_on_the_utskotts_next_agenda(self):
        where = place()
        next_meeting = _utskott_meeting(where.utskott, days=7)
        _actor, _where, walk, _finding = _done(where)
        assert [e.url for e in minutes_for(next_meeting)] == [walk.protocol_url()]

    def test_agenda_links_the_public_version_once_published(self):
        where = place()
        next_meeting = _utskott_meeting(where.utskott, days=7)
        actor, _where, walk, _finding = _done(where)
        services.protocol_publish(actor=actor, inspection=walk)
        assert [e.url for e in minutes_for(next_meeting)] == [walk.public_url()]

    def test_utskott_coordinator_reads_the_protocol_sent_to_the_utskott(self, client):
        _actor, _where, walk, _finding = _done()
        client.force_login(user_with_role(Role.UTSKOTT_COORDINATOR))
        assert client.get(walk.protocol_url()).status_code == 200

    def test_protocol_is_not_listed_for_another_utskott_nor_after_the_utskott_has_met(self):
        where = place()
        _done(where)
        other = place("Söder")
        assert minutes_for(_utskott_meeting(other.utskott, days=7)) == []
        _utskott_meeting(where.utskott, days=7)
        assert minutes_for(_utskott_meeting(where.utskott, days=30)) == []

    def test_a_protocol_not_done_is_not_on_the_agenda(self):
        where = place()
        actor = coordinator()
        inspection(safety_council(where, actor), timezone.localdate(), actor)
        assert minutes_for(_utskott_meeting(where.utskott, days=7)) == []

    def test_agenda_heading_names_councils_and_inspections(self, client):
        where = place()
        meeting = _utskott_meeting(where.utskott, days=7)
        _done(where)
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert "Protokoll från trygghetsråd och besiktningar" in page
        assert "protokoll från trygghetsbesiktningen" in page


class TestProtocolPage:
    def test_protocol_shows_findings_analyses_actions_and_follow_ups(self, client):
        actor, _where, walk, _finding = _done()
        later = inspection(walk.council, walk.date + datetime.timedelta(days=1), actor)
        action = walk.findings.get().actions.get()
        services.follow_up_record(
            actor=actor, inspection=later, action=action, cause_removed="ja", note="Nya lampor"
        )
        client.force_login(actor)
        page = client.get(walk.protocol_url()).content.decode()
        for text in ("Mörkt i gångtunneln", "Tunneln är otrygg", "Trasiga lampor", "Byt lamporna"):
            assert text in page
        follow_up_page = client.get(later.protocol_url()).content.decode()
        assert "Nya lampor" in follow_up_page

    def test_member_of_another_utskott_does_not_see_the_protocol(self, client):
        _actor, _where, walk, _finding = _done()
        client.force_login(place("Söder").utskott_member)
        assert client.get(walk.protocol_url()).status_code == 403

    def test_utskott_member_of_the_area_reads_the_protocol(self, client):
        _actor, where, walk, _finding = _done()
        client.force_login(where.utskott_member)
        assert client.get(walk.protocol_url()).status_code == 200


class TestPublicVersion:
    def test_public_sees_only_published_protocols(self, client):
        actor, _where, walk, _finding = _done()
        assert client.get(walk.public_url()).status_code == 404
        services.protocol_publish(actor=actor, inspection=walk)
        assert client.get(walk.public_url()).status_code == 200
        assert walk.public_url() in client.get(reverse("core:safety")).content.decode()

    def test_only_a_done_protocol_can_be_published(self):
        actor = coordinator()
        walk = inspection(safety_council(place(), actor), datetime.date(2026, 5, 4), actor)
        with pytest.raises(ValidationError):
            services.protocol_publish(actor=actor, inspection=walk)

    def test_public_version_has_no_personal_data(self, client):
        actor, _where, walk, finding = _done(photo=True)
        services.protocol_publish(actor=actor, inspection=walk)
        page = client.get(walk.public_url()).content.decode()
        assert "Mörkt i gångtunneln" in page
        for personal in (
            "Karin",
            "Samordnarsson",
            actor.email,
            "Bengt",
            "Boendesson",
            "bengt.boende@example.se",
            "070-123 45 67",
            "123 45 67",
        ):
            assert personal not in page
        photo = finding.photos.get()
        assert photo.staff_url() not in page and photo.public_url() not in page
        # The staff version has them.
        client.force_login(actor)
        staff_page = client.get(walk.protocol_url()).content.decode()
        assert "Samordnarsson" in staff_page and photo.staff_url() in staff_page

    def test_a_photo_approved_as_public_is_in_the_public_version(self, client):
        actor, _where, walk, finding = _done(photo=True)
        photo = finding.photos.get()
        services.finding_photo_set_public(actor=actor, photo=photo, is_public=True)
        services.protocol_publish(actor=actor, inspection=walk)
        page = client.get(walk.public_url()).content.decode()
        assert photo.public_url() in page
        assert client.get(photo.public_url()).status_code == 200

    def test_a_photo_not_approved_cannot_be_fetched_publicly(self, client):
        actor, _where, walk, finding = _done(photo=True)
        services.protocol_publish(actor=actor, inspection=walk)
        assert client.get(finding.photos.get().public_url()).status_code == 404

    def test_coordinator_publishes_from_the_inspection_page(self, client):
        actor, _where, walk, _finding = _done()
        client.force_login(actor)
        response = client.post(reverse("inspections:staff_action", args=[walk.pk, "publicera"]))
        assert response.status_code == 302
        walk.refresh_from_db()
        assert walk.published_at is not None


class TestProtocolTimestamps:
    def test_protocol_done_at_is_when_the_step_was_taken(self):
        with freeze_time("2026-05-10 12:00"):
            _actor, _where, walk, _finding = _done()
        assert walk.protocol_done_at.date() == datetime.date(2026, 5, 10)
