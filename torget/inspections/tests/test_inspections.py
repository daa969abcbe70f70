"""The rules of the safety inspections: each test is named after the rule it checks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.councils.tests.factories import coordinator, place, safety_council
from torget.inspections import forms, selectors, services
from torget.inspections.models import (
    Inspection,
    InspectionStatus,
    InvitedGroup,
    Season,
    season_end,
    season_of,
)
from torget.inspections.selectors import SeasonState
from torget.inspections.tests.factories import inspection

pytestmark = pytest.mark.django_db

YEAR = 2026


def _cells(year: int, today: datetime.date) -> dict[tuple[str, str], selectors.SeasonCell]:
    return {
        (row.council.name, cell.season): cell
        for row in selectors.planning(year, today)
        for cell in row.cells
    }


class TestSeasons:
    def test_season_follows_the_date_spring_through_june_then_autumn(self):
        assert season_of(datetime.date(YEAR, 6, 30)) == Season.SPRING
        assert season_of(datetime.date(YEAR, 7, 1)) == Season.AUTUMN
        assert season_end(YEAR, Season.SPRING) == datetime.date(YEAR, 6, 30)
        assert season_end(YEAR, Season.AUTUMN) == datetime.date(YEAR, 11, 30)

    def test_planned_inspection_gets_its_season_and_year_from_its_date(self):
        council = safety_council(place())
        planned = inspection(council, datetime.date(YEAR, 9, 14))
        assert (planned.year, planned.season) == (YEAR, Season.AUTUMN)

    def test_moving_the_date_moves_the_season(self):
        actor = coordinator()
        planned = inspection(safety_council(place(), actor), datetime.date(YEAR, 5, 4), actor)
        services.inspection_update(actor=actor, inspection=planned, date=datetime.date(YEAR, 8, 20))
        planned.refresh_from_db()
        assert planned.season == Season.AUTUMN


class TestTwoPerSeasonRule:
    def test_planning_view_shows_each_areas_spring_and_autumn_as_planned_done_or_missing(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        spring = inspection(council, datetime.date(YEAR, 5, 4), actor)
        with freeze_time(f"{YEAR}-05-05"):
            services.inspection_mark_held(actor=actor, inspection=spring)
        inspection(council, datetime.date(YEAR, 9, 14), actor)
        other = safety_council(place("Söder"), actor)
        cells = _cells(YEAR, datetime.date(YEAR, 6, 1))
        assert cells[(council.name, Season.SPRING)].state == SeasonState.DONE
        assert cells[(council.name, Season.AUTUMN)].state == SeasonState.PLANNED
        assert cells[(other.name, Season.SPRING)].state == SeasonState.MISSING
        assert cells[(other.name, Season.AUTUMN)].state == SeasonState.MISSING

    def test_coordinator_is_warned_four_weeks_before_a_season_ends_with_no_inspection_planned(
        self,
    ):
        council = safety_council(place())
        cell = _cells(YEAR, datetime.date(YEAR, 11, 2))[(council.name, Season.AUTUMN)]
        assert cell.warn

    def test_no_warning_more_than_four_weeks_before_the_season_ends(self):
        council = safety_council(place())
        cell = _cells(YEAR, datetime.date(YEAR, 11, 1))[(council.name, Season.AUTUMN)]
        assert not cell.warn and not cell.overdue

    def test_no_warning_when_the_season_has_an_inspection_planned(self):
        council = safety_council(place())
        inspection(council, datetime.date(YEAR, 11, 20))
        cell = _cells(YEAR, datetime.date(YEAR, 11, 10))[(council.name, Season.AUTUMN)]
        assert cell.state == SeasonState.PLANNED and not cell.warn

    def test_a_cancelled_inspection_leaves_the_season_missing(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        planned = inspection(council, datetime.date(YEAR, 11, 20), actor)
        services.inspection_cancel(actor=actor, inspection=planned, reason="Snöstorm")
        cell = _cells(YEAR, datetime.date(YEAR, 11, 10))[(council.name, Season.AUTUMN)]
        assert cell.state == SeasonState.MISSING and cell.warn

    def test_season_that_ended_without_inspection_is_shown_as_overdue(self):
        council = safety_council(place())
        cell = _cells(YEAR, datetime.date(YEAR, 7, 10))[(council.name, Season.SPRING)]
        assert cell.overdue

    def test_planning_view_warns_the_coordinator(self, client):
        actor = coordinator()
        council = safety_council(place(), actor)
        client.force_login(actor)
        with freeze_time(f"{YEAR}-11-10"):
            page = client.get(reverse("inspections:staff_plan")).content.decode()
        assert "Besiktningar saknas" in page and council.name in page

    def test_coordinators_start_page_warns_of_a_season_without_inspection(self, client):
        actor = coordinator()
        council = safety_council(place(), actor)
        client.force_login(actor)
        with freeze_time(f"{YEAR}-11-10"):
            page = client.get(reverse("core:backoffice")).content.decode()
        assert "Besiktningar saknas" in page and council.name in page

    def test_start_page_has_no_warning_when_every_season_is_planned(self, client):
        actor = coordinator()
        council = safety_council(place(), actor)
        inspection(council, datetime.date(YEAR, 5, 10), actor)
        inspection(council, datetime.date(YEAR, 11, 20), actor)
        client.force_login(actor)
        with freeze_time(f"{YEAR}-11-10"):
            page = client.get(reverse("core:backoffice")).content.decode()
        assert "Besiktningar saknas" not in page

    def test_planning_view_answers_in_a_fixed_number_of_queries(
        self, client, django_assert_max_num_queries
    ):
        actor = coordinator()
        for name in ("Centrum", "Söder", "Norr"):
            council = safety_council(place(name), actor)
            inspection(council, datetime.date(YEAR, 5, 4), actor)
        client.force_login(actor)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("inspections:staff_plan"), {"ar": YEAR}).status_code == 200


class TestWorkflow:
    def test_inspection_cannot_be_marked_held_before_its_date(self):
        actor = coordinator()
        planned = inspection(safety_council(place(), actor), datetime.date(2999, 5, 4), actor)
        with pytest.raises(ValidationError, match="före sitt datum"):
            services.inspection_mark_held(actor=actor, inspection=planned)

    def test_cancelling_an_inspection_needs_a_reason(self):
        actor = coordinator()
        planned = inspection(safety_council(place(), actor), datetime.date(YEAR, 5, 4), actor)
        with pytest.raises(ValidationError, match="varför"):
            services.inspection_cancel(actor=actor, inspection=planned, reason=" ")

    def test_protocol_is_done_only_after_attendance_is_recorded(self):
        actor = coordinator()
        held = inspection(safety_council(place(), actor), datetime.date(YEAR, 5, 4), actor)
        with freeze_time(f"{YEAR}-05-05"):
            services.inspection_mark_held(actor=actor, inspection=held)
        with pytest.raises(ValidationError, match="deltog"):
            services.inspection_protocol_done(actor=actor, inspection=held)
        services.attendance_record(actor=actor, inspection=held, attended=[InvitedGroup.POLICE])
        services.inspection_protocol_done(actor=actor, inspection=held)
        assert held.status == InspectionStatus.PROTOCOL_DONE

    def test_every_change_of_an_inspection_is_audited(self):
        actor = coordinator()
        held = inspection(safety_council(place(), actor), datetime.date(YEAR, 5, 4), actor)
        with freeze_time(f"{YEAR}-05-05"):
            services.inspection_mark_held(actor=actor, inspection=held)
        services.attendance_record(actor=actor, inspection=held, attended=[])
        services.inspection_protocol_done(actor=actor, inspection=held)
        actions = list(
            AuditEntry.objects.filter(object_id=str(held.pk), action__startswith="inspection.")
            .order_by("pk")
            .values_list("action", flat=True)
        )
        assert actions == [
            "inspection.planned",
            "inspection.hold",
            "inspection.attendance_recorded",
            "inspection.protocol",
        ]


class TestInvitedGroups:
    def test_all_groups_of_the_fixed_list_are_invited_by_default(self):
        planned = inspection(safety_council(place()), datetime.date(YEAR, 5, 4))
        assert sorted(planned.groups.values_list("group", flat=True)) == sorted(InvitedGroup.values)

    def test_attendance_is_recorded_per_invited_group(self):
        actor = coordinator()
        planned = inspection(safety_council(place(), actor), datetime.date(YEAR, 5, 4), actor)
        services.attendance_record(
            actor=actor,
            inspection=planned,
            attended=[InvitedGroup.POLICE, InvitedGroup.SCHOOLS],
        )
        attended = dict(planned.groups.values_list("group", "attended"))
        assert attended[InvitedGroup.POLICE] is True
        assert attended[InvitedGroup.FAITH] is False

    def test_a_group_that_was_not_invited_cannot_be_recorded_as_present(self):
        actor = coordinator()
        planned = inspection(
            safety_council(place(), actor),
            datetime.date(YEAR, 5, 4),
            actor,
            groups=[InvitedGroup.POLICE],
        )
        with pytest.raises(ValidationError):
            services.attendance_record(
                actor=actor, inspection=planned, attended=[InvitedGroup.SCHOOLS]
            )


class TestRoute:
    def test_route_typed_as_coordinates_becomes_a_geojson_linestring(self):
        route = forms.parse_route("58.4108, 15.6214\n58,4120 15,6250\n")
        assert route == {
            "type": "LineString",
            "coordinates": [[15.6214, 58.4108], [15.625, 58.412]],
        }

    @pytest.mark.parametrize("text", ["58.41, 15.62", "abc\n1, 2", "95, 15\n58, 15"])
    def test_route_that_is_not_a_line_on_the_map_is_refused(self, text):
        with pytest.raises(ValidationError):
            forms.parse_route(text)

    def test_service_refuses_a_route_that_is_not_a_linestring(self):
        with pytest.raises(ValidationError):
            inspection(
                safety_council(place()),
                datetime.date(YEAR, 5, 4),
                route={"type": "Point", "coordinates": [15.6, 58.4]},
            )


class TestPermissions:
    def test_only_coordinators_and_administrators_plan_inspections(self):
        council = safety_council(place())
        for role in (Role.OFFICIAL, Role.ELECTED, Role.CONTACT_CENTRE):
            with pytest.raises(PermissionDenied):
                inspection(council, datetime.date(YEAR, 5, 4), actor=user_with_role(role))
        assert inspection(
            council, datetime.date(YEAR, 5, 4), actor=user_with_role(Role.ADMINISTRATOR)
        )

    def test_utskott_member_of_the_area_reads_the_inspection(self):
        where = place()
        planned = inspection(safety_council(where), datetime.date(YEAR, 5, 4))
        assert selectors.access_inspection(where.utskott_member, planned.pk) == planned

    def test_utskott_member_of_the_area_cannot_change_the_inspection(self):
        where = place()
        planned = inspection(safety_council(where), datetime.date(YEAR, 5, 4))
        with pytest.raises(PermissionDenied):
            selectors.access_inspection_for_editing(where.utskott_member, planned.pk)
        with pytest.raises(PermissionDenied):
            services.attendance_record(actor=where.utskott_member, inspection=planned, attended=[])

    def test_member_of_another_utskott_does_not_see_the_inspection(self, client):
        planned = inspection(safety_council(place()), datetime.date(YEAR, 5, 4))
        other = place("Söder")
        with pytest.raises(PermissionDenied):
            selectors.access_inspection(other.utskott_member, planned.pk)
        client.force_login(other.utskott_member)
        response = client.get(reverse("inspections:staff_detail", args=[planned.pk]))
        assert response.status_code == 403

    def test_planning_view_is_for_coordinators_and_administrators_only(self, client):
        where = place()
        client.force_login(where.utskott_member)
        assert client.get(reverse("inspections:staff_plan")).status_code == 403


class TestPages:
    def test_coordinator_plans_an_inspection_from_the_staff_page(self, client):
        actor = coordinator()
        council = safety_council(place(), actor)
        client.force_login(actor)
        response = client.post(
            reverse("inspections:staff_create"),
            {
                "council": council.pk,
                "date": f"{YEAR}-05-04",
                "meeting_point": "Vid skolan",
                "route": "58.41, 15.62\n58.42, 15.63",
                "groups": [InvitedGroup.POLICE, InvitedGroup.SCHOOLS],
            },
        )
        assert response.status_code == 302
        planned = Inspection.objects.get(council=council)
        assert planned.route["coordinates"] == [[15.62, 58.41], [15.63, 58.42]]
        assert planned.groups.count() == 2

    def test_bad_route_gets_a_swedish_error_on_the_page(self, client):
        actor = coordinator()
        council = safety_council(place(), actor)
        client.force_login(actor)
        response = client.post(
            reverse("inspections:staff_create"),
            {
                "council": council.pk,
                "date": f"{YEAR}-05-04",
                "meeting_point": "Vid skolan",
                "route": "mitt i parken",
                "groups": [InvitedGroup.POLICE],
            },
        )
        assert response.status_code == 400
        assert "latitud, longitud" in response.content.decode()

    def test_cancel_without_reason_gets_a_swedish_error_on_the_page(self, client):
        actor = coordinator()
        planned = inspection(safety_council(place(), actor), datetime.date(YEAR, 5, 4), actor)
        client.force_login(actor)
        response = client.post(
            reverse("inspections:staff_action", args=[planned.pk, "installd"]),
            {"installd-reason": ""},
        )
        assert response.status_code == 400

    def test_attendance_is_saved_from_the_inspection_page(self, client):
        actor = coordinator()
        planned = inspection(safety_council(place(), actor), datetime.date(YEAR, 5, 4), actor)
        with freeze_time(f"{YEAR}-05-05"):
            services.inspection_mark_held(actor=actor, inspection=planned)
        client.force_login(actor)
        response = client.post(
            reverse("inspections:staff_action", args=[planned.pk, "narvaro"]),
            {"narvaro-attended": [InvitedGroup.POLICE]},
        )
        assert response.status_code == 302
        assert planned.groups.get(group=InvitedGroup.POLICE).attended is True
        page = client.get(planned.get_absolute_url()).content.decode()
        assert "Lokalpolisen" in page
