"""The feedback admin: an Open311 integration's key is shown once, stored hashed and works;
cases are read-only there (every change goes through the services)."""

import hashlib
import re

import pytest
from django.contrib.messages import get_messages

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.feedback.models import ApiClient, Case, CaseStatus, Category, CategoryAttribute
from torget.feedback.services import statuses_ensure_defaults
from torget.feedback.tests.factories import CategoryFactory, make_api_client, make_case

pytestmark = pytest.mark.django_db

KEY_IN_MESSAGE = re.compile(r"Nyckeln för .+ är (\S+) – kopiera den nu")


@pytest.fixture
def admin_client(client):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    return client


def shown_keys(response) -> list[str]:
    return [
        match.group(1)
        for message in get_messages(response.wsgi_request)
        if (match := KEY_IN_MESSAGE.search(str(message)))
    ]


def open311_post(client, key: str):
    Category.objects.filter(code="gatubelysning").exists() or CategoryFactory(code="gatubelysning")
    return client.post(
        "/open311/v2/requests.xml",
        {"api_key": key, "service_code": "gatubelysning", "address_string": "Storgatan 1"},
    )


class TestApiClientKeys:
    def test_a_new_integration_shows_its_key_once_stored_as_a_hash(self, admin_client):
        response = admin_client.post(
            "/admin/feedback/apiclient/add/",
            {"name": "Felanmälningsappen", "contact_email": "dev@app.example", "is_active": "on"},
            follow=True,
        )
        # Shown on the page the administrator lands on…
        (key,) = KEY_IN_MESSAGE.findall(response.content.decode())
        client = ApiClient.objects.get()
        assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert client.key_hint == key[:6]
        assert len(key) >= 40
        assert AuditEntry.objects.filter(action="apiclient.created").count() == 1
        # …and never again: not on the list, not on the integration's own page.
        for path in [
            "/admin/feedback/apiclient/",
            f"/admin/feedback/apiclient/{client.pk}/change/",
        ]:
            page = admin_client.get(path)
            assert page.status_code == 200
            assert key not in page.content.decode()
            assert key[:6] in page.content.decode()

    def test_the_shown_key_can_post_a_fault_report(self, admin_client, client):
        response = admin_client.post(
            "/admin/feedback/apiclient/add/", {"name": "Appen", "is_active": "on"}
        )
        (key,) = shown_keys(response)
        client.logout()
        assert open311_post(client, key).status_code == 200
        case = Case.objects.get()
        assert case.api_client.name == "Appen"
        assert ApiClient.objects.get().last_used_at is not None

    def test_an_integration_added_inactive_cannot_post(self, admin_client, client):
        response = admin_client.post("/admin/feedback/apiclient/add/", {"name": "Senare"})
        (key,) = shown_keys(response)
        assert not ApiClient.objects.get().is_active
        client.logout()
        assert open311_post(client, key).status_code == 403

    def test_new_key_replaces_the_old_one(self, admin_client, client):
        integration, old_key = make_api_client()
        response = admin_client.post(
            "/admin/feedback/apiclient/",
            {"action": "rotate_key", "_selected_action": [integration.pk]},
        )
        assert response.status_code == 302
        (new_key,) = shown_keys(response)
        assert new_key != old_key
        integration.refresh_from_db()
        assert integration.key_hash == hashlib.sha256(new_key.encode()).hexdigest()
        assert AuditEntry.objects.filter(action="apiclient.key_rotated").exists()
        client.logout()
        assert open311_post(client, old_key).status_code == 403
        assert open311_post(client, new_key).status_code == 200

    def test_an_integration_is_deactivated_not_deleted(self, admin_client):
        integration, _key = make_api_client()
        response = admin_client.get(f"/admin/feedback/apiclient/{integration.pk}/delete/")
        assert response.status_code == 403
        admin_client.post(
            f"/admin/feedback/apiclient/{integration.pk}/change/",
            {"name": integration.name, "contact_email": ""},
        )
        integration.refresh_from_db()
        assert not integration.is_active

    def test_the_contact_centre_cannot_issue_keys(self, client):
        client.force_login(user_with_role(Role.CONTACT_CENTRE))
        response = client.post("/admin/feedback/apiclient/add/", {"name": "Egen app"})
        assert response.status_code == 403
        assert not ApiClient.objects.exists()


class TestCaseAdmin:
    def test_a_case_can_be_read_but_not_changed(self, admin_client):
        case = make_case(reporter_email="anna@example.se", reply_channel="epost")
        page = admin_client.get(f"/admin/feedback/case/{case.pk}/change/")
        assert page.status_code == 200
        assert case.number in page.content.decode()
        assert 'name="_save"' not in page.content.decode()
        closed = CaseStatus.objects.get(slug="avslutat")
        admin_client.post(
            f"/admin/feedback/case/{case.pk}/change/",
            {"status": closed.pk, "description": "Ändrad"},
        )
        case.refresh_from_db()
        assert case.status.slug == "mottaget" and case.description != "Ändrad"
        assert admin_client.get("/admin/feedback/case/add/").status_code == 403
        assert admin_client.get(f"/admin/feedback/case/{case.pk}/delete/").status_code == 403

    def test_the_case_list_shows_cases(self, admin_client):
        case = make_case()
        page = admin_client.get("/admin/feedback/case/")
        assert page.status_code == 200 and case.number in page.content.decode()


class TestCategoryAdmin:
    def test_a_category_is_saved_with_an_extra_question(self, admin_client):
        administration = CategoryFactory().administration
        prefix = "attributes"
        data = {
            "name": "Klotter",
            "code": "klotter",
            "use": "fel",
            "administration": administration.pk,
            "is_active": "on",
            "order": 0,
            "routes-TOTAL_FORMS": 0,
            "routes-INITIAL_FORMS": 0,
            f"{prefix}-TOTAL_FORMS": 1,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-0-code": "yta",
            f"{prefix}-0-order": 1,
            f"{prefix}-0-description": "På vad?",
            f"{prefix}-0-datatype": "singlevaluelist",
            f"{prefix}-0-variable": "on",
            f"{prefix}-0-values": '[{"key": "vagg", "name": "Vägg"}]',
        }
        assert admin_client.get("/admin/feedback/category/add/").status_code == 200
        response = admin_client.post("/admin/feedback/category/add/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        attribute = CategoryAttribute.objects.get(category__code="klotter")
        assert attribute.value_keys() == ["vagg"]

    def test_the_status_list_opens(self, admin_client):
        assert admin_client.get("/admin/feedback/casestatus/").status_code == 200


class TestStableCodes:
    """Code refers to categories by code ("annat") and statuses by slug ("avslutat"); the
    admin gives them once and shows them read-only after that, so renaming changes no rule."""

    def test_a_categorys_code_is_given_when_made_and_read_only_after(self, admin_client):
        assert 'name="code"' in admin_client.get("/admin/feedback/category/add/").content.decode()
        category = CategoryFactory(code="gatubelysning", name="Gatubelysning")
        page = admin_client.get(f"/admin/feedback/category/{category.pk}/change/")
        assert page.status_code == 200
        assert 'name="code"' not in page.content.decode()
        assert "gatubelysning" in page.content.decode()

    def test_renaming_the_closed_status_keeps_its_slug(self, admin_client):
        statuses_ensure_defaults()
        closed = CaseStatus.objects.get(slug="avslutat")
        response = admin_client.post(
            f"/admin/feedback/casestatus/{closed.pk}/change/",
            {"name": "Klart", "slug": "klart", "group": closed.group, "order": closed.order},
        )
        assert response.status_code == 302
        closed.refresh_from_db()
        assert (closed.name, closed.slug) == ("Klart", "avslutat")
