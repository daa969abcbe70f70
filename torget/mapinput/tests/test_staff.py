"""The map's staff services and selectors: setup and categories, moderation (hidden kept, the
author told, audited), result items and fault reports, and the cluster and density counts
and filters (hand-computed small grids)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.dialogues.catalogue import INTERACTIVE_MAP
from torget.feedback.tests.factories import CategoryFactory, OpinionCategoryFactory
from torget.mapinput import staff_selectors as selectors
from torget.mapinput import staff_services as services
from torget.mapinput.models import Comment, HideReason, Map, Point, Status
from torget.mapinput.staff_selectors import Extent, Filters
from torget.mapinput.tests import factories as f
from torget.notifications.models import Delivery, Notification
from torget.results.models import Kind as ItemKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    dialogue, people = f.map_dialogue()
    return f.map_(dialogue), people


def _hide_entries(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


class TestMapCreate:
    def test_creates_the_map_with_its_categories_and_an_audit_entry(self):
        dialogue, people = f.map_dialogue()
        method = dialogue.methods.get(method__code=INTERACTIVE_MAP)
        created = services.map_create(
            dialogue=dialogue,
            actor=people.official,
            title="  Otrygga platser  ",
            planned_method=method,
            categories=["Otryggt", " Förslag ", "", "otryggt", "Bra   plats"],
        )
        assert created.title == "Otrygga platser"
        assert [c.name for c in created.categories.all()] == ["Otryggt", "Förslag", "Bra plats"]
        assert AuditEntry.objects.filter(action="mapinput.map_created").count() == 1

    def test_a_method_of_another_dialogue_is_refused(self):
        dialogue, people = f.map_dialogue()
        other, _ = f.map_dialogue(people)
        method = other.methods.get(method__code=INTERACTIVE_MAP)
        with pytest.raises(ValidationError) as refused:
            services.map_create(
                dialogue=dialogue,
                actor=people.official,
                title="Karta",
                planned_method=method,
                categories=["A"],
            )
        assert "planned_method" in refused.value.message_dict
        assert not Map.objects.exists()

    def test_no_category_is_refused(self):
        dialogue, people = f.map_dialogue()
        with pytest.raises(ValidationError) as refused:
            services.map_create(
                dialogue=dialogue,
                actor=people.official,
                title="Karta",
                planned_method=dialogue.methods.first(),
                categories=["  ", ""],
            )
        assert "categories" in refused.value.message_dict

    def test_someone_outside_the_dialogue_may_not(self):
        dialogue, _people = f.map_dialogue()
        for someone in (user_with_role(Role.CITIZEN), user_with_role(Role.CONTACT_CENTRE)):
            with pytest.raises(PermissionDenied):
                services.map_create(
                    dialogue=dialogue,
                    actor=someone,
                    title="Karta",
                    planned_method=dialogue.methods.first(),
                    categories=["A"],
                )

    def test_update_records_what_changed(self, setup):
        map_, people = setup
        services.map_update(map_=map_, actor=people.official, title="Ny rubrik", allow_photos=False)
        map_.refresh_from_db()
        assert map_.title == "Ny rubrik" and not map_.allow_photos
        entry = AuditEntry.objects.get(action="mapinput.map_updated")
        assert entry.changes["title"][1] == "Ny rubrik"


class TestCategories:
    def test_add_goes_last(self, setup):
        map_, people = setup
        added = services.category_add(map_=map_, actor=people.official, name="Trafik")
        assert list(map_.categories.values_list("name", flat=True))[-1] == "Trafik"
        assert added.order == 3

    def test_a_name_twice_is_refused(self, setup):
        map_, people = setup
        with pytest.raises(ValidationError) as refused:
            services.category_add(map_=map_, actor=people.official, name="otryggt")
        assert "name" in refused.value.message_dict

    def test_rename_and_move_first(self, setup):
        map_, people = setup
        last = map_.categories.last()
        services.category_update(category=last, actor=people.official, name="Fin plats", order=1)
        assert list(map_.categories.values_list("name", flat=True)) == [
            "Fin plats",
            "Otryggt",
            "Förslag",
        ]

    def test_a_category_with_points_cannot_be_removed(self, setup):
        map_, people = setup
        used = map_.categories.first()
        f.point(
            map_,
            category=used,
            status=Status.HIDDEN,
            hidden_reason="reklam",
            hidden_at=timezone.now(),
        )
        with pytest.raises(ValidationError):
            services.category_remove(category=used, actor=people.official)
        assert map_.categories.filter(pk=used.pk).exists()

    def test_an_unused_category_is_removed_and_audited(self, setup):
        map_, people = setup
        unused = map_.categories.last()
        services.category_remove(category=unused, actor=people.official)
        assert not map_.categories.filter(pk=unused.pk).exists()
        assert _hide_entries("mapinput.category_removed") == 1

    def test_only_managers_change_categories(self, setup):
        map_, _people = setup
        with pytest.raises(PermissionDenied):
            services.category_add(map_=map_, actor=user_with_role(Role.CITIZEN), name="X")


class TestModeration:
    def test_hiding_keeps_the_original_tells_the_author_and_audits(self, setup):
        map_, people = setup
        author = f.citizen()
        point = f.point(map_, author, comment="Köp billiga klockor här!")
        services.point_hide(point=point, actor=people.official, reason=HideReason.SPAM)
        point.refresh_from_db()
        assert point.status == Status.HIDDEN
        assert point.comment == "Köp billiga klockor här!"
        assert point.hidden_reason == HideReason.SPAM and point.hidden_by == people.official
        notification = Notification.objects.get(template="mapinput.hidden")
        assert notification.context["reason"] == str(HideReason.SPAM.label)
        assert Delivery.objects.filter(notification=notification, user=author).exists()
        assert AuditEntry.objects.filter(
            action="mapinput.point_hidden", object_id=str(point.pk)
        ).exists()

    def test_a_bad_reason_is_refused(self, setup):
        map_, people = setup
        point = f.point(map_)
        with pytest.raises(ValidationError):
            services.point_hide(point=point, actor=people.official, reason="tyckte inte om")
        point.refresh_from_db()
        assert point.status == Status.PUBLISHED

    def test_approve_publishes_a_pending_point(self, setup):
        map_, people = setup
        point = f.point(map_, status=Status.PENDING)
        services.point_approve(point=point, actor=people.official)
        point.refresh_from_db()
        assert point.status == Status.PUBLISHED
        with pytest.raises(ValidationError):
            services.point_approve(point=point, actor=people.official)

    def test_only_moderators_hide(self, setup):
        map_, _people = setup
        point = f.point(map_)
        for someone in (user_with_role(Role.CITIZEN), user_with_role(Role.ELECTED)):
            with pytest.raises(PermissionDenied):
                services.point_hide(point=point, actor=someone, reason=HideReason.SPAM)

    def test_comment_moderation_recounts_and_tells_the_author(self, setup):
        map_, people = setup
        point = f.point(map_)
        writer = f.citizen()
        comment = Comment.objects.create(
            point=point, author=writer, shown_name="Ali", text="Du är dum.", status=Status.PENDING
        )
        services.comment_approve(comment=comment, actor=people.official)
        point.refresh_from_db()
        assert point.comment_count == 1
        services.comment_hide(
            comment=comment, actor=people.official, reason=HideReason.PERSONAL_ATTACK
        )
        point.refresh_from_db()
        comment.refresh_from_db()
        assert point.comment_count == 0
        assert comment.text == "Du är dum." and comment.status == Status.HIDDEN
        assert Delivery.objects.filter(
            notification__template="mapinput.hidden", user=writer
        ).exists()
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"mapinput.comment_approved", "mapinput.comment_hidden"} <= actions


class TestIntoResultsAndFaults:
    @pytest.mark.parametrize("kind", [ItemKind.COMMITTEE, ItemKind.SIMPLE])
    def test_a_point_becomes_a_result_item_of_the_kind(self, setup, kind):
        map_, people = setup
        point = f.point(map_, comment="Bänkar vid klätterträdet")
        item = services.point_to_result_item(
            point=point, actor=people.official, title="Bänkar", kind=kind
        )
        point.refresh_from_db()
        assert point.result_item == item and item.kind == kind
        assert "Bänkar vid klätterträdet" in item.description
        assert item.dialogue == map_.dialogue

    def test_a_party_political_item_needs_a_politician(self, setup):
        map_, people = setup
        point = f.point(map_)
        with pytest.raises(ValidationError):
            services.point_to_result_item(
                point=point, actor=people.official, title="Skatten", kind=ItemKind.PARTY_POLITICAL
            )
        point.refresh_from_db()
        assert point.result_item is None
        politician = user_with_role(Role.ELECTED)
        item = services.point_to_result_item(
            point=point,
            actor=people.official,
            title="Skatten",
            kind=ItemKind.PARTY_POLITICAL,
            politician=politician,
        )
        assert item.kind == ItemKind.PARTY_POLITICAL and item.politician == politician

    def test_a_point_becomes_a_fault_report_linked_both_ways(self, setup):
        from torget.feedback import links
        from torget.feedback.models import Source

        map_, people = setup
        point = f.point(map_, comment="Trasig gatlykta vid grinden")
        category = CategoryFactory()
        case = services.point_report_fault(point=point, actor=people.official, category=category)
        point.refresh_from_db()
        assert point.case == case and case.source == Source.DIALOGUE
        assert (case.lat, case.lon) == (point.lat, point.lon)
        assert "Trasig gatlykta" in case.description
        urls = [link.url for link in links.links_for(case)]
        assert f"/personal/karta/punkt/{point.pk}/" in urls
        with pytest.raises(ValidationError):
            services.point_report_fault(point=point, actor=people.official, category=category)

    def test_an_opinion_category_is_refused_for_a_fault(self, setup):
        map_, people = setup
        point = f.point(map_)
        with pytest.raises(ValidationError):
            services.point_report_fault(
                point=point, actor=people.official, category=OpinionCategoryFactory()
            )


# --- Clusters, density, filters ----------------------------------------------------------------

SQUARE = Extent(south=59.30, west=18.00, north=59.32, east=18.02)


def _at(map_, lat, lon, **values):
    return f.point(map_, at=(lat, lon), **values)


class TestGrid:
    def test_counts_per_cell_on_a_two_by_two_grid(self, setup):
        map_, _people = setup
        unsafe, idea, _good = list(map_.categories.all())
        # South-west cell: 3 points (2 unsafe, 1 idea); north-east: 1 idea.
        _at(map_, 59.301, 18.001, category=unsafe)
        _at(map_, 59.302, 18.002, category=unsafe)
        _at(map_, 59.303, 18.003, category=idea)
        _at(map_, 59.319, 18.019, category=idea)
        names = {c.pk: c.name for c in map_.categories.all()}
        cells = selectors.grid(Point.objects.filter(map=map_), SQUARE, 2, names)
        assert [(c.row, c.column, c.count, c.top_category) for c in cells] == [
            (0, 0, 3, "Otryggt"),
            (1, 1, 1, "Förslag"),
        ]
        assert cells[0].lat == pytest.approx(59.302)
        assert cells[0].lon == pytest.approx(18.002)
        assert cells[0].south == pytest.approx(59.30) and cells[0].north == pytest.approx(59.31)

    def test_a_tie_goes_to_the_category_first_in_the_list(self, setup):
        map_, _people = setup
        unsafe, idea, _good = list(map_.categories.all())
        _at(map_, 59.301, 18.001, category=idea)
        _at(map_, 59.302, 18.002, category=unsafe)
        names = {c.pk: c.name for c in map_.categories.all()}
        cells = selectors.grid(Point.objects.filter(map=map_), SQUARE, 2, names)
        assert cells[0].top_category == "Otryggt"

    def test_a_point_on_the_edge_counts_in_the_edge_cell(self, setup):
        map_, _people = setup
        _at(map_, 59.32, 18.02)
        names = {c.pk: c.name for c in map_.categories.all()}
        cells = selectors.grid(Point.objects.filter(map=map_), SQUARE, 4, names)
        assert [(c.row, c.column, c.count) for c in cells] == [(3, 3, 1)]

    def test_overview_counts_clusters_and_density_on_the_area(self, setup):
        map_, _people = setup
        for lat in (59.3101, 59.3102, 59.3103):
            _at(map_, lat, 18.0101)
        _at(map_, 59.3011, 18.0011)
        view = selectors.overview(map_, Filters(), list(map_.categories.all()))
        assert view.total == 4
        assert view.extent == SQUARE
        assert [c.count for c in view.clusters] == [3, 1]
        assert [c.count for c in view.density] == [3, 1]
        assert view.density_max == 3
        assert dict((c.name, n) for c, n in view.by_category) == {
            "Otryggt": 4,
            "Förslag": 0,
            "Bra plats": 0,
        }
        # 0.02° of latitude over 40 cells ≈ 56 m.
        assert 50 < view.cell_height_m < 60


class TestFilters:
    def test_by_category_period_age_band_and_status(self, setup):
        map_, _people = setup
        unsafe, idea, _good = list(map_.categories.all())
        now = timezone.now()
        old = _at(map_, 59.31, 18.01, category=unsafe, created_at=now - datetime.timedelta(days=20))
        young = _at(map_, 59.31, 18.01, category=idea, age_band="12-15")
        hidden = _at(
            map_,
            59.31,
            18.01,
            category=idea,
            age_band="30-44",
            status=Status.HIDDEN,
            hidden_reason="reklam",
            hidden_at=now,
        )

        def ids(**values):
            return set(
                selectors.filtered_points(map_, Filters(**values)).values_list("pk", flat=True)
            )

        assert ids() == {old.pk, young.pk, hidden.pk}
        assert ids(categories=(idea.pk,)) == {young.pk, hidden.pk}
        today = timezone.localdate()
        assert ids(starts_on=today - datetime.timedelta(days=1)) == {young.pk, hidden.pk}
        assert ids(ends_on=today - datetime.timedelta(days=10)) == {old.pk}
        assert ids(age_bands=("12-15",)) == {young.pk}
        assert ids(age_bands=(selectors.NO_AGE_BAND,)) == {old.pk}
        assert ids(statuses=(Status.HIDDEN,)) == {hidden.pk}
        assert ids(categories=(idea.pk,), statuses=(Status.PUBLISHED,)) == {young.pk}


class TestQueue:
    def test_pending_points_and_comments_oldest_first(self, setup):
        map_, _people = setup
        now = timezone.now()
        newer = _at(map_, 59.31, 18.01, status=Status.PENDING, created_at=now)
        published = _at(map_, 59.31, 18.01, created_at=now - datetime.timedelta(days=3))
        comment = Comment.objects.create(
            point=published,
            author=f.citizen(),
            shown_name="A",
            text="Väntar",
            status=Status.PENDING,
            created_at=now - datetime.timedelta(days=1),
        )
        rows = list(selectors.queue_entries([map_.pk]))
        objects = selectors.queue_page_objects(rows)
        assert [(kind, obj.pk) for kind, obj in objects] == [
            ("kommentar", comment.pk),
            ("punkt", newer.pk),
        ]
