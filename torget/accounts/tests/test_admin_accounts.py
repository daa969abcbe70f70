"""Accounts an administrator creates in the admin count as having a confirmed e-mail address:
the administrator typed it, and the colleague must be able to act at once (submit a proposal,
get mail) without a confirmation link first."""

import pytest
from django.contrib.auth.models import Group

from torget.accounts import services
from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.accounts.tests.factories import PASSWORD, UserFactory
from torget.audit.models import AuditEntry
from torget.organisation.models import Municipality

pytestmark = pytest.mark.django_db

ADD = "/admin/accounts/user/add/"


@pytest.fixture
def admin(client):
    administrator = UserFactory(role=Role.ADMINISTRATOR, is_superuser=True)
    client.force_login(administrator)
    return administrator


def create_in_admin(client, email: str) -> User:
    response = client.post(
        ADD,
        {
            "email": email,
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(email=email)


def test_an_account_created_in_the_admin_has_a_confirmed_address(client, admin):
    user = create_in_admin(client, "handlaggare@kommun.example")

    assert user.is_email_verified
    entry = AuditEntry.objects.filter(action="account.email_verified_by_admin").get()
    assert entry.actor_id == admin.pk


def test_staff_created_in_the_admin_may_submit_a_proposal(client, admin):
    Municipality.objects.create(name="Storeby kommun")
    user = create_in_admin(client, "tjansteperson@kommun.example")
    user.groups.add(Group.objects.get(name=Role.OFFICIAL.value))
    client.force_login(user)

    response = client.get("/forslag/nytt/")

    assert response.status_code == 200
    assert "Bekräfta din e-postadress först" not in response.content.decode()


def test_the_admin_confirms_the_address_of_an_existing_unconfirmed_account(client, admin):
    waiting = UserFactory(email_verified_at=None)
    closed_pk = UserFactory(email_verified_at=None).pk
    User.objects.filter(pk=closed_pk).update(closed_at="2026-01-01T00:00:00Z")

    response = client.post(
        "/admin/accounts/user/",
        {"action": "verify_emails", "_selected_action": [waiting.pk, closed_pk]},
        follow=True,
    )

    assert "1 e-postadress markerades som bekräftad." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.is_email_verified
    assert not User.objects.get(pk=closed_pk).is_email_verified


def test_a_citizen_who_signs_up_still_confirms_by_link():
    user = services.user_signup(email="ny@example.se", password=PASSWORD, display_name="Ny")

    assert user is not None
    assert not user.is_email_verified
