"""Staff sessions end when idle and after a working day; citizens' sessions do not."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role


@pytest.fixture
def limits(settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    settings.STAFF_SESSION_MAX_HOURS = 10
    return settings


def page(client):
    return client.get(reverse("accounts:my_pages"))


@pytest.mark.django_db
class TestStaffSessionTimeout:
    def test_an_idle_staff_session_ends_with_a_message(self, client, limits):
        start = timezone.now()
        with freeze_time(start):
            client.force_login(user_with_role(Role.OFFICIAL))
            assert page(client).status_code == 200
        with freeze_time(start + timedelta(minutes=31)):
            response = page(client)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
            assert not get_user(client).is_authenticated
            login_page = client.get(response["Location"]).content.decode()
        assert "Du har loggats ut eftersom det gått en tid" in login_page

    def test_activity_keeps_a_staff_session_open(self, client, limits):
        start = timezone.now()
        with freeze_time(start):
            client.force_login(user_with_role(Role.OFFICIAL))
        for minutes in (20, 40, 60, 80):
            with freeze_time(start + timedelta(minutes=minutes)):
                assert page(client).status_code == 200

    def test_a_staff_session_ends_after_the_most_hours_however_active(self, client, limits):
        start = timezone.now()
        with freeze_time(start):
            client.force_login(user_with_role(Role.CONTACT_CENTRE))
        for minutes in range(20, 10 * 60, 20):
            with freeze_time(start + timedelta(minutes=minutes)):
                assert page(client).status_code == 200
        with freeze_time(start + timedelta(hours=10, minutes=1)):
            assert page(client).status_code == 302
            assert not get_user(client).is_authenticated

    def test_a_citizen_session_is_not_ended_when_idle(self, client, limits):
        start = timezone.now()
        with freeze_time(start):
            client.force_login(CitizenFactory())
        with freeze_time(start + timedelta(hours=12)):
            assert page(client).status_code == 200

    def test_zero_switches_the_limits_off(self, client, settings):
        settings.STAFF_SESSION_IDLE_MINUTES = 0
        settings.STAFF_SESSION_MAX_HOURS = 0
        start = timezone.now()
        with freeze_time(start):
            client.force_login(user_with_role(Role.OFFICIAL))
        with freeze_time(start + timedelta(hours=12)):
            assert page(client).status_code == 200
