import subprocess
import sys

import pytest
from django.contrib.auth.models import Group

from torget.accounts import services
from torget.accounts.roles import Role, sync_roles
from torget.accounts.tests.factories import CitizenFactory, UserFactory
from torget.audit.models import AuditEntry


@pytest.mark.django_db
class TestRoles:
    def test_every_role_exists_as_a_group_after_migrate(self):
        assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)

    def test_roles_carry_the_permissions_their_apps_declare(self):
        official = Group.objects.get(name=Role.OFFICIAL.value)
        assert official.permissions.filter(codename="view_body").exists()
        assert not official.permissions.filter(codename="change_body").exists()
        assert not Group.objects.get(name=Role.CITIZEN.value).permissions.exists()

    def test_administrator_holds_every_torget_permission_and_user_management(self):
        admin = UserFactory(role=Role.ADMINISTRATOR)
        for perm in [
            "organisation.change_municipality",
            "geo.add_area",
            "accounts.change_user",
            "auth.change_group",
            "audit.view_auditentry",
        ]:
            assert admin.has_perm(perm), perm
        assert not admin.has_perm("audit.change_auditentry")  # the log is append-only

    def test_sync_is_repeatable(self):
        before = {
            g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()
        }
        sync_roles()
        after = {
            g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()
        }
        assert before == after

    def test_assigning_a_staff_role_opens_the_back_office_and_is_audited(self):
        user = CitizenFactory()
        services.role_assign(user=user, role=Role.CONTACT_CENTRE)
        assert user.is_staff
        services.role_remove(user=user, role=Role.CONTACT_CENTRE)
        user.refresh_from_db()
        assert not user.is_staff
        assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
            "account.role_assigned",
            "account.role_removed",
        ]


def run_django(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "torget.settings"}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


class TestProductionSettings:
    def test_production_refuses_to_start_without_a_secret_key(self):
        result = run_django(
            {"TORGET_ENV": "production", "ALLOWED_HOSTS": "x.se", "EMAIL_URL": "smtp://h:25"}, ""
        )
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr

    def test_production_is_the_default_profile_and_has_debug_off(self):
        # No TORGET_ENV: production is what an unset profile means. What production requires
        # besides (database, addresses, folders) is given, so that it starts.
        required = {
            "DATABASE_URL": "postgres://torget:secret@127.0.0.1:5432/torget",
            "SITE_URL": "https://x.se",
            "CSRF_TRUSTED_ORIGINS": "https://x.se",
            "STATIC_ROOT": "/var/lib/torget/static",
            "MEDIA_ROOT": "/var/lib/torget/media",
        }
        result = run_django(
            {
                "SECRET_KEY": "k" * 50,
                "ALLOWED_HOSTS": "x.se",
                "EMAIL_URL": "smtp://h:25",
                **required,
            },
            "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        )
        assert result.stdout.strip() == "False True", result.stderr
