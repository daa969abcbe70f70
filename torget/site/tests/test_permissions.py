"""Walk every page with every role: who gets in, who is sent to log in, who is refused."""

import pytest
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory
from torget.site.tests.test_views import PUBLIC_PAGES

SIGNED_IN_PAGES = [
    "/mina-sidor/",
    "/mina-sidor/uppgifter/",
    "/mina-sidor/losenord/",
    "/mina-sidor/export.json",
    "/mina-sidor/avsluta-konto/",
    "/mina-sidor/forslag/",
]
STAFF_PAGES = ["/personal/"]
ADMIN_PAGES = [
    "/admin/",
    "/admin/organisation/body/",
    "/admin/geo/area/",
    "/admin/audit/auditentry/",
]
ADMINISTRATOR_ONLY = ["/admin/organisation/municipality/", "/admin/accounts/user/"]

ROLES = [None, *Role]


def client_for(client, role):
    if role is not None:
        client.force_login(UserFactory(role=role))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: getattr(r, "value", "anonym"))
class TestEveryRoleOnEveryPage:
    def test_public_pages_are_open_to_all(self, client, demo, role):
        client = client_for(client, role)
        for path in PUBLIC_PAGES + ["/om/organisation/kommunstyrelsen/", "/omraden/berga/"]:
            if path.startswith(("/konto/", "/forslag/nytt/")) and role is not None:
                continue  # signed-in people are sent on from sign-up and log-in
            assert client.get(path).status_code == 200, path

    def test_own_pages_need_a_log_in(self, client, role):
        client = client_for(client, role)
        for path in SIGNED_IN_PAGES:
            response = client.get(path)
            if role is None:
                assert response.status_code == 302 and response.url.startswith(
                    reverse("accounts:login")
                ), path
            else:
                assert response.status_code == 200, path

    def test_staff_pages_are_for_staff_roles(self, client, role):
        client = client_for(client, role)
        for path in STAFF_PAGES:
            response = client.get(path)
            if role is None:
                assert response.status_code == 302, path
            elif role == Role.CITIZEN:
                assert response.status_code == 403, path
            else:
                assert response.status_code == 200, path

    def test_admin_is_for_staff_and_settings_for_administrators(self, client, role):
        client = client_for(client, role)
        for path in ADMIN_PAGES + ADMINISTRATOR_ONLY:
            response = client.get(path)
            if role in (None, Role.CITIZEN):
                assert response.status_code == 302 and "/admin/login/" in response.url, path
            elif path in ADMINISTRATOR_ONLY and role != Role.ADMINISTRATOR:
                assert response.status_code == 403, path
            elif path == "/admin/audit/auditentry/" and role != Role.ADMINISTRATOR:
                assert response.status_code == 403, path
            else:
                assert response.status_code == 200, path

    def test_proposal_pages(self, client, demo, role):
        from torget.proposals.models import Proposal, Status

        client = client_for(client, role)
        public = Proposal.objects.get(status=Status.SIGNING)
        under_review = Proposal.objects.get(status=Status.SUBMITTED)
        for path in [
            "/forslag/fran-dialoger/",
            public.get_absolute_url(),
            f"/forslag/{public.pk}/stod/",
        ]:
            assert client.get(path).status_code == 200, path
        # Someone else's proposal under review does not exist for the public.
        workers = {Role.OFFICIAL, Role.CONTACT_CENTRE, Role.ADMINISTRATOR}
        expected = 200 if role in workers else 404
        assert client.get(under_review.get_absolute_url()).status_code == expected
        proposal_staff = {Role.OFFICIAL, Role.CONTACT_CENTRE, Role.ELECTED, Role.ADMINISTRATOR}
        for path in ["/personal/forslag/", f"/personal/forslag/{public.pk}/"]:
            response = client.get(path)
            if role is None:
                assert response.status_code == 302, path
            else:
                assert response.status_code == (200 if role in proposal_staff else 403), path
        response = client.get("/personal/folkbokforda/")
        if role is None:
            assert response.status_code in (302, 403)
        else:
            assert response.status_code == (200 if role == Role.ADMINISTRATOR else 403)

    def test_feedback_pages(self, client, demo, role):
        from torget.feedback.models import Case, Kind

        client = client_for(client, role)
        fault = Case.objects.filter(kind=Kind.FAULT, is_public=True).first()
        opinion = Case.objects.exclude(kind=Kind.FAULT).first()
        for path in [
            "/felanmalan/karta/",
            "/felanmalan/karta.geojson",
            fault.get_absolute_url(),
            "/synpunkter/ny/klagomal/",
            "/open311/v2/services.xml",
        ]:
            assert client.get(path).status_code == 200, path
        # Opinions are private: no public page, whoever asks.
        assert client.get(f"/felanmalan/{opinion.number}/").status_code == 404
        handlers = {Role.OFFICIAL, Role.CONTACT_CENTRE, Role.ADMINISTRATOR}
        for path in ["/personal/arenden/", opinion.staff_url(), "/personal/arenden/nytt/"]:
            response = client.get(path)
            if role is None:
                assert response.status_code == 302, path
            else:
                assert response.status_code == (200 if role in handlers else 403), path
        statistics_readers = handlers | {Role.ELECTED}
        response = client.get("/personal/arenden/statistik/")
        if role is None:
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if role in statistics_readers else 403)

    def test_dialogue_pages(self, client, demo, role):
        from torget.dialogues.models import Dialogue, Status

        client = client_for(client, role)
        public = Dialogue.objects.filter(status=Status.OPEN).order_by("pk").first()
        request = Dialogue.objects.filter(status=Status.INITIATIVE).first()
        for path in [
            "/dialoger/",
            public.get_absolute_url(),
            "/dialoger/arshjul/",
            "/dialoger/foresla/",
            "/kalendarium/",
            "/kalendarium/?visa=lista",
            "/kalendarium.ics",
        ]:
            assert client.get(path).status_code == 200, path
        # An initiative not yet decided on does not exist for the public, whoever asks.
        assert client.get(request.get_absolute_url()).status_code == 404
        readers = {Role.OFFICIAL, Role.ELECTED, Role.CONTACT_CENTRE, Role.ADMINISTRATOR}
        for path in [
            "/personal/dialoger/",
            request.staff_url(),
            public.staff_url(),
            "/personal/dialoger/verksamhetsplaner/",
        ]:
            response = client.get(path)
            if role is None:
                assert response.status_code == 302, path
            else:
                assert response.status_code == (200 if role in readers else 403), path
        planners = {Role.OFFICIAL, Role.ADMINISTRATOR}
        response = client.get("/personal/dialoger/nytt-initiativ/")
        if role is None:
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if role in planners else 403)
