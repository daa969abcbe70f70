"""`manage.py setup_municipality` on an empty database, with the made-up Exempelby kommun
from deploy/example-municipality/."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.geo.models import Area, AreaKind
from torget.notifications.models import Delivery, Notification
from torget.organisation.models import (
    Administration,
    Body,
    BodyMembership,
    Employment,
    MemberRole,
    Municipality,
    Unit,
)

EXAMPLE = Path(settings.BASE_DIR) / "deploy" / "example-municipality"
CONFIG = EXAMPLE / "municipality.toml"

pytestmark = pytest.mark.django_db


def setup(*args: str | Path) -> str:
    out = StringIO()
    call_command("setup_municipality", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Municipality,
            Area,
            Body,
            BodyMembership,
            User,
            Administration,
            Unit,
            Employment,
        )
    }


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example folder that a test may change."""
    folder = tmp_path / "exempelby"
    shutil.copytree(EXAMPLE, folder)
    return folder / "municipality.toml"


class TestFreshDatabase:
    def test_creates_the_municipality_its_areas_bodies_and_staff(self, client):
        assert counts()["Municipality"] == 0

        output = setup(CONFIG)

        municipality = Municipality.objects.get()
        assert municipality.name == "Exempelby kommun"
        assert municipality.organisation_number == "212000-9994"
        assert (municipality.map_center_lat, municipality.map_center_lon) == (62.05, 16.30)
        assert municipality.registrar_email == "registrator@exempelby.example"

        outline = Area.objects.get(slug="exempelby-kommun")
        assert outline.kind == AreaKind.MUNICIPALITY
        committee_areas = Area.objects.filter(kind=AreaKind.COMMITTEE_AREA)
        assert {a.slug for a in committee_areas} == {
            "exempelby-tatort",
            "norra-landsbygden",
            "sodra-landsbygden",
        }
        assert all(a.parent == outline for a in committee_areas)

        assert set(Body.objects.values_list("abbreviation", flat=True)) == {
            "KF",
            "KS",
            "SBN",
            "UMD1",
            "UMD2",
        }
        utskott = Body.objects.get(abbreviation="UMD1")
        assert utskott.parent == Body.objects.get(abbreviation="KS")
        assert utskott.area.slug == "exempelby-tatort"
        presidium = BodyMembership.objects.current().presidium().filter(body__abbreviation="KS")
        assert {(m.person.full_name, m.role, m.party.abbreviation) for m in presidium} == {
            ("Lars Berg", MemberRole.CHAIR, "S"),
            ("Maja Lind", MemberRole.FIRST_VICE_CHAIR, "M"),
        }
        chair = User.objects.get(email="lars.berg@exempelby.example")
        assert chair.groups.filter(name=Role.ELECTED.value).exists()
        assert not chair.has_usable_password()

        admin = User.objects.get(email="it@exempelby.example")
        assert admin.is_staff
        assert list(admin.groups.values_list("name", flat=True)) == [Role.ADMINISTRATOR.value]
        official = User.objects.get(email="dialog@exempelby.example")
        employment = Employment.objects.get(person=official)
        assert employment.unit.name == "Kommunkansliet"
        assert employment.is_contact_person
        assert User.objects.get(email="kontaktcenter@exempelby.example").groups.get().name == (
            Role.CONTACT_CENTRE.value
        )
        # No password came from the file: each staff user gets a link to choose one.
        for user in (admin, official):
            assert not user.has_usable_password()
            assert f"{user.email}: {settings.SITE_URL}/konto/nytt-losenord/" in output
        assert "lars.berg@" not in output  # listed only as a politician: no log-in

        home = client.get("/")
        assert home.status_code == 200
        assert "Exempelby kommun" in home.content.decode()

    def test_printed_link_lets_the_user_choose_a_password_once(self, client):
        output = setup(CONFIG)
        line = next(x for x in output.splitlines() if "it@exempelby.example:" in x)
        link = line.split(": ", 1)[1].strip().removeprefix(settings.SITE_URL)

        form = client.get(link, follow=True)
        assert form.status_code == 200
        chosen = "ett-eget-langt-losenord-42"
        done = client.post(
            form.redirect_chain[-1][0], {"new_password1": chosen, "new_password2": chosen}
        )
        assert done.status_code == 302
        assert User.objects.get(email="it@exempelby.example").check_password(chosen)
        client.logout()
        again = client.get(link, follow=True)
        assert "new_password1" not in again.content.decode()

    def test_send_email_puts_the_links_in_the_outbox(self):
        setup(CONFIG, "--send-email")
        sent = Notification.objects.filter(template="accounts.password_reset")
        assert sent.count() == 3
        addresses = set(Delivery.objects.filter(notification__in=sent).values_list("to", flat=True))
        assert addresses == {
            "it@exempelby.example",
            "dialog@exempelby.example",
            "kontaktcenter@exempelby.example",
        }


class TestRunningAgain:
    def test_second_run_is_refused_without_update(self):
        setup(CONFIG)
        before = counts()
        with pytest.raises(CommandError, match="already has a municipality.*--update"):
            setup(CONFIG)
        assert counts() == before

    def test_refused_on_a_database_with_another_municipality(self):
        # As after `load_demo` or an administrator's first save of the settings.
        Municipality.objects.create(name="Storeby kommun")
        with pytest.raises(CommandError, match="already has a municipality"):
            setup(CONFIG)
        assert Municipality.objects.get().name == "Storeby kommun"
        assert not Body.objects.exists()

    def test_update_with_the_same_file_changes_nothing(self):
        setup(CONFIG)
        before = counts()
        output = setup(CONFIG, "--update")
        assert counts() == before
        assert "0 areas created, 0 updated; 0 bodies created; 0 users created" in output

    def test_update_applies_a_changed_file(self, example: Path):
        setup(example)
        text = example.read_text(encoding="utf-8")
        example.write_text(
            text.replace("population = 12400", "population = 12800").replace(
                'name = "Samhällsbyggnadsnämnden"', 'name = "Bygg- och miljönämnden"'
            ),
            encoding="utf-8",
        )
        setup(example, "--update")
        assert Municipality.objects.get().population == 12800
        assert Body.objects.get(abbreviation="SBN").name == "Bygg- och miljönämnden"
        assert Body.objects.count() == 5


class TestBadInput:
    def test_bad_geometry_names_the_feature_and_creates_nothing(self, example: Path):
        areas_file = example.parent / "utskottsomraden.geojson"
        data = json.loads(areas_file.read_text(encoding="utf-8"))
        # A bow tie: the ring crosses itself.
        data["features"][1]["geometry"]["coordinates"] = [
            [[16.0, 62.1], [16.6, 62.2], [16.6, 62.1], [16.0, 62.2], [16.0, 62.1]]
        ]
        areas_file.write_text(json.dumps(data), encoding="utf-8")

        with pytest.raises(CommandError) as raised:
            setup(example)

        message = str(raised.value)
        assert "Feature 2 (Utskottsområde Norra landsbygden)" in message
        assert "utskottsomraden.geojson" in message
        assert "Nothing was changed" in message
        assert set(counts().values()) == {0}

    def test_a_password_in_the_file_is_refused(self, example: Path):
        text = example.read_text(encoding="utf-8")
        example.write_text(
            text.replace('roles = ["administrator"]', 'roles = ["administrator"]\npassword = "x"'),
            encoding="utf-8",
        )
        with pytest.raises(CommandError, match="never put a password in the file"):
            setup(example)
        assert set(counts().values()) == {0}

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            ('roles = ["administrator"]', 'roles = ["kung"]', "unknown role 'kung'"),
            ('parent = "KS"', 'parent = "XX"', "no body 'XX'"),
            ('"212000-9994"', '"212000-9995"', "organisationsnumret"),
            ('party = "C"', 'party = "Q"', "no party 'Q'"),
            ("map_zoom = 10", "map_zoom = 40", "map_zoom"),
            ("[[parties]]", "[[parties]\n", "not valid TOML"),
            ('file = "kommun.geojson"', 'file = "saknas.geojson"', "could not read"),
        ],
    )
    def test_an_error_anywhere_names_it_and_creates_nothing(self, example, old, new, expected):
        text = example.read_text(encoding="utf-8")
        assert old in text
        example.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(CommandError, match=expected):
            setup(example)
        assert set(counts().values()) == {0}


class TestRetentionPlan:
    def test_the_files_retention_table_sets_the_plan(self):
        from torget.retention.models import RetentionRule

        output = setup(CONFIG)

        rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
        assert set(rules) == {"meetings.registrations", "feedback.requesters"}
        assert (rules["meetings.registrations"].amount, rules["meetings.registrations"].unit) == (
            2,
            "months",
        )
        assert rules["feedback.requesters"].decision_reference == "KS 2026/118"
        assert "Retention plan set" in output

    def test_an_unknown_kind_names_it_and_creates_nothing(self, example):
        text = example.read_text(encoding="utf-8")
        example.write_text(
            text.replace('[retention."feedback.requesters"]', '[retention."feedback.okand"]'),
            encoding="utf-8",
        )
        with pytest.raises(CommandError, match="feedback.okand"):
            setup(example)
        assert set(counts().values()) == {0}
