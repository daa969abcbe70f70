import pytest
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.retention import services
from torget.retention.models import RetentionRule, RetentionRun

pytestmark = pytest.mark.django_db


class TestPublicPlan:
    def test_every_kind_is_listed_with_its_period_and_the_municipalitys_decision(self, client):
        services.rule_set(
            kind="meetings.registrations",
            amount=2,
            unit="months",
            decision_reference="KS 2026/118",
        )
        page = client.get(reverse("retention:plan")).content.decode()
        assert "<h1>Gallringsplan</h1>" in page
        assert "Behov av stöd i anmälningar till möten" in page
        assert "1 dag när mötet har slutat" in page
        assert "2 månader när mötet har slutat" in page
        assert "KS 2026/118" in page
        assert "Säkerhetskopior" in page
        assert "Ingen gallring har gjorts ännu" in page
        assert reverse("retention:runs") not in page

    def test_the_last_run_is_shown(self, client):
        services.plan_run()
        page = client.get(reverse("retention:plan")).content.decode()
        assert "Senaste gallringen gjordes" in page

    def test_the_footer_links_to_the_plan(self, client):
        assert reverse("retention:plan") in client.get("/").content.decode()


class TestRunLog:
    def test_administrators_see_each_run_with_its_counts(self, client):
        services.plan_run()
        client.force_login(user_with_role(Role.ADMINISTRATOR))
        page = client.get(reverse("retention:runs")).content.decode()
        assert "Manuell körning" in page
        assert "Behov av stöd i anmälningar till möten: needs 0" in page

    def test_an_empty_log_says_so(self, client):
        client.force_login(user_with_role(Role.ADMINISTRATOR))
        page = client.get(reverse("retention:runs")).content.decode()
        assert "Ingen gallring har gjorts ännu" in page

    def test_other_staff_are_refused(self, client):
        client.force_login(user_with_role(Role.OFFICIAL))
        assert client.get(reverse("retention:runs")).status_code == 403


class TestAdmin:
    def test_an_administrator_sets_a_kinds_period_through_the_service(self, client):
        admin = user_with_role(Role.ADMINISTRATOR, is_staff=True)
        client.force_login(admin)
        response = client.post(
            reverse("admin:retention_retentionrule_add"),
            {
                "kind": "surveys.participations",
                "amount": "6",
                "unit": "months",
                "is_active": "on",
                "decision_reference": "KS 2026/7",
                "note": "",
            },
        )
        assert response.status_code == 302
        rule = RetentionRule.objects.get(kind="surveys.participations")
        assert (rule.amount, rule.unit, rule.updated_by) == (6, "months", admin)

    def test_the_run_log_is_read_only_in_the_admin(self, client):
        client.force_login(user_with_role(Role.ADMINISTRATOR, is_staff=True))
        services.plan_run()
        run = RetentionRun.objects.get()
        assert (
            client.get(reverse("admin:retention_retentionrun_change", args=[run.pk])).status_code
            == 200
        )
        assert client.get(reverse("admin:retention_retentionrun_add")).status_code == 403


class TestBackoffice:
    def test_the_staff_start_page_links_the_run_log_for_administrators_only(self, client):
        client.force_login(user_with_role(Role.ADMINISTRATOR))
        assert reverse("retention:runs") in client.get("/personal/").content.decode()
        client.force_login(user_with_role(Role.OFFICIAL))
        assert reverse("retention:runs") not in client.get("/personal/").content.decode()
