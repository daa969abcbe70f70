import pytest
from django.urls import reverse

PUBLIC_PAGES = [
    "/",
    "/om/",
    "/om/organisation/",
    "/integritet/",
    "/tillganglighet/",
    "/omraden/",
    "/synpunkter/",
    "/felanmalan/",
    "/felanmalan/karta/",
    "/forslag/",
    "/dialoger/",
    "/dialoger/foresla/",
    "/dialoger/arshjul/",
    "/kalendarium/",
    "/kalendarium/?visa=lista",
    "/trygghet/",
    "/medborgarbudget/",
    "/statistik/",
    "/statistik/synpunkter/",
    "/konto/registrera/",
    "/konto/logga-in/",
    "/konto/glomt-losenord/",
]


@pytest.mark.django_db
class TestPublicPages:
    @pytest.mark.parametrize("path", PUBLIC_PAGES)
    def test_page_answers_in_swedish_with_the_shell(self, client, demo, path):
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="sv">' in html
        assert 'href="#main"' in html  # skip link
        assert '<main id="main"' in html
        assert html.count("<h1") == 1
        assert 'aria-label="Huvudmeny"' in html
        assert "Storeby kommun" in html

    def test_current_section_is_marked_in_the_navigation(self, client, demo):
        html = client.get("/forslag/").content.decode()
        assert '<a href="/forslag/" aria-current="page">Medborgarförslag</a>' in html
        assert 'href="/dialoger/" aria-current' not in html

    def test_start_page_lists_the_dialogue_committees_with_their_areas(self, client, demo):
        html = client.get("/").content.decode()
        assert html.count("Utskott för medborgardialog ") == 7
        assert 'href="/omraden/utskottsomrade-sodra-landsbygden/"' in html

    def test_start_page_has_a_useful_empty_state_before_any_data(self, client, db):
        html = client.get("/").content.decode()
        assert "Kommunen har inte lagt in sina områden ännu." in html

    def test_unknown_address_is_404(self, client, db):
        assert client.get("/finns-inte/").status_code == 404

    def test_body_page_lists_current_members_with_party_and_role(self, client, demo):
        html = client.get("/om/organisation/kommunstyrelsen/").content.decode()
        assert "Ordförande" in html
        assert "(presidiet)" in html
        assert "Filip Förtroendevald" in html

    def test_area_page_shows_sub_areas_and_committee(self, client, demo):
        html = client.get("/omraden/utskottsomrade-soder/").content.decode()
        for district in ("Berga", "Ekholmen", "Lambohov"):
            assert district in html
        assert "Utskott för medborgardialog Söder" in html


@pytest.mark.django_db
class TestLanguage:
    def test_swedish_even_when_the_browser_prefers_english(self, client, db):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
        assert '<html lang="sv">' in response.content.decode()

    def test_language_switch_gives_english_pages(self, client, db):
        response = client.post(reverse("set_language"), {"language": "en", "next": "/om/"})
        assert response.status_code == 302
        html = client.get("/om/").content.decode()
        assert '<html lang="en">' in html
        assert "About Torget" in html
        assert "Citizen proposals" in html  # navigation

    def test_language_switch_works_without_javascript(self, client, db):
        html = client.get("/").content.decode()
        assert 'action="/sprak/"' in html
        assert 'name="language" value="en"' in html

    def test_unsupported_language_cookie_falls_back_to_swedish(self, client, db):
        client.cookies["torget_language"] = "de"
        assert '<html lang="sv">' in client.get("/").content.decode()


@pytest.mark.django_db
class TestErrorPages:
    def test_404_is_a_swedish_page_in_the_layout(self, client):
        response = client.get("/finns-inte/")
        html = response.content.decode()
        assert response.status_code == 404
        assert "Sidan finns inte" in html and 'href="#main"' in html

    def test_403_is_a_swedish_page_in_the_layout(self, client, citizen):
        client.force_login(citizen)
        response = client.get("/personal/")
        assert response.status_code == 403
        assert "Du har inte behörighet" in response.content.decode()
