"""Each record kind of the plan, with one row just outside its period and one just inside:
only the old one is touched, and public records keep the record itself."""

import datetime

import pytest
from django.utils import timezone

from torget.accounts.tests.factories import CitizenFactory
from torget.audit.models import AuditEntry
from torget.dialogues.tests.factories import cast
from torget.feedback.models import Case
from torget.feedback.tests.factories import make_case
from torget.forum.models import Agree, Post
from torget.forum.tests import factories as forum_factories
from torget.identity.models import Verification
from torget.identity.tests.factories import VerificationFactory
from torget.meetings.models import AgendaQuestion, Meeting, Registration, RegistrationStatus
from torget.meetings.tests.factories import meeting_for
from torget.notifications.models import PhoneCode
from torget.notifications.tests.factories import SubscriptionFactory
from torget.organisation.models import Municipality
from torget.proposals.models import Outcome, Status
from torget.proposals.tests.factories import ProposalFactory, SupportFactory
from torget.retention.tests.helpers import ago, counts, run
from torget.surveys.models import Participation, SmsConversation
from torget.surveys.tests import factories as survey_factories

pytestmark = pytest.mark.django_db


def meeting_ended(people, days_ago: float) -> Meeting:
    meeting = meeting_for(people)
    ended = ago(days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=ended - datetime.timedelta(hours=2), ends_at=ended
    )
    return meeting


def register(meeting: Meeting, name: str, needs: str = "Hörslinga") -> Registration:
    return Registration.objects.create(
        meeting=meeting,
        name=name,
        email=f"{name.lower()}@example.se",
        needs=needs,
        status=RegistrationStatus.REGISTERED,
    )


class TestMeetingRegistrations:
    def test_the_need_for_support_goes_the_day_after_the_meeting_before_anything_else(self):
        people = cast()
        old = register(meeting_ended(people, 1.1), "Anna")
        recent = register(meeting_ended(people, 0.9), "Bo")
        result = run("meetings.registration_needs", "meetings.registrations")
        assert counts(result, "meetings.registration_needs") == {"needs": 1}
        assert counts(result, "meetings.registrations") == {"registrations": 0}
        old.refresh_from_db()
        recent.refresh_from_db()
        # Health data first; the name and address stay for now.
        assert (old.needs, old.name, old.email) == ("", "Anna", "anna@example.se")
        assert recent.needs == "Hörslinga"

    def test_name_and_address_go_after_three_months_and_the_row_stays_for_the_counts(self):
        people = cast()
        old = register(meeting_ended(people, 95), "Anna")
        recent = register(meeting_ended(people, 85), "Bo", needs="")
        result = run("meetings.registrations")
        assert counts(result, "meetings.registrations") == {"registrations": 1}
        old.refresh_from_db()
        recent.refresh_from_db()
        assert old.name == "" and old.needs == ""
        assert old.email == f"gallrad-{old.pk}@gallrad.invalid"
        assert old.status == RegistrationStatus.REGISTERED
        assert (recent.name, recent.email) == ("Bo", "bo@example.se")
        assert Registration.objects.count() == 2

    def test_questions_sent_in_advance_are_kept_without_who_asked(self):
        people = cast()
        old = AgendaQuestion.objects.create(
            meeting=meeting_ended(people, 95), text="Blir det gungor?", name="Anna", email="a@x.se"
        )
        recent = AgendaQuestion.objects.create(
            meeting=meeting_ended(people, 85), text="Och rutschkana?", name="Bo", email="b@x.se"
        )
        assert counts(run("meetings.questions"), "meetings.questions") == {"questions": 1}
        old.refresh_from_db()
        recent.refresh_from_db()
        assert (old.text, old.name, old.email) == ("Blir det gungor?", "", "")
        assert (recent.name, recent.email) == ("Bo", "b@x.se")


class TestFeedbackRequesters:
    def test_a_closed_case_keeps_the_case_and_loses_the_requesters_contact_details(self):
        Municipality.objects.update_or_create(pk=1, defaults={"feedback_retention_months": 12})
        old = make_case(reporter_email="anna@example.se", reply_channel="epost")
        recent = make_case(reporter_email="bo@example.se", reply_channel="epost")
        Case.objects.filter(pk=old.pk).update(is_open=False, closed_at=ago(370))
        Case.objects.filter(pk=recent.pk).update(is_open=False, closed_at=ago(360))
        assert counts(run("feedback.requesters"), "feedback.requesters") == {"cases": 1}
        old.refresh_from_db()
        recent.refresh_from_db()
        assert old.reporter_email == "" and old.anonymized_at is not None
        assert old.number and Case.objects.filter(pk=old.pk).exists()
        assert recent.reporter_email == "bo@example.se"


class TestProposalSupports:
    def test_after_the_decision_the_count_stays_and_who_supported_goes(self):
        old = ProposalFactory(
            status=Status.DECIDED,
            outcome=Outcome.ANSWERED,
            decided_on=timezone.localdate() - datetime.timedelta(days=95),
        )
        recent = ProposalFactory(
            status=Status.DECIDED,
            outcome=Outcome.ANSWERED,
            decided_on=timezone.localdate() - datetime.timedelta(days=85),
        )
        supporter = CitizenFactory()
        checked = VerificationFactory()
        old_support = SupportFactory(proposal=old, user=supporter, verification=checked)
        SupportFactory(proposal=old)
        recent_support = SupportFactory(proposal=recent, user=supporter)
        result = run("proposals.supports")
        assert counts(result, "proposals.supports") == {"supports": 2, "verifications": 1}
        old_support.refresh_from_db()
        recent_support.refresh_from_db()
        assert old_support.person_key.startswith("gallrad-")
        assert old_support.user is None and old_support.verification is None
        assert not Verification.objects.filter(pk=checked.pk).exists()
        assert old.supports.count() == 2
        assert recent_support.user == supporter

    def test_a_proposal_still_collecting_keeps_its_supporters(self):
        support = SupportFactory()
        assert counts(run("proposals.supports"), "proposals.supports")["supports"] == 0
        support.refresh_from_db()
        assert not support.person_key.startswith("gallrad-")


class TestSurveys:
    def closed_survey(self, days_ago: float, **values):
        return survey_factories.survey(
            opens_at=ago(days_ago + 10), closes_at=ago(days_ago), **values
        )

    def test_the_marks_of_who_answered_go_a_month_after_the_survey_closed(self):
        old = Participation.objects.create(survey=self.closed_survey(32), person_hash="a" * 64)
        recent = Participation.objects.create(survey=self.closed_survey(29), person_hash="b" * 64)
        result = run("surveys.participations")
        assert counts(result, "surveys.participations") == {"participations": 1}
        assert list(Participation.objects.values_list("pk", flat=True)) == [recent.pk]
        assert old.survey.responses.count() == 0  # answers are not touched (none here)

    def test_sms_numbers_go_when_the_survey_has_closed(self):
        closed = self.closed_survey(1, channel="sms")
        still_open = survey_factories.survey(channel="sms")
        SmsConversation.objects.create(survey=closed, phone="+46701234567")
        SmsConversation.objects.create(survey=still_open, phone="+46701234568")
        assert counts(run("surveys.sms_numbers"), "surveys.sms_numbers") == {"numbers": 1}
        assert sorted(SmsConversation.objects.values_list("phone", flat=True)) == [
            "",
            "+46701234568",
        ]


class TestForum:
    def test_posts_of_a_closed_account_stay_and_lose_what_ties_them_to_the_person(self):
        forum = forum_factories.forum()
        thread = forum_factories.thread(forum)
        gone = forum_factories.citizen()
        left = forum_factories.citizen()
        old = forum_factories.post(thread, gone, ip_hash="x" * 64)
        recent = forum_factories.post(thread, left, ip_hash="y" * 64)
        Agree.objects.create(post=recent, user=gone)
        type(gone).objects.filter(pk=gone.pk).update(closed_at=ago(32), is_active=False)
        type(left).objects.filter(pk=left.pk).update(closed_at=ago(29), is_active=False)
        result = run("forum.closed_accounts")
        assert counts(result, "forum.closed_accounts") == {"posts": 1, "agrees": 1}
        old.refresh_from_db()
        recent.refresh_from_db()
        assert (old.ip_hash, old.shown_name) == ("", "Avslutat konto")
        assert old.text == "Jag håller med."
        assert recent.ip_hash == "y" * 64

    def test_address_hashes_of_posts_go_after_three_months(self):
        thread = forum_factories.thread(forum_factories.forum())
        old = forum_factories.post(thread, ip_hash="x" * 64, created_at=ago(95))
        recent = forum_factories.post(thread, ip_hash="y" * 64, created_at=ago(85))
        assert counts(run("forum.ip_hashes"), "forum.ip_hashes") == {"posts": 1}
        assert Post.objects.get(pk=old.pk).ip_hash == ""
        assert Post.objects.get(pk=recent.pk).ip_hash == "y" * 64


class TestNotifications:
    def test_phone_codes_go_a_month_after_they_were_sent(self):
        subscription = SubscriptionFactory(phone="+46701234567")
        for days in (31, 29):
            PhoneCode.objects.create(
                subscription=subscription,
                phone="+46701234567",
                code_hash="h",
                created_at=ago(days),
                expires_at=ago(days) + datetime.timedelta(minutes=15),
            )
        result = run("notifications.phone_codes")
        assert counts(result, "notifications.phone_codes") == {"phone_codes": 1}
        assert PhoneCode.objects.count() == 1
        subscription.refresh_from_db()
        assert subscription.phone == "+46701234567"

    def test_delivery_records_follow_notifications_retention_days_by_default(self, settings):
        from torget.notifications.models import Delivery, DeliveryStatus
        from torget.notifications.services import notify

        settings.NOTIFICATIONS_RETENTION_DAYS = 10
        notify(template="test.event", context={"title": "A", "url": "/"}, emails=["a@x.se"])
        notify(template="test.event", context={"title": "B", "url": "/"}, emails=["b@x.se"])
        Delivery.objects.update(status=DeliveryStatus.SENT)
        Delivery.objects.filter(to="a@x.se").update(created_at=ago(11))
        Delivery.objects.filter(to="b@x.se").update(created_at=ago(9))
        result = run("notifications.deliveries")
        assert counts(result, "notifications.deliveries")["deliveries"] == 1
        assert list(Delivery.objects.values_list("to", flat=True)) == ["b@x.se"]


class TestAuditLog:
    def test_entries_older_than_the_long_default_go_and_newer_stay(self):
        # Written with their time, as the append-only log allows no update (nor, on
        # PostgreSQL, any delete but the plan's deliberate one).
        old = AuditEntry.objects.create(action="case.status", at=ago(3660))
        recent = AuditEntry.objects.create(action="case.status", at=ago(3640))
        result = run("audit.entries")
        assert counts(result, "audit.entries") == {"entries": 1}
        assert not AuditEntry.objects.filter(pk=old.pk).exists()
        assert AuditEntry.objects.filter(pk=recent.pk).exists()

    @pytest.mark.postgres
    def test_on_postgresql_the_trigger_lets_only_the_plans_delete_through(self, postgres_only):
        from django.db import DatabaseError, connection, transaction

        old = AuditEntry.objects.create(action="case.status", at=ago(3660))
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [old.pk])
        assert counts(run("audit.entries"), "audit.entries") == {"entries": 1}
        assert not AuditEntry.objects.filter(pk=old.pk).exists()
