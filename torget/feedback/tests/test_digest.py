"""The daily digest of overdue cases to each responsible unit, and its schedule."""

import pytest
from django.apps import apps
from django.core import mail
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.feedback import digest, services
from torget.feedback.models import CaseStatus, Kind
from torget.feedback.tests.factories import CategoryFactory, OpinionCategoryFactory, make_case
from torget.notifications.models import Delivery, Notification
from torget.organisation.models import Municipality
from torget.organisation.tests.factories import AdministrationFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def municipality():
    municipality, _ = Municipality.objects.update_or_create(
        pk=Municipality.SINGLETON_PK,
        defaults={"name": "Storeby", "feedback_sla_days": 5, "feedback_retention_months": 24},
    )
    return municipality


@pytest.fixture
def handler():
    return user_with_role(Role.CONTACT_CENTRE)


@pytest.fixture
def streets():
    """Street lighting goes to the street unit's own address."""
    unit = UnitFactory(name="Gatuenheten", email="gata@storeby.se")
    return CategoryFactory(name="Gatubelysning", administration=unit.administration, unit=unit)


@pytest.fixture
def schools():
    """School opinions go to the förvaltning, which has an address but no unit."""
    administration = AdministrationFactory(name="Utbildningsförvaltningen", email="utb@storeby.se")
    return OpinionCategoryFactory(name="Skolmat", administration=administration)


def received(when, **kwargs):
    with freeze_time(when):
        return make_case(**kwargs)


def digests():
    return Delivery.objects.filter(notification__template="feedback.digest").select_related(
        "notification"
    )


def tick(when):
    with freeze_time(when):
        return apps.get_app_config("feedback").on_tick()


class TestDigest:
    def test_overdue_unanswered_cases_are_listed_once_per_unit_address(
        self, streets, schools, handler, drain
    ):
        # Both received Monday 2 November 2026, due Monday 9 November.
        lamp = received("2026-11-02 09:00:00+01:00", category=streets, address="Storgatan 1")
        lamp2 = received("2026-11-03 09:00:00+01:00", category=streets, address="Storgatan 9")
        food = received("2026-11-02 10:00:00+01:00", kind=Kind.COMPLAINT, category=schools)
        assert lamp.respond_by.isoformat() == "2026-11-09"

        with freeze_time("2026-11-11 07:05:00+01:00"):
            assert digest.digest_send() == 2
            drain()

        by_address = {d.to: d for d in digests()}
        assert set(by_address) == {"gata@storeby.se", "utb@storeby.se"}
        street_context = by_address["gata@storeby.se"].notification.context
        assert [c["number"] for c in street_context["cases"]] == [lamp.number, lamp2.number]
        assert street_context["cases"][0] == {
            "number": lamp.number,
            "category": "Gatubelysning",
            "kind": "Felanmälan",
            "received": "2026-11-02",
            "respond_by": "2026-11-09",
            "url": f"/personal/arenden/{lamp.pk}/",
        }
        school_mail = next(m for m in mail.outbox if m.to == ["utb@storeby.se"])
        assert "1 försenat ärende utan svar" in school_mail.subject
        assert food.number in school_mail.body
        assert "Skolmat" in school_mail.body
        assert "Kom in 2026-11-02, skulle ha besvarats senast 2026-11-09" in school_mail.body
        assert f"/personal/arenden/{food.pk}/" in school_mail.body
        street_mail = next(m for m in mail.outbox if m.to == ["gata@storeby.se"])
        assert "2 försenade ärenden utan svar" in street_mail.subject
        assert "Gatuenheten har 2 ärenden" in street_mail.body

    def test_answered_closed_and_not_yet_due_cases_are_not_listed(self, streets, handler):
        answered = received("2026-11-02 09:00:00+01:00", category=streets, address="A")
        with freeze_time("2026-11-10 09:00:00+01:00"):  # late, but answered
            services.case_reply(case=answered, actor=handler, text="Vi lagar lampan.")
        closed = received("2026-11-02 09:00:00+01:00", category=streets, address="B")
        with freeze_time("2026-11-03 09:00:00+01:00"):
            services.case_set_status(
                case=closed, status=CaseStatus.objects.get(slug="atgardat"), actor=handler
            )
        overdue = received("2026-11-02 09:00:00+01:00", category=streets, address="C")
        received("2026-11-06 09:00:00+01:00", category=streets, address="D")  # due 13 Nov

        with freeze_time("2026-11-11 08:00:00+01:00"):
            assert digest.digest_send() == 1
        (delivery,) = digests()
        assert [c["number"] for c in delivery.notification.context["cases"]] == [overdue.number]

    def test_on_the_due_day_a_case_is_not_yet_overdue(self, streets):
        received("2026-11-02 09:00:00+01:00", category=streets, address="A")
        with freeze_time("2026-11-09 16:00:00+01:00"):
            assert digest.digest_send() == 0
        assert not Notification.objects.filter(template="feedback.digest").exists()

    def test_nothing_is_sent_when_nothing_is_overdue(self, streets):
        assert digest.digest_send() == 0
        assert not Notification.objects.filter(template="feedback.digest").exists()

    def test_a_unit_without_an_address_is_reached_through_its_forvaltning(self):
        administration = AdministrationFactory(email="teknik@storeby.se")
        unit = UnitFactory(administration=administration, email="")
        category = CategoryFactory(administration=administration, unit=unit)
        received("2026-11-02 09:00:00+01:00", category=category, address="A")
        with freeze_time("2026-11-11 08:00:00+01:00"):
            assert digest.digest_send() == 1
        assert [d.to for d in digests()] == ["teknik@storeby.se"]

    def test_merged_duplicates_are_not_listed(self, streets, handler):
        original = received("2026-11-02 09:00:00+01:00", category=streets, address="A")
        duplicate = received("2026-11-02 09:30:00+01:00", category=streets, address="A")
        services.case_merge(duplicate=duplicate, into=original, actor=handler)
        with freeze_time("2026-11-11 08:00:00+01:00"):
            digest.digest_send()
        (delivery,) = digests()
        assert [c["number"] for c in delivery.notification.context["cases"]] == [original.number]


class TestSchedule:
    def test_once_a_working_day_from_seven(self, streets):
        received("2026-11-02 09:00:00+01:00", category=streets, address="A")  # due 9 Nov
        assert tick("2026-11-11 06:59:00+01:00").get("digests") is None  # before 07:00
        assert tick("2026-11-11 07:01:00+01:00")["digests"] == 1
        assert tick("2026-11-11 07:02:00+01:00").get("digests") is None  # once a day
        assert tick("2026-11-11 16:00:00+01:00").get("digests") is None
        assert tick("2026-11-12 07:00:30+01:00")["digests"] == 1  # the next morning again
        assert digests().count() == 2

    def test_not_on_weekends_and_holidays_around_christmas(self, streets):
        # Received the day before julafton: 5 working days skip julafton, juldagen,
        # annandag jul, the weekend and nyårsafton, so it is due Tuesday 5 January 2027.
        case = received("2026-12-23 10:00:00+01:00", category=streets, address="A")
        assert case.respond_by.isoformat() == "2027-01-05"
        assert tick("2027-01-05 08:00:00+01:00").get("digests") == 0  # due today: not overdue
        # 6 January, trettondedag jul, is a holiday: no digest although it is overdue.
        assert tick("2027-01-06 08:00:00+01:00").get("digests") is None
        assert tick("2027-01-07 08:00:00+01:00")["digests"] == 1
        # Saturday and Sunday: nothing.
        assert tick("2027-01-09 08:00:00+01:00").get("digests") is None
        assert tick("2027-01-10 08:00:00+01:00").get("digests") is None
        assert tick("2027-01-11 08:00:00+01:00")["digests"] == 1
        assert digests().count() == 2

    def test_the_sweep_leaves_retention_to_the_retention_plan(self, streets, handler):
        case = received(
            "2024-01-02 10:00:00+01:00",
            category=streets,
            address="A",
            reporter_email="anna@example.se",
            reply_channel="epost",
        )
        with freeze_time("2024-01-03 10:00:00+01:00"):
            services.case_set_status(
                case=case, status=CaseStatus.objects.get(slug="avslutat"), actor=handler
            )
        assert "anonymized" not in tick("2026-11-14 03:00:00+01:00")
        case.refresh_from_db()
        assert case.anonymized_at is None and case.reporter_email == "anna@example.se"
        # The plan's nightly run does it (torget/retention/tests/test_kinds.py).
