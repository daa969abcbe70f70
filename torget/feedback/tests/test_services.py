import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.feedback import selectors, services
from torget.feedback.models import Case, CaseStatus, CaseUpdate, CategoryRoute, Kind, UpdateKind
from torget.feedback.tests.factories import CategoryFactory, OpinionCategoryFactory, make_case
from torget.geo.models import AreaKind
from torget.geo.tests.factories import AreaFactory, square
from torget.notifications.models import Delivery, Subscription
from torget.organisation.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler():
    return user_with_role(Role.CONTACT_CENTRE)


def test_a_fault_report_gets_a_number_a_due_date_and_a_receipt():
    with freeze_time("2026-12-23 20:00:00+01:00"):
        case = make_case(reporter_email="Anna@Example.se", reply_channel="epost")
    assert case.number == f"2026-{case.pk:05d}"
    assert case.status.slug == "mottaget" and case.is_open and case.is_public
    # 23 Dec + 5 working days skips julafton, juldagen, annandag, the weekend and nyårsafton.
    assert case.respond_by == datetime.date(2027, 1, 5)
    delivery = Delivery.objects.get()
    assert delivery.to == "anna@example.se"
    assert delivery.notification.template == "feedback.received"
    assert delivery.notification.context["follow_url"] == f"/arende/{case.token}/"
    assert CaseUpdate.objects.filter(case=case, kind=UpdateKind.CREATED).exists()
    assert AuditEntry.objects.filter(action="case.created", object_id=str(case.pk)).exists()


def test_opinions_are_never_public():
    case = make_case(kind=Kind.COMPLAINT, description="Maten i skolan är kall.")
    assert not case.is_public
    assert not selectors.cases_public().filter(pk=case.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"lat": None, "lon": None, "address": ""}, "address"),
        ({"lat": 10.0, "lon": 10.0}, "lat"),
        ({"reply_channel": "epost"}, "reporter_email"),
        ({"reply_channel": "sms", "reporter_phone": "hej"}, "reporter_phone"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(changes, field):
    AreaFactory(kind=AreaKind.MUNICIPALITY, geometry=square(15.0, 58.0, 1.0))
    category = CategoryFactory()
    values = {"description": "Trasig lampa", "lat": 58.5, "lon": 15.5, "address": ""} | changes
    with pytest.raises(services.CaseError) as error:
        services.case_create(kind=Kind.FAULT, category=category, **values)
    assert field in error.value.message_dict
    assert not Case.objects.exists() and not Delivery.objects.exists()


def test_a_category_for_opinions_cannot_take_a_fault_report():
    with pytest.raises(services.CaseError) as error:
        make_case(kind=Kind.FAULT, category=OpinionCategoryFactory())
    assert "category" in error.value.message_dict


def test_faults_are_routed_by_the_smallest_area_with_a_route():
    outer = AreaFactory(kind=AreaKind.MUNICIPALITY, geometry=square(15.0, 58.0, 1.0))
    inner = AreaFactory(parent=outer, geometry=square(15.4, 58.4, 0.2))
    category = CategoryFactory()
    service_unit = UnitFactory()
    CategoryRoute.objects.create(
        category=category,
        area=inner,
        administration=service_unit.administration,
        unit=service_unit,
    )
    inside = make_case(category=category, lat=58.5, lon=15.5)
    outside = make_case(category=category, lat=58.9, lon=15.9)
    assert inside.area == inner and inside.unit == service_unit
    assert outside.area == outer and outside.administration == category.administration


def test_replying_stops_the_clock_and_tells_the_reporter_by_sms(handler):
    case = make_case(reporter_phone="070-123 45 67", reply_channel="sms")
    answered = CaseStatus.objects.get(slug="besvarat")
    services.case_reply(case=case, actor=handler, text="Vi byter lampan i veckan.", status=answered)
    case.refresh_from_db()
    assert case.first_response_at is not None and case.status == answered
    assert Delivery.objects.filter(
        to="+46701234567", notification__template="feedback.reply"
    ).exists()
    much_later = timezone.localdate() + datetime.timedelta(days=30)
    assert not Case.objects.filter(selectors.overdue_q(much_later), pk=case.pk).exists()


def test_an_unanswered_case_is_overdue_after_its_due_date():
    case = make_case()
    assert not selectors.is_overdue(case, case.respond_by)
    assert selectors.is_overdue(case, case.respond_by + datetime.timedelta(days=1))


def test_a_citizen_cannot_handle_a_case(citizen):
    case = make_case()
    with pytest.raises(PermissionDenied):
        services.case_note(case=case, actor=citizen, text="hej")


def test_merge_closes_the_duplicate_and_keeps_its_followers(handler, citizen):
    original = make_case()
    duplicate = make_case(
        category=original.category, reporter_email="b@example.se", reply_channel="epost"
    )
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Case)
    Subscription.objects.create(user=citizen, target_type=ct, target_id=duplicate.pk)
    services.case_merge(duplicate=duplicate, into=original, actor=handler)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original and not duplicate.is_open
    followers = Subscription.objects.filter(target_type=ct, target_id=original.pk)
    assert {s.user_id for s in followers} == {citizen.pk, None}
    assert followers.filter(email="b@example.se").exists()
    with pytest.raises(services.CaseError):
        services.case_merge(duplicate=original, into=duplicate, actor=handler)


def test_retention_removes_personal_data_but_keeps_the_statistics(handler):
    case = make_case(
        kind=Kind.QUESTION,
        description="Jag bor på Storgatan 1",
        reporter_name="Anna",
        reporter_email="anna@example.se",
        reply_channel="epost",
    )
    services.case_note(case=case, actor=handler, text="Ringde Anna")
    services.case_set_status(
        case=case, status=CaseStatus.objects.get(slug="avslutat"), actor=handler
    )
    assert services.cases_anonymize_expired() == 0
    later = timezone.now() + datetime.timedelta(days=365 * 3)
    assert services.cases_anonymize_expired(now=later) == 1
    case.refresh_from_db()
    assert (case.reporter_name, case.reporter_email, case.description) == ("", "", "")
    assert case.category and case.created_at and case.closed_at and case.anonymized_at
    assert not CaseUpdate.objects.filter(case=case).exclude(text="").exclude(kind="status").exists()
    assert services.cases_anonymize_expired(now=later) == 0


def test_followers_of_a_public_fault_report_hear_when_it_changes(client, handler, drain):
    case = make_case()
    response = client.post(
        f"/bevaka/felanmalan/{case.pk}/",
        {"email": "granne@example.se", "channels": ["email"], "frequency": "immediate"},
    )
    assert response.status_code == 200
    subscription = Subscription.objects.get(email="granne@example.se")
    assert subscription.target == case
    subscription.confirmed_at = timezone.now()  # as the confirmation link does
    subscription.save()
    services.case_set_status(case=case, status=CaseStatus.objects.get(slug="pagar"), actor=handler)
    drain()
    delivery = Delivery.objects.get(
        to="granne@example.se", notification__template="feedback.status"
    )
    assert delivery.notification.context["status"] == "Pågår"


def test_an_opinion_cannot_be_followed_by_the_public(client):
    case = make_case(kind=Kind.COMPLAINT)
    assert client.get(f"/bevaka/felanmalan/{case.pk}/").status_code == 404
