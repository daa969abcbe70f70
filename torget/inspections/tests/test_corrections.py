"""Correcting a finding, a cause and an action after the walk, until the protocol is done:
each change through a service that audits what changed, from plain forms on the staff pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from torget.accounts.tests.factories import CitizenFactory
from torget.audit.models import AuditEntry
from torget.inspections import services
from torget.inspections.models import FindingCategory, ResponsibleKind
from torget.inspections.tests.test_actions import _analysed

pytestmark = pytest.mark.django_db


def _finding_url(finding, name="staff_finding_edit"):
    return reverse(f"inspections:{name}", args=[finding.inspection_id, finding.pk])


def _protocol_done(actor, walk):
    services.inspection_mark_held(actor=actor, inspection=walk)
    services.attendance_record(actor=actor, inspection=walk, attended=["polis"])
    services.inspection_protocol_done(actor=actor, inspection=walk)


class TestServices:
    def test_finding_correction_is_saved_and_audited_with_what_changed(self):
        actor, _council, walk, finding, _cause, _action = _analysed()
        services.finding_update(
            actor=actor,
            finding=finding,
            category=FindingCategory.VEGETATION,
            description=" Buskar skymmer lampan ",
            address="Gångtunneln",
            lat=58.41,
            lon=15.62,
            problem="Tunneln är mörk och otrygg",
        )
        finding.refresh_from_db()
        assert (finding.category, finding.description, finding.lat) == (
            "vegetation",
            "Buskar skymmer lampan",
            58.41,
        )
        entry = AuditEntry.objects.get(action="inspection.finding_updated")
        assert entry.changes["category"] == ["belysning", "vegetation"]
        assert entry.changes["lat"] == ["None", "58.41"]
        assert "problem" not in entry.changes and "address" not in entry.changes

    def test_finding_keeps_a_place(self):
        actor, _council, _walk, finding, _cause, _action = _analysed()
        with pytest.raises(ValidationError):
            services.finding_update(actor=actor, finding=finding, address=" ")
        with pytest.raises(ValidationError):
            services.finding_update(actor=actor, finding=finding, lat=58.4, lon=None)

    def test_cause_and_action_corrections_are_audited(self):
        actor, _council, _walk, _finding, cause, action = _analysed()
        services.cause_update(
            actor=actor, cause=cause, description="Lamporna är sönder", influenced_by="Polisen"
        )
        services.action_update(
            actor=actor,
            action=action,
            description="Byt lamporna",
            responsible="Fastighetsbolaget",
            responsible_kind=ResponsibleKind.PROPERTY_OWNER,
            due_on=datetime.date(2026, 8, 31),
        )
        cause.refresh_from_db()
        action.refresh_from_db()
        assert (cause.description, cause.influenced_by) == ("Lamporna är sönder", "Polisen")
        assert (action.responsible, action.due_on) == (
            "Fastighetsbolaget",
            datetime.date(2026, 8, 31),
        )
        assert AuditEntry.objects.get(action="inspection.cause_updated").changes[
            "influenced_by"
        ] == ["Gatukontoret", "Polisen"]
        changes = AuditEntry.objects.get(action="inspection_action.updated").changes
        assert set(changes) == {"finding", "responsible", "responsible_kind", "due_on"}

    def test_nothing_changes_after_the_protocol_is_done(self):
        actor, _council, walk, finding, cause, action = _analysed()
        _protocol_done(actor, walk)
        with pytest.raises(ValidationError):
            services.finding_update(actor=actor, finding=finding, description="Annat")
        with pytest.raises(ValidationError):
            services.cause_update(actor=actor, cause=cause, description="Annat")
        with pytest.raises(ValidationError):
            services.action_update(actor=actor, action=action, responsible="Annan")
        finding.refresh_from_db()
        assert finding.description == "Mörkt i gångtunneln"

    def test_only_editors_correct(self):
        _actor, _council, _walk, finding, _cause, _action = _analysed()
        with pytest.raises(PermissionDenied):
            services.finding_update(actor=CitizenFactory(), finding=finding, description="x")


class TestPages:
    def test_finding_is_corrected_from_its_page(self, client):
        actor, _council, _walk, finding, _cause, _action = _analysed()
        client.force_login(actor)
        page = client.get(finding.get_absolute_url()).content.decode()
        assert _finding_url(finding) in page
        form = client.get(_finding_url(finding)).content.decode()
        assert "Gångtunneln" in form and "Tillbaka till fyndet" in form
        response = client.post(
            _finding_url(finding),
            {
                "category": "belysning",
                "description": "Mörkt och blött i gångtunneln",
                "address": "Gångtunneln under Ringvägen",
                "problem": "Tunneln är otrygg",
            },
            follow=True,
        )
        page = response.content.decode()
        assert "Ändringarna av fyndet är sparade." in page
        assert "Gångtunneln under Ringvägen" in page

    def test_finding_without_place_shows_the_error_summary(self, client):
        actor, _council, _walk, finding, _cause, _action = _analysed()
        client.force_login(actor)
        response = client.post(
            _finding_url(finding), {"category": "belysning", "description": "x", "address": ""}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "error-summary" in page and "beskriv platsen" in page

    def test_cause_and_action_are_corrected_from_their_forms(self, client):
        actor, _council, walk, finding, cause, action = _analysed()
        client.force_login(actor)
        cause_url = reverse("inspections:staff_cause_edit", args=[walk.pk, cause.pk])
        action_url = reverse("inspections:staff_action_edit", args=[walk.pk, action.pk])
        page = client.get(finding.get_absolute_url()).content.decode()
        assert cause_url in page and action_url in page
        assert "Lamporna är trasiga" in client.get(cause_url).content.decode()
        response = client.post(
            cause_url, {"description": "Lamporna saknas", "influenced_by": "Gatukontoret"}
        )
        assert response.status_code == 302
        response = client.post(
            action_url,
            {
                "description": "Sätt upp nya lampor",
                "responsible": "Gatukontoret",
                "responsible_kind": "forvaltning",
                "due_on": "",
            },
        )
        assert response.status_code == 400
        assert "error-summary" in response.content.decode()
        response = client.post(
            action_url,
            {
                "description": "Sätt upp nya lampor",
                "responsible": "Gatukontoret",
                "responsible_kind": "forvaltning",
                "due_on": "2026-09-30",
            },
            follow=True,
        )
        page = response.content.decode()
        assert "Ändringarna av åtgärden är sparade." in page
        assert "Sätt upp nya lampor" in page and "Lamporna saknas" in page

    def test_no_correction_pages_once_the_protocol_is_done(self, client):
        actor, _council, walk, finding, cause, _action = _analysed()
        _protocol_done(actor, walk)
        client.force_login(actor)
        assert _finding_url(finding) not in client.get(finding.get_absolute_url()).content.decode()
        assert client.get(_finding_url(finding)).status_code == 403
        url = reverse("inspections:staff_cause_edit", args=[walk.pk, cause.pk])
        assert client.post(url, {"description": "x", "influenced_by": "y"}).status_code == 403


class TestRoute:
    def test_route_is_drawn_on_the_staff_page_and_listed(self, client):
        actor, _council, walk, _finding, _cause, _action = _analysed()
        services.inspection_update(
            actor=actor,
            inspection=walk,
            route={"type": "LineString", "coordinates": [[15.62, 58.41], [15.63, 58.42]]},
        )
        client.force_login(actor)
        page = client.get(walk.get_absolute_url()).content.decode()
        assert "data-route-map" in page and "route.js" in page
        assert "58.41, 15.62" in page

    def test_edit_form_offers_the_route_drawing_map(self, client):
        actor, _council, walk, _finding, _cause, _action = _analysed()
        client.force_login(actor)
        page = client.get(reverse("inspections:staff_edit", args=[walk.pk])).content.decode()
        assert 'data-route-editor="id_route"' in page
        assert "Ångra senaste punkten" in page and "Rensa" in page


class TestProtocolDoneFromThePage:
    def test_the_protocol_done_button_posts_to_its_own_address(self, client):
        # Its address was once the protocol page's, which only answers GET.
        actor, _council, walk, _finding, _cause, _action = _analysed()
        services.inspection_mark_held(actor=actor, inspection=walk)
        services.attendance_record(actor=actor, inspection=walk, attended=["polis"])
        client.force_login(actor)
        url = reverse("inspections:staff_action", args=[walk.pk, "protokoll-klart"])
        assert f'action="{url}"' in client.get(walk.get_absolute_url()).content.decode()
        response = client.post(url, follow=True)
        assert "Protokollet är markerat som klart." in response.content.decode()
        walk.refresh_from_db()
        assert walk.status == "protokoll"
