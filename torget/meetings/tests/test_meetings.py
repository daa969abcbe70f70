import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.dialogues.calendar import calendar_entries
from torget.dialogues.models import Method
from torget.dialogues.tests.factories import approved, cast, initiative
from torget.meetings import agenda, services
from torget.meetings.models import MeetingStatus, QuestionStatus, RegistrationStatus
from torget.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def meeting_for(people, *, method="dialogmote", capacity=None, minutes=120, dialogue=None):
    starts = timezone.now() + datetime.timedelta(days=10)
    return services.meeting_create(
        actor=people.official,
        dialogue=dialogue or approved(people),
        method=Method.objects.get(code=method),
        title="Dialogmöte om skolgården",
        purpose="Samla idéer om skolgården.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes),
        place="Bergaskolans matsal",
        capacity=capacity,
        registration_required=capacity is not None,
    )


def add(meeting, people, *items):
    for title, minutes, citizens in items:
        services.agenda_item_add(
            meeting=meeting,
            actor=people.official,
            title=title,
            minutes=minutes,
            citizens_time=citizens,
        )


class TestAgendaRule:
    def test_an_agenda_with_less_than_a_third_for_citizens_cannot_be_published(self, people):
        meeting = meeting_for(people, minutes=120)
        add(
            meeting,
            people,
            ("Välkommen", 10, False),
            ("Förslaget", 80, False),
            ("Frågor", 30, True),
        )
        with pytest.raises(services.MeetingError) as refused:
            services.agenda_publish(meeting=meeting, actor=people.official)
        assert "en tredjedel" in str(refused.value) and "40 av 120" in str(refused.value)
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.DRAFT and meeting.agenda_published_at is None

    def test_a_third_exactly_is_enough_and_the_share_is_known(self, people):
        meeting = meeting_for(people, minutes=90)
        add(meeting, people, ("Förslaget", 60, False), ("Era frågor", 30, True))
        meeting = services.agenda_publish(meeting=meeting, actor=people.official)
        assert meeting.status == MeetingStatus.PUBLISHED
        assert agenda.check(meeting).citizens_share == pytest.approx(1 / 3)

    def test_an_agenda_longer_than_the_meeting_is_refused(self, people):
        meeting = meeting_for(people, minutes=60)
        add(meeting, people, ("Förslaget", 50, False), ("Era frågor", 30, True))
        result = agenda.check(meeting)
        assert not result.ok and "80 minuter" in result.problems[0]

    def test_a_published_agenda_cannot_be_changed_to_break_the_rule(self, people):
        meeting = meeting_for(people, minutes=90)
        add(meeting, people, ("Förslaget", 50, False), ("Era frågor", 30, True))
        services.agenda_publish(meeting=meeting, actor=people.official)
        add(meeting, people, ("Kort extra punkt", 10, False))  # still within the meeting
        with pytest.raises(services.MeetingError):
            add(meeting, people, ("Lång extra punkt", 20, False))
        assert meeting.agenda.count() == 3

    def test_only_those_who_work_with_the_dialogue_plan_meetings(self, people):
        with pytest.raises(PermissionDenied):
            services.meeting_create(
                actor=user_with_role(Role.CITIZEN),
                dialogue=initiative(people),
                method=Method.objects.get(code="dialogmote"),
                title="x",
                purpose="y",
                starts_at=timezone.now(),
                ends_at=timezone.now() + datetime.timedelta(hours=1),
            )


def published(people, **kwargs):
    meeting = meeting_for(people, **kwargs)
    add(meeting, people, ("Förslaget", 60, False), ("Era frågor", 60, True))
    return services.agenda_publish(meeting=meeting, actor=people.official)


class TestRegistration:
    def test_a_full_meeting_puts_people_on_the_waiting_list_and_promotes_them(self, people):
        meeting = published(people, capacity=2)
        first = services.registration_create(meeting=meeting, name="Anna", email="anna@example.se")
        services.registration_create(meeting=meeting, name="Bo", email="bo@example.se")
        third = services.registration_create(meeting=meeting, name="Cia", email="cia@example.se")
        assert third.status == RegistrationStatus.WAITING
        waiting_note = Notification.objects.filter(template="meetings.registered").last()
        assert waiting_note.context["waiting"] is True
        promoted = services.registration_cancel(registration=first)
        assert promoted == third
        third.refresh_from_db()
        assert third.status == RegistrationStatus.REGISTERED
        assert (
            Notification.objects.get(template="meetings.promoted").deliveries.get().to
            == "cia@example.se"
        )

    def test_cancelling_from_the_waiting_list_promotes_no_one(self, people):
        meeting = published(people, capacity=1)
        services.registration_create(meeting=meeting, name="Anna", email="anna@example.se")
        waiting = services.registration_create(meeting=meeting, name="Bo", email="bo@example.se")
        assert services.registration_cancel(registration=waiting) is None

    def test_one_registration_per_address(self, people):
        meeting = published(people)
        services.registration_create(meeting=meeting, name="Anna", email="anna@example.se")
        with pytest.raises(services.MeetingError):
            services.registration_create(meeting=meeting, name="Anna", email="ANNA@example.se")

    def test_a_draft_meeting_takes_no_registrations(self, people):
        meeting = meeting_for(people)
        with pytest.raises(services.MeetingError):
            services.registration_create(meeting=meeting, name="Anna", email="anna@example.se")

    @pytest.mark.parametrize(
        ("capacity", "ok"), [(None, False), (7, False), (8, True), (12, True), (13, False)]
    )
    def test_a_focus_group_has_8_to_12_participants(self, people, capacity, ok):
        if ok:
            assert meeting_for(people, method="fokusgrupp", capacity=capacity).capacity == capacity
        else:
            with pytest.raises(services.MeetingError):
                meeting_for(people, method="fokusgrupp", capacity=capacity)


class TestGroupSizeReadsTheMethodsData:
    """The size rule is the method's participant bounds in the catalogue, never its name."""

    def test_renaming_the_focus_group_method_keeps_its_size_rule(self, people):
        Method.objects.filter(code="fokusgrupp").update(name="Samtalsgrupp")
        with pytest.raises(services.MeetingError) as refused:
            meeting_for(people, method="fokusgrupp", capacity=20)
        assert "Samtalsgrupp har 8–12 deltagare" in str(refused.value)
        assert meeting_for(people, method="fokusgrupp", capacity=10).capacity == 10

    def test_a_method_with_size_bounds_gets_the_check_whatever_its_name(self, people):
        Method.objects.create(
            code="medborgarpanel",
            name="Medborgarpanel",
            ladder_step=3,
            description="Ett slumpat urval.",
            is_meeting=True,
            min_participants=20,
            max_participants=40,
        )
        with pytest.raises(services.MeetingError):
            meeting_for(people, method="medborgarpanel", capacity=12)
        with pytest.raises(services.MeetingError):
            meeting_for(people, method="medborgarpanel", capacity=None)
        assert meeting_for(people, method="medborgarpanel", capacity=30).capacity == 30

    def test_a_method_with_only_a_maximum_needs_a_cap_at_most_that(self, people):
        Method.objects.filter(code="open-space").update(max_participants=50)
        with pytest.raises(services.MeetingError) as refused:
            meeting_for(people, method="open-space", capacity=None)
        assert "högst 50 deltagare" in str(refused.value)
        assert meeting_for(people, method="open-space", capacity=5).capacity == 5

    def test_a_method_without_bounds_takes_any_cap_or_none(self, people):
        Method.objects.filter(code="fokusgrupp").update(
            min_participants=None, max_participants=None
        )
        assert meeting_for(people, method="fokusgrupp", capacity=None).capacity is None
        assert meeting_for(people, method="dialogmote", capacity=300).capacity == 300

    def test_changing_a_meeting_to_a_sized_method_checks_its_cap(self, people):
        meeting = meeting_for(people, capacity=100)
        with pytest.raises(services.MeetingError):
            services.meeting_update(
                meeting=meeting,
                actor=people.official,
                method=Method.objects.get(code="fokusgrupp"),
            )


class TestQuestions:
    def test_questions_are_shown_only_once_accepted(self, people):
        from torget.meetings.selectors import accepted_questions

        meeting = published(people)
        question = services.question_submit(meeting=meeting, text="Kan vi få en pingisbord?")
        assert question.status == QuestionStatus.SUBMITTED
        assert list(accepted_questions(meeting)) == []
        services.question_moderate(question=question, actor=people.official, accept=True)
        assert list(accepted_questions(meeting)) == [question]

    def test_no_questions_before_the_agenda_is_published(self, people):
        with pytest.raises(services.MeetingError):
            services.question_submit(meeting=meeting_for(people), text="Hej?")


def test_published_meetings_are_in_the_calendar_and_drafts_are_not(people):
    draft = meeting_for(people)
    meeting = published(people, dialogue=draft.dialogue)
    day = timezone.localdate(meeting.starts_at)
    entries = {e.uid: e for e in calendar_entries(start=day, end=day)}
    assert f"meeting-{meeting.pk}" in entries and f"meeting-{draft.pk}" not in entries
    # The entry leads to the meeting's own page (agenda, registration, questions).
    assert entries[f"meeting-{meeting.pk}"].url == f"/moten/{meeting.pk}/"


def test_every_step_allowed_by_the_table_succeeds_and_every_other_is_refused(people):
    from torget.audit.models import AuditEntry
    from torget.core.tests.walk import walk_table
    from torget.meetings import workflow
    from torget.meetings.models import Meeting
    from torget.meetings.tests.factories import published, start_in_the_past

    # Published, with an agenda that gives the citizens their third, started, with a
    # registration (so cancelling a published meeting e-mails someone).
    meeting = start_in_the_past(published(people))
    meeting.registrations.create(name="Deltagare", email="deltagare@example.se")
    steps = {
        "publish": lambda m: services.agenda_publish(meeting=m, actor=people.official),
        "cancel": lambda m: services.meeting_cancel(
            meeting=m, actor=people.official, reason="Sjukdom."
        ),
        "hold": lambda m: services.meeting_mark_held(meeting=m, actor=people.official),
    }

    def put(state):
        Meeting.objects.filter(pk=meeting.pk).update(status=state)
        return Meeting.objects.get(pk=meeting.pk)

    assert workflow.PROCESS.states == set(MeetingStatus.values)
    assert set(steps) == set(workflow.PROCESS.steps)
    walked = walk_table(
        workflow.PROCESS,
        put=put,
        take=lambda record, name: steps[name](record),
        written=lambda: (AuditEntry.objects.count(), Notification.objects.count()),
    )
    assert len(walked) == len(MeetingStatus.values) * len(steps)
