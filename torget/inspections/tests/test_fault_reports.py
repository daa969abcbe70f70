"""A finding the municipality must fix becomes a fault report, linked both ways."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.councils.tests.factories import coordinator, place, safety_council
from torget.feedback import links
from torget.feedback.models import CaseStatus, Kind, Source
from torget.feedback.tests.factories import CategoryFactory
from torget.inspections import services
from torget.inspections.models import ActionStatus, ResponsibleKind
from torget.inspections.tests.factories import inspection

pytestmark = pytest.mark.django_db


def _finding(**place_values):
    actor = coordinator()
    where = place()
    council = safety_council(where, actor)
    walk = inspection(council, datetime.date(2026, 5, 4), actor)
    values = {"address": "Gångtunneln under Ringvägen"} | place_values
    finding = services.finding_add(
        actor=actor,
        inspection=walk,
        category="belysning",
        description="Två lampor ur funktion",
        **values,
    )
    return actor, where, finding


class TestFindingBecomesFaultReport:
    def test_finding_becomes_a_fault_report_in_the_chosen_category_and_the_inspected_area(self):
        actor, where, finding = _finding()
        category = CategoryFactory()
        case = services.finding_report_fault(actor=actor, finding=finding, category=category)
        assert (case.kind, case.category, case.source) == (Kind.FAULT, category, Source.INSPECTION)
        assert case.area == where.district
        assert case.address == "Gångtunneln under Ringvägen"

    def test_finding_with_a_pin_gives_the_fault_report_the_same_point(self):
        actor, _where, finding = _finding(address="", lat=58.5, lon=15.5)
        case = services.finding_report_fault(
            actor=actor, finding=finding, category=CategoryFactory()
        )
        assert (case.lat, case.lon) == (58.5, 15.5)

    def test_fault_report_gets_one_agreed_action_for_the_administration(self):
        actor, _where, finding = _finding()
        case = services.finding_report_fault(
            actor=actor, finding=finding, category=CategoryFactory()
        )
        action = finding.actions.get()
        assert action.status == ActionStatus.AGREED
        assert action.responsible_kind == ResponsibleKind.ADMINISTRATION
        assert case.number in action.description
        assert action.due_on == case.respond_by

    def test_finding_and_fault_report_are_linked_both_ways(self):
        actor, _where, finding = _finding()
        case = services.finding_report_fault(
            actor=actor, finding=finding, category=CategoryFactory()
        )
        finding.refresh_from_db()
        assert finding.case == case
        assert [link.url for link in links.links_for(case)] == [finding.get_absolute_url()]

    def test_a_finding_becomes_a_fault_report_only_once(self):
        actor, _where, finding = _finding()
        services.finding_report_fault(actor=actor, finding=finding, category=CategoryFactory())
        with pytest.raises(ValidationError, match="redan"):
            services.finding_report_fault(actor=actor, finding=finding, category=CategoryFactory())

    def test_the_fault_reports_status_shows_on_the_finding(self, client):
        actor, _where, finding = _finding()
        case = services.finding_report_fault(
            actor=actor, finding=finding, category=CategoryFactory()
        )
        closed = CaseStatus.objects.filter(is_initial=False).order_by("pk").first()
        case.status = closed
        case.save(update_fields=["status"])
        client.force_login(actor)
        page = client.get(finding.get_absolute_url()).content.decode()
        assert case.number in page and closed.name in page

    def test_the_cases_staff_page_shows_the_finding(self, client):
        actor, _where, finding = _finding()
        case = services.finding_report_fault(
            actor=actor, finding=finding, category=CategoryFactory()
        )
        client.force_login(user_with_role(Role.ADMINISTRATOR))
        page = client.get(reverse("feedback:staff_detail", args=[case.pk])).content.decode()
        assert finding.get_absolute_url() in page

    def test_coordinator_makes_the_fault_report_from_the_finding_page(self, client):
        actor, _where, finding = _finding()
        category = CategoryFactory()
        client.force_login(actor)
        response = client.post(
            reverse(
                "inspections:staff_finding_action",
                args=[finding.inspection_id, finding.pk, "felanmalan"],
            ),
            {"felanmalan-category": category.pk},
        )
        assert response.status_code == 302
        finding.refresh_from_db()
        assert finding.case is not None
