import datetime
import io
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, UserFactory
from torget.audit.models import AuditEntry
from torget.identity import selectors, services
from torget.identity.models import Residence, Resident, ResidentImport, Verification
from torget.identity.tests.factories import VerificationFactory, make_pin


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


def full_width(text: str) -> str:
    """The number as typed on a full-width (East Asian) keyboard: ０１２…, and "－"."""
    return text.translate({ord("-"): "\uff0d", **{ord(str(d)): 0xFF10 + d for d in range(10)}})


def request_with(*, verification=None, user=None):
    request = RequestFactory().get("/")
    request.session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    if verification is not None:
        request.session[selectors.SESSION_KEY] = verification.pk
    request.user = user or AnonymousUser()
    return request


@pytest.mark.django_db
class TestResidentRegisterImport:
    def test_a_header_row_is_skipped(self):
        a, b = make_pin(), make_pin()
        source = services.resident_register_import(
            file=csv_file(f"Personnummer;Namn\n{a.digits};Anna\n{b};Bo\n"), actor=None
        )
        assert source.row_count == 2
        assert set(Resident.objects.values_list("person_key", flat=True)) == {a.key, b.key}

    @pytest.mark.parametrize("separator", [";", ","])
    def test_semicolon_or_comma_separated(self, separator):
        a, b = make_pin(), make_pin()
        text = f"{a.digits}{separator}Anna{separator}Storgatan 1\n{b.digits}{separator}Bo{separator}x\n"
        assert services.resident_register_import(file=csv_file(text), actor=None).row_count == 2
        assert selectors.residence_of(a.key) == Residence.YES

    def test_an_invalid_row_refuses_the_whole_file_and_keeps_the_old_register(self):
        old = make_pin()
        first = services.resident_register_import(file=csv_file(f"{old.digits}\n"), actor=None)
        new = make_pin()
        bad = new.digits[:-1] + str((int(new.digits[-1]) + 1) % 10)
        with pytest.raises(services.RegisterImportError) as refused:
            services.resident_register_import(
                file=csv_file(f"personnummer\n{new.digits}\n{bad}\n"), actor=None
            )
        assert refused.value.messages[0].startswith("Rad 3:")
        assert list(Resident.objects.values_list("person_key", flat=True)) == [old.key]
        assert ResidentImport.objects.get(is_current=True) == first

    def test_a_new_import_replaces_the_previous(self):
        a, b = make_pin(), make_pin()
        first = services.resident_register_import(file=csv_file(f"{a.digits}\n"), actor=None)
        second = services.resident_register_import(file=csv_file(f"{b.digits}\n"), actor=None)
        assert ResidentImport.objects.get(is_current=True) == second
        first.refresh_from_db()
        assert not first.is_current
        assert selectors.residence_of(a.key) == Residence.NO
        assert selectors.residence_of(b.key) == Residence.YES

    def test_numbers_in_another_digit_script_are_the_same_people(self):
        a, b = make_pin(), make_pin()
        arabic_indic = a.digits.translate({ord(str(d)): 0x0660 + d for d in range(10)})
        services.resident_register_import(
            file=csv_file(f"{full_width(str(b))}\n{arabic_indic}\n{a.digits}\n"), actor=None
        )
        assert set(Resident.objects.values_list("person_key", flat=True)) == {a.key, b.key}

    def test_an_empty_file_is_refused(self):
        with pytest.raises(services.RegisterImportError):
            services.resident_register_import(file=csv_file("personnummer\n"), actor=None)
        assert not ResidentImport.objects.exists()

    def test_no_number_is_stored_in_clear(self):
        pins = [make_pin() for _ in range(3)]
        services.resident_register_import(
            file=csv_file("\n".join(str(p) for p in pins)), actor=None
        )
        stored = " ".join(
            [
                *Resident.objects.values_list("person_key", flat=True),
                *(str(row) for row in ResidentImport.objects.values_list()),
                *(str(row) for row in AuditEntry.objects.values_list()),
            ]
        )
        for pin in pins:
            assert pin.digits not in stored
            assert pin.digits[2:] not in stored


@pytest.mark.django_db
class TestResidence:
    def test_unknown_without_a_register(self):
        assert selectors.residence_of(make_pin().key) == Residence.UNKNOWN

    def test_yes_or_no_with_a_register(self):
        resident, visitor = make_pin(), make_pin()
        services.resident_register_import(file=csv_file(f"{resident.digits}\n"), actor=None)
        assert selectors.residence_of(resident.key) == Residence.YES
        assert selectors.residence_of(visitor.key) == Residence.NO

    def test_an_assisted_verification_reads_the_register(self):
        pin = make_pin()
        services.resident_register_import(file=csv_file(f"{pin.digits}\n"), actor=None)
        staff = UserFactory(role=Role.CONTACT_CENTRE)
        verification = services.verification_assisted(
            pin=pin, evidence="Körkort visat i receptionen", staff=staff
        )
        assert verification.residence == Residence.YES
        assert verification.method == "assisted"
        assert verification.registered_by == staff


@pytest.mark.django_db
class TestFreshVerification:
    def test_it_counts_for_the_fresh_period_and_then_expires(self, settings):
        start = timezone.now()
        with freeze_time(start):
            verification = VerificationFactory()
        request = request_with(verification=verification)
        fresh = datetime.timedelta(seconds=settings.IDENTITY_FRESH_SECONDS)
        with freeze_time(start + fresh - datetime.timedelta(seconds=1)):
            assert selectors.fresh_verification(request) == verification
        with freeze_time(start + fresh + datetime.timedelta(seconds=1)):
            assert selectors.fresh_verification(request) is None

    def test_a_shorter_period_can_be_asked_for(self):
        start = timezone.now()
        with freeze_time(start):
            verification = VerificationFactory()
        with freeze_time(start + datetime.timedelta(minutes=2)):
            request = request_with(verification=verification)
            assert (
                selectors.fresh_verification(request, max_age=datetime.timedelta(minutes=1)) is None
            )

    def test_nothing_without_a_verification_in_the_session(self):
        assert selectors.fresh_verification(request_with()) is None

    def test_it_belongs_to_the_account_it_was_made_in(self):
        owner, other = CitizenFactory(), CitizenFactory()
        verification = VerificationFactory(user=owner)
        assert selectors.fresh_verification(request_with(verification=verification, user=owner))
        assert (
            selectors.fresh_verification(request_with(verification=verification, user=other))
            is None
        )
        assert selectors.fresh_verification(request_with(verification=verification)) is None

    def test_an_anonymous_verification_follows_the_browser(self):
        verification = VerificationFactory()
        assert selectors.fresh_verification(request_with(verification=verification)) == verification

    def test_forgetting_it(self):
        request = request_with(verification=VerificationFactory())
        services.verification_forget(request=request)
        assert selectors.fresh_verification(request) is None


@pytest.mark.django_db
class TestDemoMethod:
    def test_the_demo_page_records_a_verification(self, client):
        pin = make_pin()
        assert client.get("/legitimera/demo/", {"next": "/mina-sidor/"}).status_code == 200
        response = client.post(
            "/legitimera/demo/",
            {"pin": str(pin), "residence": Residence.NO, "next": "/mina-sidor/"},
        )
        assert response.status_code == 302
        assert response["Location"] == "/mina-sidor/"
        verification = Verification.objects.get()
        assert verification.method == "demo"
        assert verification.person_key == pin.key
        assert verification.residence == Residence.NO
        assert client.session[selectors.SESSION_KEY] == verification.pk

    def test_a_number_in_full_width_digits_gives_the_same_key_as_in_ascii(self, client):
        pin = make_pin()
        response = client.post(
            "/legitimera/demo/", {"pin": f" {full_width(str(pin))} ", "residence": "ja"}
        )
        assert response.status_code == 302
        assert Verification.objects.get().person_key == pin.key

    def test_an_invalid_number_is_shown_again_with_the_reason(self, client):
        response = client.post("/legitimera/demo/", {"pin": "811218-9875", "residence": "ja"})
        assert response.status_code == 200
        assert "stämmer inte" in response.text
        assert not Verification.objects.exists()

    def test_the_next_address_must_be_on_this_site(self, client):
        response = client.post(
            "/legitimera/demo/",
            {"pin": str(make_pin()), "residence": "ja", "next": "https://evil.example/"},
        )
        assert response["Location"] == "/"

    def test_the_demo_method_is_offered_in_the_test_profile(self, client, settings):
        settings.OIDC_ISSUER = ""
        response = client.get("/legitimera/", {"metod": "visa"})
        assert "/legitimera/demo/" in response.text

    def test_the_system_check_refuses_the_demo_method_in_production(self, settings):
        settings.IS_PRODUCTION = True
        errors = [e for e in checks.run_checks(tags=["torget"]) if e.id == "torget.E101"]
        assert len(errors) == 1
        settings.IDENTITY_METHODS = ["torget.identity.methods.oidc.OIDCMethod"]
        assert not [e for e in checks.run_checks(tags=["torget"]) if e.id == "torget.E101"]

    def test_the_system_check_is_quiet_outside_production(self, settings):
        settings.IS_PRODUCTION = False
        assert not [e for e in checks.run_checks(tags=["torget"]) if e.id == "torget.E101"]


@pytest.mark.django_db
class TestResidentRegisterPage:
    URL = "/personal/folkbokforda/"

    def test_anonymous_visitors_are_refused(self, client):
        response = client.get(self.URL)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/logga-in/" in response["Location"] or "login" in response["Location"]

    def test_citizens_are_refused(self, client):
        client.force_login(CitizenFactory())
        assert client.get(self.URL).status_code == 403

    def test_an_official_without_the_permission_is_refused(self, client):
        client.force_login(UserFactory(role=Role.OFFICIAL))
        assert client.get(self.URL).status_code == 403

    def test_an_administrator_uploads_the_register(self, client):
        admin = UserFactory(role=Role.ADMINISTRATOR)
        client.force_login(admin)
        assert client.get(self.URL).status_code == 200
        a, b = make_pin(), make_pin()
        upload = SimpleUploadedFile(
            "folkbokforda.csv", f"personnummer\n{a}\n{b.digits}\n".encode(), "text/csv"
        )
        response = client.post(self.URL, {"file": upload})
        assert response.status_code == 302
        source = ResidentImport.objects.get(is_current=True)
        assert source.row_count == 2
        assert source.imported_by == admin
        assert "2 personer" in client.get(self.URL).text

    def test_an_invalid_file_shows_the_line(self, client):
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        upload = SimpleUploadedFile("f.csv", b"811218-9876\n811218-9875\n", "text/csv")
        response = client.post(self.URL, {"file": upload})
        assert response.status_code == 200
        assert "Rad 2" in response.text
        assert not ResidentImport.objects.exists()
