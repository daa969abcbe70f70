import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate as django_authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.core import demo
from torget.geo.models import Area, AreaKind
from torget.organisation.models import (
    Administration,
    Body,
    BodyKind,
    Employment,
    Party,
    UnitKind,
)

SEED_003_DISTRICTS = {
    "Ekholmen",
    "Berga",
    "Skäggetorp",
    "Innerstaden",
    "Linghem",
    "Tallboda",
    "Ryd",
    "Vikingstad",
    "Malmslätt",
    "Lambohov",
    "Johannelund",
    "Ekängen",
}


def authenticate(**credentials):
    # The lock-out backend (django-axes) counts attempts per client, so it needs a request.
    return django_authenticate(RequestFactory().post("/konto/logga-in/"), **credentials)


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
class TestLoadDemo:
    def test_builds_the_municipality_of_the_seeds(self, demo):
        committees = Body.objects.filter(kind=BodyKind.DIALOGUE_COMMITTEE)
        assert committees.count() == 7  # seed 000: 7 utskott
        outer = committees.filter(area__name__contains="landsbygden")
        assert outer.count() == 4  # 4 covering outer parts, 3 the town
        assert Body.objects.filter(kind=BodyKind.COUNCIL).count() == 1
        assert Body.objects.filter(kind=BodyKind.EXECUTIVE).count() == 1
        assert Body.objects.filter(kind=BodyKind.COMMITTEE).count() == 3
        districts = Area.objects.filter(kind__in=[AreaKind.DISTRICT, AreaKind.LOCALITY])
        assert set(districts.values_list("name", flat=True)) == SEED_003_DISTRICTS
        assert all(area.parent.kind == AreaKind.COMMITTEE_AREA for area in districts)
        assert Administration.objects.count() == 4
        for administration in Administration.objects.all():
            assert Employment.objects.filter(
                administration=administration, is_contact_person=True
            ).exists()
        units = set(Administration.objects.values_list("units__kind", flat=True))
        assert {UnitKind.CONTACT_CENTRE, UnitKind.SAFETY} <= units
        for committee in committees:
            assert committee.memberships.current().presidium().exists()

    def test_one_demo_log_in_per_role(self, demo):
        for role in Role:
            users = User.objects.filter(
                groups__name=role.value, email__endswith="@demo.storeby.example"
            )
            assert any(authenticate(username=u.email, password="torget-demo") for u in users), role

    def test_a_second_run_changes_nothing(self, demo):
        before = row_counts()
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        assert row_counts() == before
        assert "0 objects created or changed" in out.getvalue()

    def test_two_runs_from_an_empty_database_leave_the_same_rows_per_model(self, db):
        first = io.StringIO()
        call_command("load_demo", stdout=first)
        after_one = row_counts()
        second = io.StringIO()
        call_command("load_demo", stdout=second)
        assert row_counts() == after_one
        assert "0 objects created or changed" in second.getvalue()
        # Every app's part loaded something the first time.
        for label in [
            "accounts.User",
            "geo.Area",
            "organisation.Body",
            "proposals.Proposal",
            "feedback.Case",
            "dialogues.Dialogue",
            "meetings.Meeting",
            "results.ResultItem",
            "evaluation.SurveyTemplate",
        ]:
            assert after_one[label] > 0, label

    def test_prints_the_demo_log_ins(self, db):
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        assert "admin@demo.storeby.example" in out.getvalue()
        assert "torget-demo" in out.getvalue()

    def test_no_demo_log_ins_without_the_demo(self, db):
        assert not User.objects.filter(email__endswith="@demo.storeby.example").exists()


@pytest.mark.django_db
class TestLoadDemoInProduction:
    def test_refuses_in_production_without_the_flag_and_creates_no_user(self, settings):
        settings.TORGET_ENV = "production"
        with pytest.raises(CommandError, match="--force-in-production"):
            call_command("load_demo", stdout=io.StringIO())
        assert not User.objects.exists()

    def test_forced_in_production_the_admin_password_is_not_the_published_one(self, settings):
        settings.TORGET_ENV = "production"
        out = io.StringIO()
        call_command("load_demo", "--force-in-production", stdout=out)
        admin = User.objects.get(email="admin@demo.storeby.example")
        assert admin.is_staff
        assert not admin.check_password("torget-demo")
        assert "torget-demo" not in out.getvalue()

    def test_forced_in_production_the_random_password_is_printed_and_works(self, settings):
        settings.TORGET_ENV = "production"
        out = io.StringIO()
        call_command("load_demo", "--force-in-production", stdout=out)
        password = out.getvalue().split("shown only now: ")[1].split("):")[0]
        assert authenticate(username="admin@demo.storeby.example", password=password)

    def test_forced_run_in_production_replaces_the_published_password_of_an_earlier_load(
        self, demo, settings
    ):
        settings.TORGET_ENV = "production"
        call_command("load_demo", "--force-in-production", stdout=io.StringIO())
        users = User.objects.filter(email__endswith="@demo.storeby.example")
        assert users.exists()
        assert not any(user.check_password("torget-demo") for user in users)

    def test_a_second_forced_run_does_not_claim_a_new_password(self, settings):
        settings.TORGET_ENV = "production"
        call_command("load_demo", "--force-in-production", stdout=io.StringIO())
        out = io.StringIO()
        call_command("load_demo", "--force-in-production", stdout=out)
        assert "shown only now" not in out.getvalue()
        assert "printed when they were created" in out.getvalue()


@pytest.mark.django_db
class TestDemoContextEnsure:
    def test_creates_then_changes_only_what_differs(self):
        context = demo.DemoContext(password="x")  # noqa: S106
        party = context.ensure(Party, {"abbreviation": "X"}, name="Xpartiet")
        assert context.changes == 1
        assert context.ensure(Party, {"abbreviation": "X"}, name="Xpartiet") == party
        assert context.changes == 1
        context.ensure(Party, {"abbreviation": "X"}, name="Nya Xpartiet")
        assert context.changes == 2
        assert Party.objects.get(abbreviation="X").name == "Nya Xpartiet"
