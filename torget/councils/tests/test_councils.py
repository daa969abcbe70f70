"""The rules of the councils: each named after the rule it checks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.councils import selectors, services
from torget.councils.models import Council, CouncilKind, CouncilStatus, Represents
from torget.councils.tests.factories import (
    coordinator,
    member,
    place,
    planned_meeting,
    safety_council,
)
from torget.dialogues.catalogue import catalogue_ensure
from torget.dialogues.models import Method
from torget.meetings import services as meetings
from torget.meetings.minutes import minutes_for
from torget.notifications.models import Notification
from torget.organisation.models import BodyKind
from torget.organisation.tests.factories import BodyFactory

pytestmark = pytest.mark.django_db


def _held_with_minutes(council, actor, *, days_ago: int = 3):
    council_meeting = planned_meeting(council, actor, days=-days_ago)
    meeting = meetings.agenda_publish(meeting=council_meeting.meeting, actor=actor)
    meeting = meetings.meeting_mark_held(meeting=meeting, actor=actor)
    meetings.documentation_update(
        meeting=meeting,
        actor=actor,
        notes="Polisen redovisade lägesbilden. Belysningen byts före jul.",
        participants_total=5,
        counts={},
    )
    meetings.documentation_approve(meeting=meeting, actor=actor)
    council_meeting.refresh_from_db()
    return council_meeting


def _utskott_meeting(utskott, *, days: int):
    catalogue_ensure()
    admin = user_with_role(Role.ADMINISTRATOR)
    starts = timezone.now() + datetime.timedelta(days=days)
    meeting = meetings.meeting_create(
        actor=admin,
        body=utskott,
        method=Method.objects.get(code="dialogmote"),
        title="Utskottets möte",
        purpose="Ordinarie möte.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        place="Stadshuset",
    )
    meetings.agenda_item_add(meeting=meeting, actor=admin, title="Rapporter", minutes=60)
    meetings.agenda_item_add(
        meeting=meeting, actor=admin, title="Frågor", minutes=30, citizens_time=True
    )
    return meetings.agenda_publish(meeting=meeting, actor=admin)


class TestTiedToUtskott:
    def test_safety_council_is_tied_to_the_utskott_covering_its_area(self):
        where = place()
        council = safety_council(where)
        assert council.utskott == where.utskott
        assert council.body.kind == BodyKind.STANDING_COUNCIL

    def test_moving_a_council_to_another_area_ties_it_to_that_areas_utskott(self):
        where, other = place("Centrum"), place("Söder")
        actor = coordinator()
        council = safety_council(where, actor)
        services.council_update(actor=actor, council=council, area=other.district)
        council.refresh_from_db()
        assert council.utskott == other.utskott

    def test_safety_council_follows_when_another_utskott_takes_its_area(self):
        where = place()
        council = safety_council(where)
        where.utskott.is_active = False
        where.utskott.save()
        successor = BodyFactory(
            kind=BodyKind.DIALOGUE_COMMITTEE, name="Nya utskottet", area=where.committee_area
        )
        council.refresh_from_db()
        assert council.utskott == successor
        assert AuditEntry.objects.filter(action="council.retied").exists()

    def test_safety_council_needs_an_area(self):
        with pytest.raises(ValidationError, match="område"):
            services.council_create(actor=coordinator(), kind=CouncilKind.SAFETY, name="Rådet")

    def test_one_active_safety_council_per_area(self):
        where = place()
        safety_council(where)
        with pytest.raises(ValidationError, match="redan ett trygghetsråd"):
            safety_council(where, name="Ett till")

    def test_advisory_council_has_no_utskott_and_may_have_elected_members(self):
        actor = coordinator()
        council = services.council_create(
            actor=actor, kind=CouncilKind.PENSIONERS, name="Pensionärsrådet"
        )
        elected = member(council, actor, represents=Represents.ELECTED, name="Politiker")
        assert council.utskott is None and elected.pk

    def test_safety_council_has_no_elected_members(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        with pytest.raises(ValidationError, match="förtroendevalda"):
            member(council, actor, represents=Represents.ELECTED)


class TestChair:
    def test_chair_is_chosen_among_the_councils_members(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        local = member(council, actor)
        services.chair_set(actor=actor, council=council, member=local)
        council.refresh_from_db()
        assert council.chair == local and council.acting_chair is None

    def test_coordinator_as_chair_requires_recorded_exception(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        with pytest.raises(ValidationError) as refused:
            services.chair_set(actor=actor, council=council, coordinator=actor, reason=" ")
        assert "ingen av rådets ledamöter vill" in str(refused.value)
        services.chair_set(
            actor=actor, council=council, coordinator=actor, reason="Ingen ville ta uppdraget."
        )
        council.refresh_from_db()
        assert council.acting_chair == actor
        assert council.chair_exception_reason == "Ingen ville ta uppdraget."
        entry = AuditEntry.objects.get(action="council.chair_exception")
        assert entry.changes["reason"] == "Ingen ville ta uppdraget."

    def test_only_a_safety_coordinator_can_be_the_acting_chair(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        with pytest.raises(ValidationError, match="samordnare"):
            services.chair_set(
                actor=actor,
                council=council,
                coordinator=user_with_role(Role.OFFICIAL),
                reason="Ingen ville.",
            )

    def test_a_secretary_is_appointed_at_each_meeting_among_the_members(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        secretary = member(council, actor, name="Sara Sekreterare")
        council_meeting = planned_meeting(council, actor)
        services.secretary_appoint(actor=actor, council_meeting=council_meeting, member=secretary)
        other = member(safety_council(place("Söder"), actor), actor)
        with pytest.raises(ValidationError):
            services.secretary_appoint(actor=actor, council_meeting=council_meeting, member=other)


class TestMeetings:
    def test_council_meeting_is_a_meeting_with_an_agenda_around_the_focus_questions(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        meeting = planned_meeting(council, actor).meeting
        titles = [item.title for item in meeting.agenda.all()]
        assert "Belysning vid skolan" in titles and "Ungdomar vid centrum" in titles
        assert meeting.body == council.body

    def test_agenda_around_the_focus_questions_fits_a_short_meeting(self):
        actor = coordinator()
        council = safety_council(
            place(), actor, focus_questions="\n".join(f"Fråga {n}" for n in range(6))
        )
        for hours in (0.5, 1, 3):
            starts = timezone.now() + datetime.timedelta(days=5)
            meeting = services.council_meeting_plan(
                actor=actor,
                council=council,
                title="Möte",
                purpose="Läget.",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=hours),
                place="Biblioteket",
            ).meeting
            assert sum(item.minutes for item in meeting.agenda.all()) <= meeting.duration_minutes

    def test_council_meeting_agenda_is_published_without_the_citizens_third(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        meeting = planned_meeting(council, actor).meeting
        assert meetings.agenda_publish(meeting=meeting, actor=actor).status == "publicerat"

    def test_council_meetings_are_planned_only_by_coordinators_and_administrators(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        assert meetings.can_plan(actor, body=council.body)
        assert meetings.can_plan(user_with_role(Role.ADMINISTRATOR), body=council.body)
        official = user_with_role(Role.OFFICIAL)
        assert not meetings.can_plan(official, body=council.body)
        with pytest.raises(PermissionDenied):
            planned_meeting(council, official)

    def test_council_meeting_page_offers_no_citizens_question_form(self, client):
        actor = coordinator()
        council = safety_council(place(), actor)
        meeting = planned_meeting(council, actor).meeting
        meetings.agenda_publish(meeting=meeting, actor=actor)
        page = client.get(meeting.get_absolute_url())
        assert page.status_code == 200
        assert "question_form" not in page.context or page.context["question_form"] is None
        assert client.post(reverse("meetings:question", args=[meeting.pk])).status_code != 200

    def test_invitation_to_a_council_meeting_goes_to_the_utskott_for_the_area(self):
        where = place()
        actor = coordinator()
        council = safety_council(where, actor)
        planned_meeting(council, actor)
        invitation = Notification.objects.get(template="councils.invitation")
        assert where.utskott_member.email in {d.to for d in invitation.deliveries.all()}

    def test_council_minutes_listed_on_the_utskotts_next_agenda(self):
        where = place()
        actor = coordinator()
        council = safety_council(where, actor)
        next_meeting = _utskott_meeting(where.utskott, days=7)
        assert minutes_for(next_meeting) == []
        council_meeting = _held_with_minutes(council, actor)
        entries = minutes_for(next_meeting)
        assert [e.url for e in entries] == [council_meeting.meeting.get_absolute_url()]
        minutes = Notification.objects.get(template="councils.minutes")
        assert where.utskott_member.email in {d.to for d in minutes.deliveries.all()}
        # Not on the agenda of another utskott, nor again after the utskott has met.
        other = place("Söder")
        assert minutes_for(_utskott_meeting(other.utskott, days=7)) == []
        assert minutes_for(_utskott_meeting(where.utskott, days=30)) == []

    def test_utskott_participation_is_recorded_with_the_right_to_compensation(self):
        where = place()
        actor = coordinator()
        council = safety_council(where, actor)
        participation = services.participation_record(
            actor=actor,
            council=council,
            person=where.utskott_member,
            matter="Stationsområdet",
            decided_on=timezone.localdate(),
        )
        assert participation.compensation
        with pytest.raises(ValidationError, match="inte ledamot"):
            services.participation_record(
                actor=actor,
                council=council,
                person=place("Söder").utskott_member,
                matter="Stationsområdet",
                decided_on=timezone.localdate(),
            )


class TestPermissions:
    def test_only_coordinators_edit_councils(self, client):
        where = place()
        council = safety_council(where)
        for role in (Role.OFFICIAL, Role.ELECTED, Role.CONTACT_CENTRE, Role.CITIZEN):
            with pytest.raises(PermissionDenied):
                member(council, user_with_role(role))
        member(council, user_with_role(Role.ADMINISTRATOR))
        client.force_login(where.utskott_member)
        assert client.get(reverse("councils:staff_edit", args=[council.pk])).status_code == 403
        response = client.post(
            reverse("councils:staff_action", args=[council.pk, "avsluta"]),
            {"avsluta-closed_on": "2024-01-01", "avsluta-reason": "Nej"},
        )
        assert response.status_code == 403
        council.refresh_from_db()
        assert council.status == CouncilStatus.ACTIVE

    def test_utskott_members_of_the_area_read_council_material(self, client):
        where = place()
        actor = coordinator()
        council = safety_council(where, actor)
        member(council, actor, email="anna@example.se")
        council_meeting = planned_meeting(council, actor, days=-2)
        meeting = meetings.agenda_publish(meeting=council_meeting.meeting, actor=actor)
        meetings.meeting_mark_held(meeting=meeting, actor=actor)
        meetings.documentation_update(
            meeting=meeting,
            actor=actor,
            notes="Ej godkända anteckningar",
            participants_total=3,
            counts={},
        )
        assert selectors.access_council(where.utskott_member, council.pk) == council
        client.force_login(where.utskott_member)
        page = client.get(reverse("councils:staff_detail", args=[council.pk]))
        assert page.status_code == 200 and "anna@example.se" in page.content.decode()
        page = client.get(reverse("councils:staff_meeting", args=[council.pk, council_meeting.pk]))
        assert "Ej godkända anteckningar" in page.content.decode()

    def test_members_of_another_utskott_do_not_see_unpublished_material(self, client):
        where, other = place("Centrum"), place("Söder")
        actor = coordinator()
        council = safety_council(where, actor)
        member(council, actor, email="anna@example.se")
        council_meeting = planned_meeting(council, actor)
        with pytest.raises(PermissionDenied):
            selectors.access_council(other.utskott_member, council.pk)
        client.force_login(other.utskott_member)
        assert client.get(reverse("councils:staff_detail", args=[council.pk])).status_code == 403
        url = reverse("councils:staff_meeting", args=[council.pk, council_meeting.pk])
        assert client.get(url).status_code == 403
        public = client.get(council.get_absolute_url()).content.decode()
        assert "anna@example.se" not in public and "Anna Berg" not in public

    def test_public_council_page_shows_organisations_and_roles_without_contact_details(
        self, client
    ):
        actor = coordinator()
        council = safety_council(place(), actor)
        local = member(council, actor, email="anna@example.se", phone="070-123 45 67")
        services.chair_set(actor=actor, council=council, member=local)
        page = client.get(council.get_absolute_url()).content.decode()
        assert "Polisen" in page and "Områdespolis" in page
        assert "anna@example.se" not in page and "070" not in page and "Anna Berg" not in page


class TestClosing:
    def test_closed_council_is_kept_with_its_documents(self, client):
        where = place()
        actor = coordinator()
        council = safety_council(where, actor)
        council_meeting = _held_with_minutes(council, actor)
        services.council_close(
            actor=actor,
            council=council,
            closed_on=timezone.localdate(),
            reason="Rådet upphörde med den nya mandatperioden.",
        )
        council.refresh_from_db()
        assert council.status == CouncilStatus.CLOSED
        assert Council.objects.filter(pk=council.pk).exists()
        page = client.get(council.get_absolute_url()).content.decode()
        assert "upphörde" in page or "avslutades" in page
        assert council_meeting.meeting.get_absolute_url() in page
        with pytest.raises(ValidationError, match="avslutat"):
            member(council, actor)
        # A new council may take the area.
        assert safety_council(where, actor, name="Det nya rådet").pk

    def test_closing_a_council_needs_a_reason(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        with pytest.raises(ValidationError, match="varför"):
            services.council_close(
                actor=actor, council=council, closed_on=timezone.localdate(), reason=""
            )


class TestPages:
    def test_trygghet_page_lists_the_safety_councils(self, client):
        council = safety_council(place())
        page = client.get(reverse("core:safety")).content.decode()
        assert council.name in page

    def test_coordinator_creates_a_council_from_the_staff_page(self, client):
        where = place()
        client.force_login(coordinator())
        response = client.post(
            reverse("councils:staff_create"),
            {"kind": CouncilKind.SAFETY, "name": "Trygghetsrådet Nytt", "area": where.district.pk},
        )
        assert response.status_code == 302
        assert Council.objects.get(name="Trygghetsrådet Nytt").utskott == where.utskott

    def test_coordinator_chosen_without_reason_gets_a_swedish_error_on_the_page(self, client):
        actor = coordinator()
        council = safety_council(place(), actor)
        client.force_login(actor)
        response = client.post(
            reverse("councils:staff_action", args=[council.pk, "ordforande"]),
            {"ordforande-coordinator": actor.pk},
        )
        assert response.status_code == 400
        assert "ingen av rådets ledamöter vill" in response.content.decode()

    def test_staff_index_answers_in_a_fixed_number_of_queries(
        self, client, django_assert_max_num_queries
    ):
        actor = coordinator()
        for name in ("Centrum", "Söder", "Norr"):
            safety_council(place(name), actor)
        client.force_login(actor)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("councils:staff_index")).status_code == 200

    def test_utskott_member_sees_the_councils_of_the_area_in_a_fixed_number_of_queries(
        self, client, django_assert_max_num_queries
    ):
        where = place()
        actor = coordinator()
        mine = safety_council(where, actor)
        safety_council(place("Söder"), actor)
        client.force_login(where.utskott_member)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("councils:staff_index"))
        assert [c.pk for c in response.context["councils"]] == [mine.pk]
