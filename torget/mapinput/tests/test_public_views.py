"""The map's public pages: what they show (published only, no personal data in the feed),
the placing form without JavaScript, agree and comment, fixed query counts, no 500s."""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from torget.dialogues.sections import PUBLIC, render
from torget.mapinput.models import Agree, Comment, HideReason, Point, Status
from torget.mapinput.tests.factories import OUTSIDE, citizen, map_, point

pytestmark = pytest.mark.django_db


def _urls(m):
    kwargs = {"dialogue_pk": m.dialogue_id, "pk": m.pk}
    return {
        name: reverse(f"mapinput:{name}", kwargs=kwargs)
        for name in ("map", "place", "list", "geojson")
    }


def _hidden(m, comment="Dold reklam"):
    from django.utils import timezone

    return point(
        m,
        comment=comment,
        status=Status.HIDDEN,
        hidden_reason=HideReason.SPAM,
        hidden_at=timezone.now(),
    )


class TestMapPage:
    def test_shows_categories_counts_and_links(self, client):
        m = map_()
        point(m)
        page = client.get(_urls(m)["map"])
        assert page.status_code == 200
        html = page.content.decode()
        assert "Otryggt" in html and _urls(m)["list"] in html
        assert reverse("forum:rules") in html
        assert "Logga in" in html  # the reason why a visitor cannot place

    def test_signed_in_citizen_gets_the_placing_link(self, client):
        m = map_()
        client.force_login(citizen())
        assert _urls(m)["place"] in client.get(_urls(m)["map"]).content.decode()

    def test_not_public_dialogue_is_404(self, client):
        m = map_()
        from torget.dialogues.models import Dialogue

        Dialogue.objects.filter(pk=m.dialogue_id).update(status="initiativ")
        assert client.get(_urls(m)["map"]).status_code == 404

    def test_dialogue_page_has_the_map_section(self, rf):
        m = map_()
        sections = render(PUBLIC, rf.get("/"), m.dialogue)
        assert any(m.title in html for html in sections)


class TestHiddenNeverShown:
    def test_hidden_and_waiting_points_absent_from_list_geojson_and_point_page(self, client):
        m = map_()
        shown = point(m, comment="Synlig markering")
        hidden = _hidden(m)
        waiting = point(m, comment="Väntande markering", status=Status.PENDING)
        listing = client.get(_urls(m)["list"]).content.decode()
        assert "Synlig markering" in listing
        assert "Dold reklam" not in listing and "Väntande markering" not in listing
        feed = client.get(_urls(m)["geojson"]).json()
        assert [f["id"] for f in feed["features"]] == [shown.pk]
        assert client.get(reverse("mapinput:point", args=[hidden.pk])).status_code == 404
        assert client.get(reverse("mapinput:point", args=[waiting.pk])).status_code == 404
        mappage = client.get(_urls(m)["map"]).content.decode()
        assert "Dold reklam" not in mappage and "1 markering visas" in mappage

    def test_hidden_comment_shows_the_reason_not_the_text(self, client):
        from django.utils import timezone

        p = point(map_())
        Comment.objects.create(
            point=p,
            author=citizen(),
            shown_name="X",
            text="Elak kommentar",
            status=Status.HIDDEN,
            hidden_reason=HideReason.PERSONAL_ATTACK,
            hidden_at=timezone.now(),
        )
        html = client.get(p.get_absolute_url()).content.decode()
        assert "Elak kommentar" not in html
        assert "Dold av moderator: personangrepp" in html


class TestGeojson:
    def test_feature_has_no_personal_data(self, client):
        m = map_()
        author = citizen(display_name="Hemlig Person")
        point(m, author, shown_name="Hemlig P", age_band="30-44", ip_hash="abc123")
        response = client.get(_urls(m)["geojson"])
        assert response["Content-Type"].startswith("application/geo+json")
        feature = response.json()["features"][0]
        assert set(feature["properties"]) == {
            "id",
            "category_id",
            "category",
            "shape",
            "comment",
            "agree_count",
            "comment_count",
            "url",
        }
        raw = response.content.decode()
        for secret in ("Hemlig", "30-44", "abc123", author.email):
            assert secret not in raw

    def test_query_count_is_fixed(self, client, django_assert_max_num_queries):
        m = map_()
        for _ in range(3):
            point(m)
        with django_assert_max_num_queries(3) as few:
            client.get(_urls(m)["geojson"])
        for _ in range(30):
            point(m)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert len(client.get(_urls(m)["geojson"]).json()["features"]) == 33


class TestList:
    def test_query_count_is_fixed(self, client, django_assert_max_num_queries):
        m = map_()
        point(m)
        client.get(_urls(m)["list"])  # warm caches (municipality, session)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            client.get(_urls(m)["list"])
        for _ in range(25):
            point(m)
        with django_assert_max_num_queries(len(one.captured_queries)):
            client.get(_urls(m)["list"])

    def test_sort_by_most_agreed_and_filter_by_category(self, client):
        m = map_()
        unsafe, idea, _good = m.categories.all()
        low = point(m, category=unsafe, comment="Lite")
        high = point(m, category=unsafe, comment="Mycket")
        Point.objects.filter(pk=high.pk).update(agree_count=5)
        point(m, category=idea, comment="Annat förslag")
        html = client.get(
            _urls(m)["list"], {"ordning": "flest-haller-med", "kategori": unsafe.pk}
        ).content.decode()
        assert html.index("Mycket") < html.index("Lite")
        assert "Annat förslag" not in html
        assert low.pk

    def test_empty_state_and_junk_parameters(self, client):
        m = map_()
        response = client.get(_urls(m)["list"], {"ordning": "x", "kategori": "z", "sida": "-1"})
        assert response.status_code == 200
        assert "Inga markeringar än" in response.content.decode()

    def test_comment_is_rendered_safely(self, client):
        m = map_()
        point(m, comment="<script>alert(1)</script> se https://example.org")
        html = client.get(_urls(m)["list"]).content.decode()
        assert "<script>alert(1)" not in html
        assert 'rel="nofollow ugc noopener noreferrer"' in html


class TestPlace:
    def test_visitor_sees_the_reason_not_the_form(self, client):
        m = map_()
        page = client.get(_urls(m)["place"])
        assert page.status_code == 200 and "Logga in" in page.content.decode()
        response = client.post(_urls(m)["place"], {"comment": "x"})
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    def test_place_by_list_without_javascript(self, client):
        m = map_()
        client.force_login(citizen())
        berga = m.dialogue.areas.get()
        form = client.get(_urls(m)["place"]).content.decode()
        assert f'value="{berga.pk}"' in form  # the list of places
        response = client.post(
            _urls(m)["place"],
            {
                "category": m.categories.first().pk,
                "place": berga.pk,
                "address": "Vid gångtunneln",
                "comment": "Mörkt",
                "shown_name": "Maja",
            },
            follow=True,
        )
        created = Point.objects.get()
        assert response.redirect_chain[-1][0] == created.get_absolute_url()
        assert "Tack! Din markering visas nu på kartan." in response.content.decode()

    def test_point_outside_is_refused_with_the_area_shown_and_text_kept(self, client):
        m = map_()
        client.force_login(citizen())
        lat, lon = OUTSIDE
        response = client.post(
            _urls(m)["place"],
            {
                "category": m.categories.first().pk,
                "geometry": json.dumps({"type": "Point", "coordinates": [lon, lat]}),
                "comment": "Min text finns kvar",
                "shown_name": "Maja",
            },
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert "utanför dialogens område" in html
        assert "Min text finns kvar" in html
        assert "Kartans område: Berga" in html and "data-area=" in html
        assert not Point.objects.exists()

    def test_no_place_at_all_is_a_clear_error(self, client):
        m = map_()
        client.force_login(citizen())
        response = client.post(
            _urls(m)["place"],
            {"category": m.categories.first().pk, "comment": "X", "shown_name": "M"},
        )
        assert response.status_code == 400
        assert "Välj en plats i listan" in response.content.decode()


class TestAgreeAndComment:
    def test_another_citizen_agrees_once(self, client):
        p = point(map_())
        client.force_login(citizen())
        url = reverse("mapinput:agree", args=[p.pk])
        first = client.post(url, follow=True)
        assert "Du håller med om markeringen." in first.content.decode()
        client.post(url)
        assert Agree.objects.filter(point=p).count() == 1

    def test_visitor_agree_goes_to_sign_in(self, client):
        p = point(map_())
        response = client.post(reverse("mapinput:agree", args=[p.pk]))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    def test_agree_is_post_only(self, client):
        p = point(map_())
        assert client.get(reverse("mapinput:agree", args=[p.pk])).status_code == 405

    def test_comment_shows_after_posting(self, client):
        p = point(map_())
        client.force_login(citizen())
        response = client.post(
            reverse("mapinput:comment", args=[p.pk]),
            {"text": "Håller med helt", "shown_name": "Kim"},
            follow=True,
        )
        html = response.content.decode()
        assert "Tack! Din kommentar visas nu." in html and "Håller med helt" in html

    def test_empty_comment_is_400_with_error(self, client):
        p = point(map_())
        client.force_login(citizen())
        response = client.post(reverse("mapinput:comment", args=[p.pk]), {"shown_name": "K"})
        assert response.status_code == 400 and "Skriv en kommentar." in response.content.decode()


class TestPhotoView:
    def test_no_photo_is_404_and_hidden_point_photo_is_404(self, client):
        m = map_()
        assert client.get(reverse("mapinput:photo", args=[point(m).pk])).status_code == 404
        hidden = _hidden(m)
        Point.objects.filter(pk=hidden.pk).update(photo="mapinput/x.jpg")
        assert client.get(reverse("mapinput:photo", args=[hidden.pk])).status_code == 404


class TestPlacingFormNever500(HypothesisTestCase):
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        category=st.one_of(st.text(max_size=5), st.integers()),
        place=st.one_of(st.text(max_size=5), st.integers()),
        geometry=st.one_of(
            st.text(max_size=40),
            st.builds(
                lambda t, c: json.dumps({"type": t, "coordinates": c}),
                st.sampled_from(["Point", "LineString", "Polygon", "X"]),
                st.recursive(
                    st.floats(allow_nan=True) | st.integers(),
                    lambda inner: st.lists(inner, max_size=4),
                    max_leaves=10,
                ),
            ),
        ),
        comment=st.text(max_size=50),
    )
    def test_any_input_is_answered_without_a_server_error(self, category, place, geometry, comment):
        map_obj = map_()
        self.client.force_login(citizen())
        response = self.client.post(
            _urls(map_obj)["place"],
            {
                "category": category,
                "place": place,
                "geometry": geometry,
                "comment": comment,
                "shown_name": "X",
            },
        )
        assert response.status_code in (302, 400)


class TestPhotoServed:
    def test_published_points_photo_is_served_without_metadata(self, client):
        from torget.mapinput import services
        from torget.mapinput.tests.test_services import _jpeg_with_gps

        m = map_()
        created = services.point_create(
            map_=m,
            actor=citizen(),
            category=m.categories.first(),
            geometry={"type": "Point", "coordinates": [18.01, 59.31]},
            comment="Med foto",
            shown_name="M",
            photo=_jpeg_with_gps(),
        )
        response = client.get(reverse("mapinput:photo", args=[created.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"Telefonen" not in b"".join(response.streaming_content)
        assert reverse("mapinput:photo", args=[created.pk]) in (
            client.get(created.get_absolute_url()).content.decode()
        )


class TestEidMap:
    def test_eid_map_sends_a_signed_in_citizen_to_identify(self, client):
        from torget.mapinput.models import Identification

        m = map_(identification=Identification.EID)
        client.force_login(citizen())
        page = client.get(_urls(m)["place"]).content.decode()
        assert reverse("identity:choose") in page
        response = client.post(_urls(m)["place"], {"comment": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("identity:choose"))
