"""Root-cause analysis and actions: the workflow, overdue actions on the coordinator's start
page, and the follow-up at the area's next inspection."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from torget.audit.models import AuditEntry
from torget.councils.tests.factories import coordinator, place, safety_council
from torget.inspections import selectors, services
from torget.inspections.models import ActionStatus, CauseRemoved, FollowUp, ResponsibleKind
from torget.inspections.tests.factories import inspection

pytestmark = pytest.mark.django_db


def _analysed(actor=None, council=None, day=datetime.date(2026, 5, 4), due=None):
    actor = actor or coordinator()
    council = council or safety_council(place(), actor)
    walk = inspection(council, day, actor)
    finding = services.finding_add(
        actor=actor,
        inspection=walk,
        category="belysning",
        description="Mörkt i gångtunneln",
        address="Gångtunneln",
    )
    services.problem_set(actor=actor, finding=finding, problem="Tunneln är mörk och otrygg")
    cause = services.cause_add(
        actor=actor,
        finding=finding,
        description="Lamporna är trasiga",
        influenced_by="Gatukontoret",
    )
    action = services.action_propose(
        actor=actor,
        finding=finding,
        cause=cause,
        description="Byt lamporna",
        responsible="Gatukontoret",
        responsible_kind=ResponsibleKind.ADMINISTRATION,
        due_on=due or datetime.date(2026, 6, 30),
    )
    return actor, council, walk, finding, cause, action


class TestRootCauseAnalysis:
    def test_analysis_goes_from_problem_to_several_causes_each_with_who_can_influence_it(self):
        actor, _council, _walk, finding, _cause, _action = _analysed()
        services.cause_add(
            actor=actor,
            finding=finding,
            description="Buskar skymmer ljuset",
            influenced_by="Fastighetsägaren",
        )
        assert finding.problem == "Tunneln är mörk och otrygg"
        assert list(finding.causes.values_list("influenced_by", flat=True)) == [
            "Gatukontoret",
            "Fastighetsägaren",
        ]

    def test_an_action_addresses_a_cause_of_the_same_finding_only(self):
        actor, council, walk, finding, cause, _action = _analysed()
        other = services.finding_add(
            actor=actor, inspection=walk, category="ovrigt", description="x", address="Torget"
        )
        with pytest.raises(ValidationError):
            services.action_propose(
                actor=actor,
                finding=other,
                cause=cause,
                description="x",
                responsible="x",
                responsible_kind=ResponsibleKind.OTHER,
                due_on=datetime.date(2026, 6, 1),
            )


class TestActionWorkflow:
    def test_action_moves_from_proposed_through_agreed_and_in_progress_to_done(self):
        actor, *_rest, action = _analysed()
        for step, status in (
            ("agree", ActionStatus.AGREED),
            ("start", ActionStatus.IN_PROGRESS),
            ("complete", ActionStatus.DONE),
        ):
            services.action_step(actor=actor, action=action, step=step)
            assert action.status == status

    def test_an_action_not_carried_out_needs_a_reason(self):
        actor, *_rest, action = _analysed()
        with pytest.raises(ValidationError, match="inte genomfördes"):
            services.action_step(actor=actor, action=action, step="give_up", reason="")
        services.action_step(
            actor=actor, action=action, step="give_up", reason="Fastigheten såldes"
        )
        assert action.status == ActionStatus.NOT_DONE

    def test_a_done_action_cannot_move_again(self):
        actor, *_rest, action = _analysed()
        services.action_step(actor=actor, action=action, step="complete")
        with pytest.raises(ValidationError):
            services.action_step(actor=actor, action=action, step="start")

    def test_every_step_of_an_action_is_audited(self):
        actor, *_rest, action = _analysed()
        services.action_step(actor=actor, action=action, step="agree")
        services.action_step(actor=actor, action=action, step="complete")
        assert list(
            AuditEntry.objects.filter(object_id=str(action.pk), action__startswith="inspection_a")
            .order_by("pk")
            .values_list("action", flat=True)
        ) == [
            "inspection_action.proposed",
            "inspection_action.agree",
            "inspection_action.complete",
        ]


class TestOverdueActions:
    def test_open_action_past_its_due_date_is_overdue(self):
        *_rest, action = _analysed(due=datetime.date(2026, 6, 1))
        assert list(selectors.overdue_actions(datetime.date(2026, 6, 2))) == [action]
        assert not selectors.overdue_actions(datetime.date(2026, 6, 1)).exists()

    def test_a_done_action_is_never_overdue(self):
        actor, *_rest, action = _analysed(due=datetime.date(2026, 6, 1))
        services.action_step(actor=actor, action=action, step="complete")
        assert not selectors.overdue_actions(datetime.date(2026, 7, 1)).exists()

    def test_overdue_actions_show_on_the_coordinators_start_page(self, client):
        actor, *_rest, action = _analysed(due=datetime.date(2026, 6, 1))
        client.force_login(actor)
        with freeze_time("2026-07-01"):
            page = client.get(reverse("core:backoffice")).content.decode()
        assert "Försenade åtgärder" in page and "Byt lamporna" in page


class TestFollowUpAtNextInspection:
    def test_open_actions_are_listed_at_the_areas_next_inspection(self):
        actor, council, *_rest, action = _analysed()
        autumn = inspection(council, datetime.date(2026, 9, 14), actor)
        assert selectors.actions_to_follow_up(autumn) == [action]

    def test_actions_of_another_area_are_not_listed(self):
        actor, *_rest, action = _analysed()
        other = inspection(safety_council(place("Söder"), actor), datetime.date(2026, 9, 14))
        assert selectors.actions_to_follow_up(other) == []

    def test_follow_up_records_whether_the_cause_was_removed(self):
        actor, council, *_rest, action = _analysed()
        autumn = inspection(council, datetime.date(2026, 9, 14), actor)
        services.follow_up_record(
            actor=actor,
            inspection=autumn,
            action=action,
            cause_removed=CauseRemoved.PARTLY,
            note="En av två lampor är bytt",
        )
        follow_up = FollowUp.objects.get()
        assert (follow_up.inspection, follow_up.cause_removed) == (autumn, "delvis")
        assert selectors.actions_to_follow_up(autumn)[0].follow_up == follow_up

    def test_an_action_is_not_followed_up_at_an_earlier_inspection(self):
        actor, council, walk, *_rest, action = _analysed()
        earlier = inspection(council, datetime.date(2026, 3, 1), actor)
        with pytest.raises(ValidationError):
            services.follow_up_record(
                actor=actor, inspection=earlier, action=action, cause_removed="ja"
            )

    def test_follow_up_is_recorded_from_the_next_inspections_page(self, client):
        actor, council, *_rest, action = _analysed()
        autumn = inspection(council, datetime.date(2026, 9, 14), actor)
        client.force_login(actor)
        page = client.get(autumn.get_absolute_url()).content.decode()
        assert "Byt lamporna" in page
        prefix = f"uppf-{action.pk}"
        response = client.post(
            reverse("inspections:staff_follow_up", args=[autumn.pk, action.pk]),
            {f"{prefix}-cause_removed": "ja", f"{prefix}-note": "Nya lampor"},
        )
        assert response.status_code == 302
        assert FollowUp.objects.get().cause_removed == "ja"


class TestAnalysisPages:
    def test_cause_and_action_are_added_from_the_finding_page(self, client):
        actor, _council, walk, finding, *_rest = _analysed()
        client.force_login(actor)
        assert (
            client.post(
                reverse("inspections:staff_finding_action", args=[walk.pk, finding.pk, "orsak"]),
                {"orsak-description": "Ingen rondering", "orsak-influenced_by": "Polisen"},
            ).status_code
            == 302
        )
        response = client.post(
            reverse("inspections:staff_finding_action", args=[walk.pk, finding.pk, "atgard"]),
            {
                "atgard-description": "Rondering på kvällar",
                "atgard-responsible": "Lokalpolisen",
                "atgard-responsible_kind": "polis",
                "atgard-due_on": "2026-08-01",
            },
        )
        assert response.status_code == 302
        assert finding.actions.count() == 2
        page = client.get(finding.get_absolute_url()).content.decode()
        assert "Rondering på kvällar" in page

    def test_not_carried_out_without_reason_gets_a_swedish_error_on_the_page(self, client):
        actor, _council, walk, finding, _cause, action = _analysed()
        client.force_login(actor)
        response = client.post(
            reverse("inspections:staff_action_step", args=[walk.pk, action.pk]),
            {f"steg-{action.pk}-step": "give_up"},
        )
        assert response.status_code == 400
        assert "Skriv varför åtgärden inte genomfördes" in response.content.decode()
