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
        statistics_readers = handlers | {Role.ELECTED, Role.SAFETY_COORDINATOR}
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
        readers = {
            Role.OFFICIAL,
            Role.ELECTED,
            Role.CONTACT_CENTRE,
            Role.SAFETY_COORDINATOR,
            Role.UTSKOTT_COORDINATOR,
            Role.ADMINISTRATOR,
        }
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


def _backoffice_links(client):
    """The same-site links of the staff start page, but the Django admin's own."""
    import re

    html = client.get("/personal/").content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return sorted(set(re.findall(r'href="(/[^"#]*)"', main)))


@pytest.mark.django_db
class TestTheDemoCoordinators:
    """The demo's safety coordinator and utskott coordinator can each do their work."""

    def test_safety_coordinator_can_open_working_pages(self, client, demo):
        from torget.accounts.models import User
        from torget.meetings.models import Meeting

        client.force_login(User.objects.get(email="trygghet@demo.storeby.example"))
        utskott_meeting = Meeting.objects.filter(body__abbreviation="UMD1").last()
        for path in [
            "/personal/moten/",  # the meetings of the utskott in its areas
            utskott_meeting.staff_url(),
            f"/personal/moten/{utskott_meeting.pk}/andra/",
            "/personal/dialoger/",  # reading dialogues
            "/personal/arenden/statistik/",  # fault reports per area
            "/personal/utskick/",  # what was sent
            "/personal/arenden/mina-omraden/",  # reading the cases in its areas
        ]:
            assert client.get(path).status_code == 200, path

    def test_safety_coordinator_cannot_plan_meetings_of_an_utskott_outside_its_areas(
        self, client, demo
    ):
        from torget.accounts.models import User
        from torget.organisation.models import Body

        client.force_login(User.objects.get(email="trygghet@demo.storeby.example"))
        outside = Body.objects.get(area__name="Utskottsområde Östra landsbygden")
        assert client.get(f"/personal/moten/ny/utskott/{outside.pk}/").status_code == 403

    def test_utskott_coordinator_can_open_working_pages(self, client, demo):
        from torget.accounts.models import User
        from torget.organisation.models import Body

        client.force_login(User.objects.get(email="koordinator@demo.storeby.example"))
        for body in Body.objects.filter(kind="utskott"):
            assert client.get(f"/personal/moten/ny/utskott/{body.pk}/").status_code == 200
        for path in ["/personal/moten/", "/personal/dialoger/", "/personal/utskick/"]:
            assert client.get(path).status_code == 200, path

    @pytest.mark.parametrize(
        "email",
        [
            "tjansteperson@demo.storeby.example",
            "fortroendevald@demo.storeby.example",
            "kontaktcenter@demo.storeby.example",
            "trygghet@demo.storeby.example",
            "koordinator@demo.storeby.example",
            "admin@demo.storeby.example",
        ],
    )
    def test_staff_start_page_shows_each_role_only_links_that_open(self, client, demo, email):
        from torget.accounts.models import User

        client.force_login(User.objects.get(email=email))
        links = _backoffice_links(client)
        assert len(links) >= 2
        for link in links:
            assert client.get(link, follow=True).status_code == 200, link


@pytest.mark.django_db
def test_safety_coordinator_reads_the_cases_in_its_areas_without_the_reporters_data(client, demo):
    from torget.accounts.models import User
    from torget.feedback.models import Case
    from torget.geo.selectors import areas_within
    from torget.organisation.selectors import areas_covered

    user = User.objects.get(email="trygghet@demo.storeby.example")
    client.force_login(user)
    html = client.get("/personal/arenden/mina-omraden/").content.decode()
    inside = Case.objects.filter(area_id__in=areas_within(areas_covered(user)))
    outside = Case.objects.exclude(area_id__in=areas_within(areas_covered(user)))
    assert inside.exists()
    assert all(case.number in html for case in inside[:20])
    assert not any(f">{case.number}<" in html for case in outside)
    for case in inside.exclude(reporter_email=""):
        assert case.reporter_email not in html
