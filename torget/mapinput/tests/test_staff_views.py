"""The map's staff pages: who may see and do what, the forms, the moderation steps through the
pages, a fixed number of queries whatever the number of points, and bad input never a 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.dialogues.catalogue import INTERACTIVE_MAP
from torget.feedback.tests.factories import CategoryFactory
from torget.mapinput.models import Comment, HideReason, Map, Point, Status
from torget.mapinput.tests import factories as f
from torget.notifications.models import Delivery
from torget.results.models import ResultItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    dialogue, people = f.map_dialogue()
    return f.map_(dialogue), people


def _pages(map_, point):
    return [
        reverse("mapinput:staff_detail", args=[map_.pk]),
        reverse("mapinput:staff_point", args=[point.pk]),
        reverse("mapinput:export_csv", args=[map_.pk]),
        reverse("mapinput:export_geojson", args=[map_.pk]),
    ]


def _work_pages(map_):
    return [
        reverse("mapinput:staff_new", args=[map_.dialogue_id]),
        reverse("mapinput:staff_edit", args=[map_.pk]),
        reverse("mapinput:categories", args=[map_.pk]),
    ]


class TestAccess:
    def test_anonymous_is_sent_to_log_in(self, client, setup):
        map_, _people = setup
        point = f.point(map_)
        for url in _pages(map_, point) + _work_pages(map_) + [reverse("mapinput:queue")]:
            response = client.get(url)
            assert (
                response.status_code == 302
                and "/logga-in/" in response["Location"]
                or (response.status_code == 302)
            ), url

    def test_a_citizen_is_refused(self, client, setup):
        map_, _people = setup
        point = f.point(map_)
        for role in (Role.CITIZEN,):
            client.force_login(user_with_role(role))
            for url in _pages(map_, point) + _work_pages(map_) + [reverse("mapinput:queue")]:
                assert client.get(url).status_code == 403, (role, url)
            response = client.post(
                reverse("mapinput:point_action", args=[point.pk, "dolj"]),
                {"dolj-reason": HideReason.SPAM},
            )
            assert response.status_code == 403

    def test_staff_readers_read_but_neither_set_up_nor_moderate(self, client, setup):
        map_, _people = setup
        point = f.point(map_)
        for role in (Role.CONTACT_CENTRE,):
            client.force_login(user_with_role(role))
            for url in _pages(map_, point):
                assert client.get(url).status_code == 200, (role, url)
            for url in _work_pages(map_):
                assert client.get(url).status_code == 403, (role, url)
            response = client.post(
                reverse("mapinput:point_action", args=[point.pk, "dolj"]),
                {"dolj-reason": HideReason.SPAM},
            )
            assert response.status_code == 403

    def test_the_official_sees_and_works(self, client, setup):
        map_, people = setup
        point = f.point(map_)
        client.force_login(people.official)
        for url in _pages(map_, point) + _work_pages(map_) + [reverse("mapinput:queue")]:
            assert client.get(url).status_code == 200, url

    def test_the_dialogue_staff_page_lists_the_map_and_offers_a_new_one(self, client, setup):
        map_, people = setup
        client.force_login(people.official)
        page = client.get(reverse("dialogues:staff_detail", args=[map_.dialogue_id]))
        html = page.content.decode()
        assert reverse("mapinput:staff_detail", args=[map_.pk]) in html
        assert reverse("mapinput:staff_new", args=[map_.dialogue_id]) in html
        assert reverse("mapinput:queue") in html

    def test_an_unknown_action_is_404(self, client, setup):
        map_, people = setup
        point = f.point(map_)
        client.force_login(people.official)
        url = reverse("mapinput:point_action", args=[point.pk, "radera"])
        assert client.post(url).status_code == 404


class TestSetup:
    def test_new_map_with_the_suggested_method_and_categories(self, client):
        dialogue, people = f.map_dialogue()
        client.force_login(people.official)
        url = reverse("mapinput:staff_new", args=[dialogue.pk])
        page = client.get(url)
        assert "Otryggt" in page.content.decode()
        method = dialogue.methods.get(method__code=INTERACTIVE_MAP)
        response = client.post(
            url,
            {
                "title": "Otrygga platser",
                "planned_method": method.pk,
                "categories": "Otryggt\r\nFörslag\r\n",
                "identification": "e-post",
                "moderation": "fore",
                "allow_lines": "on",
            },
        )
        created = Map.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("mapinput:staff_detail", args=[created.pk])
        assert created.moderation == "fore" and created.allow_lines and not created.allow_areas
        assert created.categories.count() == 2

    def test_bad_input_keeps_the_text_with_an_error(self, client):
        dialogue, people = f.map_dialogue()
        client.force_login(people.official)
        response = client.post(
            reverse("mapinput:staff_new", args=[dialogue.pk]),
            {"title": "Min karta\x00", "planned_method": "999999", "categories": ""},
        )
        assert response.status_code == 400
        assert not Map.objects.exists()

    def test_categories_add_rename_and_refuse_removing_a_used_one(self, client, setup):
        map_, people = setup
        client.force_login(people.official)
        url = reverse("mapinput:categories", args=[map_.pk])
        used = map_.categories.first()
        f.point(map_, category=used)
        assert client.post(url, {"op": "ny", "ny-name": "Trafik"}).status_code == 302
        assert map_.categories.filter(name="Trafik").exists()
        response = client.post(
            url,
            {
                "op": "andra",
                "category": used.pk,
                f"k{used.pk}-name": "Otrygg plats",
                f"k{used.pk}-order": "2",
            },
        )
        assert response.status_code == 302
        used.refresh_from_db()
        assert used.name == "Otrygg plats"
        response = client.post(url, {"op": "ta-bort", "category": used.pk}, follow=True)
        assert map_.categories.filter(pk=used.pk).exists()
        assert "kan inte tas bort" in response.content.decode()
        for junk in ({"op": "andra", "category": "x"}, {"op": "?"}, {"op": "ny", "ny-name": ""}):
            assert client.post(url, junk).status_code in (302, 400)


class TestDetail:
    def test_tables_show_clusters_density_and_counts(self, client, setup):
        map_, people = setup
        for _ in range(3):
            f.point(map_, at=(59.3101, 18.0101))
        client.force_login(people.official)
        html = client.get(reverse("mapinput:staff_detail", args=[map_.pk])).content.decode()
        assert 'data-testid="clusters"' in html and 'data-testid="density"' in html
        assert "3 markeringar" in html
        first = map_.points.order_by("pk").first()
        assert reverse("mapinput:staff_point", args=[first.pk]) in html  # the list of points

    def test_a_fixed_number_of_queries_whatever_the_number_of_points(
        self, client, setup, django_assert_max_num_queries
    ):
        map_, people = setup
        categories = list(map_.categories.all())
        client.force_login(people.official)
        url = reverse("mapinput:staff_detail", args=[map_.pk])
        f.point(map_)
        client.get(url)  # warm the caches (session, permissions)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(url + "?status=publicerad&alder=30-44&alder=-")
        author = f.citizen()
        for index in range(60):
            f.point(
                map_,
                author,
                at=(59.3 + index * 0.0003, 18.0 + index * 0.0003),
                category=categories[index % 3],
                age_band="30-44",
            )
        with django_assert_max_num_queries(len(few)):
            response = client.get(url + "?status=publicerad&alder=30-44&alder=-")
        assert response.status_code == 200
        assert "61 markeringar" in response.content.decode()

    def test_bad_filters_are_dropped_never_an_error(self, client, setup):
        map_, people = setup
        f.point(map_)
        client.force_login(people.official)
        url = reverse("mapinput:staff_detail", args=[map_.pk])
        for query in (
            "?kategori=abc&fran=igar&till=2026-13-45&alder=999&status=x",
            "?fran=2030-01-01&till=2020-01-01",
            "?kategori=99999999999999999999999",
        ):
            assert client.get(url + query).status_code == 200, query
            assert (
                client.get(reverse("mapinput:export_csv", args=[map_.pk]) + query).status_code
                == 200
            )


class TestModerationPages:
    def test_hide_through_the_page_tells_the_author(self, client, setup):
        map_, people = setup
        author = f.citizen()
        point = f.point(map_, author)
        client.force_login(people.official)
        response = client.post(
            reverse("mapinput:point_action", args=[point.pk, "dolj"]),
            {"dolj-reason": HideReason.OFFENSIVE},
        )
        assert response.status_code == 302
        point.refresh_from_db()
        assert point.status == Status.HIDDEN
        assert Delivery.objects.filter(notification__template="mapinput.hidden", user=author)
        page = client.get(reverse("mapinput:staff_point", args=[point.pk])).content.decode()
        assert "Markeringen doldes" in page  # the audit log
        assert point.comment in page  # the original kept for staff

    def test_hide_without_a_reason_is_400_with_the_page(self, client, setup):
        map_, people = setup
        point = f.point(map_)
        client.force_login(people.official)
        response = client.post(reverse("mapinput:point_action", args=[point.pk, "dolj"]), {})
        assert response.status_code == 400
        point.refresh_from_db()
        assert point.status == Status.PUBLISHED

    def test_comment_steps_by_id(self, client, setup):
        map_, people = setup
        point = f.point(map_)
        other = f.point(map_)
        comment = Comment.objects.create(
            point=point, author=f.citizen(), shown_name="B", text="Väntar", status=Status.PENDING
        )
        client.force_login(people.official)
        approve = reverse("mapinput:point_action", args=[point.pk, "kommentar-godkann"])
        assert client.post(approve, {"kommentar-godkann-comment": comment.pk}).status_code == 302
        comment.refresh_from_db()
        assert comment.status == Status.PUBLISHED
        # A comment of another point, or no id at all: refused on the page.
        wrong = reverse("mapinput:point_action", args=[other.pk, "kommentar-dolj"])
        for data in (
            {"kommentar-dolj-comment": comment.pk, "kommentar-dolj-reason": "reklam"},
            {"kommentar-dolj-comment": "abc"},
        ):
            assert client.post(wrong, data).status_code == 400
        hide = reverse("mapinput:point_action", args=[point.pk, "kommentar-dolj"])
        response = client.post(
            hide, {"kommentar-dolj-comment": comment.pk, "kommentar-dolj-reason": "reklam"}
        )
        assert response.status_code == 302
        comment.refresh_from_db()
        point.refresh_from_db()
        assert comment.status == Status.HIDDEN and point.comment_count == 0

    def test_queue_oldest_first_and_paginated(self, client, setup):
        map_, people = setup
        now = timezone.now()
        points = [
            f.point(
                map_,
                status=Status.PENDING,
                comment=f"Väntande nummer {n}",
                created_at=now - timezone.timedelta(hours=100 - n),
            )
            for n in range(30)
        ]
        client.force_login(people.official)
        html = client.get(reverse("mapinput:queue")).content.decode()
        assert html.index("Väntande nummer 0<") < html.index("Väntande nummer 1<")
        assert "Väntande nummer 29" not in html
        second = client.get(reverse("mapinput:queue") + "?sida=2").content.decode()
        assert "Väntande nummer 29" in second
        assert len(points) == 30


class TestFurther:
    def test_result_item_through_the_page(self, client, setup):
        map_, people = setup
        point = f.point(map_)
        client.force_login(people.official)
        url = reverse("mapinput:point_action", args=[point.pk, "resultat"])
        refused = client.post(url, {"resultat-title": "Skatt", "resultat-kind": "partipolitisk"})
        assert refused.status_code == 400 and not ResultItem.objects.exists()
        done = client.post(url, {"resultat-title": "Bänkar", "resultat-kind": "enkel"})
        assert done.status_code == 302
        point.refresh_from_db()
        assert point.result_item.title == "Bänkar"

    def test_fault_report_linked_both_ways(self, client, setup):
        map_, people = setup
        point = f.point(map_, comment="Trasig lykta")
        category = CategoryFactory()
        client.force_login(people.official)
        url = reverse("mapinput:point_action", args=[point.pk, "felanmalan"])
        assert client.post(url, {"felanmalan-category": "999999"}).status_code == 400
        assert client.post(url, {"felanmalan-category": category.pk}).status_code == 302
        point.refresh_from_db()
        case = point.case
        assert case is not None
        staff_page = client.get(reverse("mapinput:staff_point", args=[point.pk])).content.decode()
        assert case.staff_url() in staff_page
        admin = user_with_role(Role.ADMINISTRATOR)
        client.force_login(admin)
        case_page = client.get(case.staff_url())
        assert case_page.status_code == 200
        assert reverse("mapinput:staff_point", args=[point.pk]) in case_page.content.decode()

    def test_an_elected_official_without_work_cannot_take_points_further(self, client, setup):
        map_, _people = setup
        point = f.point(map_)
        client.force_login(user_with_role(Role.ELECTED))
        url = reverse("mapinput:point_action", args=[point.pk, "resultat"])
        assert (
            client.post(url, {"resultat-title": "X", "resultat-kind": "enkel"}).status_code == 403
        )
        assert Point.objects.get(pk=point.pk).result_item is None


def test_every_form_on_the_point_page_carries_the_csrf_token(client, setup):
    map_, people = setup
    point = f.point(map_, status=Status.PENDING)
    Comment.objects.create(
        point=point, author=f.citizen(), shown_name="C", text="Väntar", status=Status.PENDING
    )
    client.force_login(people.official)
    html = client.get(reverse("mapinput:staff_point", args=[point.pk])).content.decode()
    forms = html.split('<form method="post"')[1:]
    assert len(forms) >= 5
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form.split("</form>")[0]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_and_the_point_page_take_a_fixed_number_of_queries(client, setup):
    map_, people = setup
    point = f.point(map_, status=Status.PENDING)
    client.force_login(people.official)
    queue_url = reverse("mapinput:queue")
    point_url = reverse("mapinput:staff_point", args=[point.pk])

    def more(n):
        for index in range(n):
            f.point(map_, status=Status.PENDING)
            Comment.objects.create(
                point=point,
                author=f.citizen(),
                shown_name=f"C{index}",
                text="Väntar",
                status=Status.PENDING,
            )

    more(1)
    _queries(client, queue_url)  # warm the caches (session, permissions)
    few_queue, few_point = _queries(client, queue_url), _queries(client, point_url)
    more(10)
    assert _queries(client, queue_url) <= few_queue
    assert _queries(client, point_url) <= few_point
