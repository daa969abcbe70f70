import json

import pytest
from django.contrib.auth import get_user
from django.db import IntegrityError
from django.urls import reverse

from torget.accounts.models import User
from torget.accounts.tests.factories import PASSWORD, CitizenFactory
from torget.audit.models import AuditEntry


@pytest.mark.django_db
class TestMyPages:
    def test_requires_log_in(self, client):
        response = client.get(reverse("accounts:my_pages"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_shows_own_details(self, client):
        user = CitizenFactory(full_name="Karin Ek", phone="070-123 45 67")
        client.force_login(user)
        html = client.get(reverse("accounts:my_pages")).content.decode()
        assert "Karin Ek" in html
        assert user.email in html

    def test_profile_update_is_saved_and_audited_without_the_values(self, client):
        user = CitizenFactory(full_name="Karin Ek")
        client.force_login(user)
        response = client.post(
            reverse("accounts:profile_edit"),
            {"full_name": "Karin Ekström", "display_name": "Karin", "phone": "", "language": "en"},
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.full_name == "Karin Ekström"
        assert client.cookies["torget_language"].value == "en"
        entry = AuditEntry.objects.get(action="account.profile_updated")
        assert entry.changes == {"fields": ["full_name", "language"]}
        assert "Ekström" not in json.dumps(entry.changes)


@pytest.mark.django_db
class TestDataExport:
    def test_export_contains_the_account_and_own_activity_as_json(self, client):
        user = CitizenFactory(full_name="Karin Ek")
        client.force_login(user)
        client.post(
            reverse("accounts:profile_edit"),
            {"full_name": "Karin Ek", "display_name": "K", "phone": "", "language": "sv"},
        )
        response = client.get(reverse("accounts:data_export"))
        assert response["Content-Type"].startswith("application/json")
        assert "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        assert data["account"]["email"] == user.email
        assert data["account"]["full_name"] == "Karin Ek"
        assert data["account"]["roles"] == ["medborgare"]
        assert [a["action"] for a in data["activity"]] == ["account.profile_updated"]

    def test_export_holds_only_the_signed_in_persons_data(self, client):
        other = CitizenFactory(full_name="Annan Person")
        client.force_login(CitizenFactory())
        assert other.email not in client.get(reverse("accounts:data_export")).content.decode()


@pytest.mark.django_db
class TestCloseAccount:
    def test_closing_removes_personal_data_keeps_the_row_and_logs_out(self, client):
        user = CitizenFactory(full_name="Karin Ek", phone="0701234567", display_name="Karin")
        client.force_login(user)
        response = client.post(reverse("accounts:account_close"), {"password": PASSWORD})
        assert response.url == reverse("accounts:account_closed")
        assert not get_user(client).is_authenticated
        user.refresh_from_db()
        assert user.email == f"avslutat-{user.pk}@konto.invalid"
        assert (user.full_name, user.display_name, user.phone) == ("", "", "")
        assert not user.is_active and not user.has_usable_password()
        assert user.public_name == "Avslutat konto"
        assert not user.groups.exists()
        entry = AuditEntry.objects.get(action="account.closed")
        assert entry.object_repr == f"användare {user.pk}"  # no e-mail address left in the log

    def test_wrong_password_does_not_close(self, client):
        user = CitizenFactory()
        client.force_login(user)
        response = client.post(reverse("accounts:account_close"), {"password": "fel"})
        assert response.status_code == 200
        assert "Lösenordet stämmer inte" in response.content.decode()
        user.refresh_from_db()
        assert user.is_active

    def test_closed_account_cannot_log_in(self, client):
        user = CitizenFactory(email="karin@example.se")
        client.force_login(user)
        client.post(reverse("accounts:account_close"), {"password": PASSWORD})
        response = client.post(
            reverse("accounts:login"), {"username": "karin@example.se", "password": PASSWORD}
        )
        assert response.status_code == 200
        assert not get_user(client).is_authenticated

    def test_the_address_can_be_used_for_a_new_account_afterwards(self, client):
        user = CitizenFactory(email="karin@example.se")
        client.force_login(user)
        client.post(reverse("accounts:account_close"), {"password": PASSWORD})
        assert CitizenFactory(email="karin@example.se").pk != user.pk


@pytest.mark.django_db
class TestEmailUniqueness:
    def test_the_same_address_in_another_letter_case_is_refused_by_the_database(self):
        User.objects.create_user("karin@example.se")
        with pytest.raises(IntegrityError):
            User.objects.bulk_create([User(email="KARIN@example.se")])

    def test_manager_normalises_the_address(self):
        assert User.objects.create_user("  Karin@Example.SE ").email == "karin@example.se"
