"""The forum's staff side: setting up a forum, the overview, the summary, a thread as staff see
it (hidden originals and waiting posts, each post's audit trail), the steps on a post (hide,
approve, keep, tag, quote, result item of each kind, ban), and who may do what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.dialogues.catalogue import WEB_FORUM
from torget.forum import moderation, staff_services
from torget.forum.models import (
    Ban,
    Flag,
    FlagOutcome,
    FlagReason,
    Forum,
    HideReason,
    Identification,
    Moderation,
    Post,
    PostStatus,
)
from torget.forum.tests import factories as f
from torget.results.models import ItemStatus, Kind, ResultItem

pytestmark = pytest.mark.django_db

ORIGINAL = "Originaltext som en moderator har dolt: ett personangrepp."


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    # notify.py belongs to the notifications work; these tests are about the staff side.
    monkeypatch.setattr("torget.forum.notify.post_hidden", lambda post: None)
    monkeypatch.setattr("torget.forum.notify.post_published", lambda post: None)


@pytest.fixture
def world():
    dialogue, people = f.forum_dialogue()
    forum = f.forum(dialogue)
    thread = f.thread(forum)
    return forum, thread, people


def _other_leader():
    _, people = f.forum_dialogue(title="Trafiken i Norr")
    return people.leader


def _actor(who, people):
    return {
        "citizen": f.citizen,
        "other_leader": _other_leader,
        "reader": lambda: user_with_role(Role.CONTACT_CENTRE),
        "leader": lambda: people.leader,
        "official": lambda: people.official,
        "admin": lambda: user_with_role(Role.ADMINISTRATOR),
    }[who]()


def _form(**values):
    data = {
        "title": "Samtal om parken",
        "intro": "Vad vill du ha i parken?",
        "citizens_may_start": "on",
        "identification": Identification.EMAIL,
        "moderation": Moderation.POST,
        "participants": "Politikerna i nämnden svarar på tisdagar.",
    }
    data.update(values)
    return data


class TestSetUp:
    def test_the_new_forum_page_suggests_the_web_forum_method(self, client, world):
        forum, thread, people = world
        client.force_login(people.official)
        response = client.get(reverse("forum:staff_new", args=[forum.dialogue_id]))
        assert response.status_code == 200
        method = forum.dialogue.methods.get(method__code=WEB_FORUM)
        assert response.context["form"].initial["planned_method"] == method.pk
        assert response.context["form"].initial["citizens_may_start"] is True

    def test_creating_a_forum_is_audited(self, client, world):
        forum, thread, people = world
        method = forum.dialogue.methods.get(method__code=WEB_FORUM)
        client.force_login(people.official)
        response = client.post(
            reverse("forum:staff_new", args=[forum.dialogue_id]),
            _form(planned_method=method.pk, moderation=Moderation.PRE),
        )
        created = Forum.objects.get(title="Samtal om parken")
        assert response.status_code == 302
        assert response["Location"] == reverse("forum:staff_detail", args=[created.pk])
        assert created.moderation == Moderation.PRE
        assert created.citizens_may_start
        assert created.created_by == people.official
        assert AuditEntry.objects.filter(action="forum.created", object_id=str(created.pk))

    def test_another_dialogues_method_cannot_be_chosen(self, client, world):
        forum, thread, people = world
        other, _ = f.forum_dialogue(title="Trafiken i Norr")
        foreign = other.methods.get(method__code=WEB_FORUM)
        client.force_login(people.official)
        response = client.post(
            reverse("forum:staff_new", args=[forum.dialogue_id]),
            _form(planned_method=foreign.pk),
        )
        assert response.status_code == 400
        assert "Samtal om parken" in response.content.decode()
        assert not Forum.objects.filter(title="Samtal om parken").exists()
        with pytest.raises(ValidationError):
            staff_services.forum_create(
                dialogue=forum.dialogue,
                actor=people.official,
                title="X",
                planned_method=foreign,
            )

    def test_editing_records_what_changed(self, client, world):
        forum, thread, people = world
        client.force_login(people.official)
        response = client.post(
            reverse("forum:staff_edit", args=[forum.pk]),
            _form(
                planned_method=forum.planned_method_id,
                identification=Identification.EID,
                citizens_may_start="",
            ),
        )
        assert response.status_code == 302
        forum.refresh_from_db()
        assert forum.identification == Identification.EID
        assert not forum.citizens_may_start
        entry = AuditEntry.objects.get(action="forum.updated", object_id=str(forum.pk))
        assert entry.changes["identification"] == [Identification.EMAIL, Identification.EID]

    def test_the_dialogues_staff_page_lists_the_forum_and_offers_a_new_one(self, client, world):
        forum, thread, people = world
        client.force_login(people.official)
        page = client.get(reverse("dialogues:staff_detail", args=[forum.dialogue_id]))
        html = page.content.decode()
        assert reverse("forum:staff_detail", args=[forum.pk]) in html
        assert reverse("forum:staff_new", args=[forum.dialogue_id]) in html
        assert reverse("forum:queue") in html

    def test_readers_see_the_section_without_a_new_forum_link(self, client, world):
        forum, thread, people = world
        client.force_login(user_with_role(Role.CONTACT_CENTRE))
        html = client.get(reverse("dialogues:staff_detail", args=[forum.dialogue_id])).content
        assert reverse("forum:staff_detail", args=[forum.pk]) in html.decode()
        assert reverse("forum:staff_new", args=[forum.dialogue_id]) not in html.decode()
        # Readers moderate nothing: no link to the queue, even when something waits.
        f.post(thread, status=PostStatus.PENDING)
        html = client.get(reverse("dialogues:staff_detail", args=[forum.dialogue_id])).content
        assert "1 inlägg väntar på moderator" in html.decode()
        assert reverse("forum:queue") not in html.decode()


class TestPermissions:
    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            ("citizen", 403),
            # An elected official reads every dialogue's staff pages (dialogues.view_dialogue).
            ("other_leader", 200),
            ("reader", 200),
            ("leader", 200),
            ("official", 200),
            ("admin", 200),
        ],
    )
    def test_reading_the_staff_pages(self, client, world, who, expected):
        forum, thread, people = world
        client.force_login(_actor(who, people))
        assert client.get(reverse("forum:staff_detail", args=[forum.pk])).status_code == expected
        assert client.get(reverse("forum:staff_thread", args=[thread.pk])).status_code == expected

    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            ("citizen", 403),
            ("other_leader", 403),
            ("reader", 403),
            ("leader", 200),
            ("official", 200),
            ("admin", 200),
        ],
    )
    def test_changing_and_moderating(self, client, world, who, expected):
        forum, thread, people = world
        client.force_login(_actor(who, people))
        for name, args in (
            ("forum:staff_new", [forum.dialogue_id]),
            ("forum:staff_edit", [forum.pk]),
            ("forum:summary", [forum.pk]),
            ("forum:queue", []),
            ("forum:bans", []),
        ):
            assert client.get(reverse(name, args=args)).status_code == expected, name
        post = f.post(thread)
        response = client.post(
            reverse("forum:post_action", args=[post.pk, "dolj"]),
            {f"dolj-{post.pk}-reason": HideReason.SPAM},
        )
        assert response.status_code == (302 if expected == 200 else 403)
        hidden = Post.objects.get(pk=post.pk).status == PostStatus.HIDDEN
        assert hidden is (expected == 200)

    def test_visitors_are_sent_to_log_in(self, client, world):
        forum, thread, people = world
        for url in (
            reverse("forum:staff_detail", args=[forum.pk]),
            reverse("forum:queue"),
            reverse("forum:post_action", args=[thread.posts.get().pk, "dolj"]),
        ):
            response = client.post(url) if "inlagg" in url else client.get(url)
            assert response.status_code == 302
            assert reverse("accounts:login") in response["Location"]

    def test_a_get_to_a_post_action_is_refused(self, client, world):
        forum, thread, people = world
        client.force_login(people.official)
        url = reverse("forum:post_action", args=[thread.posts.get().pk, "dolj"])
        assert client.get(url).status_code == 405

    def test_an_unknown_action_is_404(self, client, world):
        forum, thread, people = world
        client.force_login(people.official)
        url = reverse("forum:post_action", args=[thread.posts.get().pk, "radera"])
        assert client.post(url).status_code == 404


class TestStaffThread:
    def test_staff_see_hidden_originals_waiting_posts_and_the_audit_trail(self, client, world):
        forum, thread, people = world
        hidden = f.post(thread, text=ORIGINAL)
        waiting = f.post(thread, text="Väntar på granskning här.", status=PostStatus.PENDING)
        Flag.objects.create(post=hidden, reason=FlagReason.PERSONAL_ATTACK, flagged_by=f.citizen())
        client.force_login(people.official)
        response = client.post(
            reverse("forum:post_action", args=[hidden.pk, "dolj"]),
            {f"dolj-{hidden.pk}-reason": HideReason.PERSONAL_ATTACK, f"dolj-{hidden.pk}-note": ""},
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"#inlagg-{hidden.pk}")
        page = client.get(response["Location"].split("#")[0]).content.decode()
        # Kept in the database, with its original text; shown to staff with the reason.
        assert Post.objects.get(pk=hidden.pk).text == ORIGINAL
        assert ORIGINAL in page
        assert "Dolt av moderator: personangrepp" in page
        assert "Väntar på granskning här." in page
        assert "Inlägget doldes av moderator" in page  # the post's audit trail
        assert reverse("forum:post_action", args=[waiting.pk, "godkann"]) in page
        assert Flag.objects.get(post=hidden).outcome == FlagOutcome.HIDDEN

    def test_the_thread_page_costs_the_same_queries_for_more_posts(
        self, client, world, django_assert_max_num_queries
    ):
        forum, thread, people = world
        for number in range(15):
            post = f.post(thread, text=f"Inlägg {number}")
            Flag.objects.create(post=post, reason=FlagReason.SPAM)
            staff_services.post_tag(post=post, actor=people.official, name="trafik")
        client.force_login(people.official)
        with django_assert_max_num_queries(25):
            response = client.get(reverse("forum:staff_thread", args=[thread.pk]))
        assert response.status_code == 200

    def test_every_step_form_carries_the_csrf_token(self, world):
        forum, thread, people = world
        f.post(thread)
        client = Client(enforce_csrf_checks=True)
        client.force_login(people.official)
        page = client.get(reverse("forum:staff_thread", args=[thread.pk])).content.decode()
        forms = [
            chunk.split("</form>")[0]
            for chunk in page.split('<form method="post" action="/personal/forum/inlagg/')[1:]
        ]
        assert len(forms) >= 5
        assert all('name="csrfmiddlewaretoken"' in form for form in forms)

    def test_readers_see_the_thread_without_steps(self, client, world):
        forum, thread, people = world
        post = f.post(thread)
        client.force_login(user_with_role(Role.CONTACT_CENTRE))
        page = client.get(reverse("forum:staff_thread", args=[thread.pk])).content.decode()
        assert reverse("forum:post_action", args=[post.pk, "dolj"]) not in page

    def test_a_hide_without_a_reason_shows_the_form_again(self, client, world):
        forum, thread, people = world
        post = f.post(thread)
        client.force_login(people.official)
        response = client.post(
            reverse("forum:post_action", args=[post.pk, "dolj"]),
            {f"dolj-{post.pk}-note": "Min förklaring"},
        )
        assert response.status_code == 400
        assert "Min förklaring" in response.content.decode()
        assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED

    def test_approve_and_keep_through_the_page(self, client, world):
        forum, thread, people = world
        waiting = f.post(thread, status=PostStatus.PENDING)
        flagged = f.post(thread)
        Flag.objects.create(post=flagged, reason=FlagReason.OFF_TOPIC)
        client.force_login(people.official)
        client.post(reverse("forum:post_action", args=[waiting.pk, "godkann"]))
        client.post(reverse("forum:post_action", args=[flagged.pk, "behall"]))
        assert Post.objects.get(pk=waiting.pk).status == PostStatus.PUBLISHED
        assert Flag.objects.get(post=flagged).outcome == FlagOutcome.KEPT

    def test_a_step_the_post_does_not_offer_is_refused_with_a_message(self, client, world):
        forum, thread, people = world
        post = f.post(thread)
        client.force_login(people.official)
        response = client.post(reverse("forum:post_action", args=[post.pk, "godkann"]), follow=True)
        assert "Det steget går inte att ta med inlägget nu." in response.content.decode()

    def test_banning_the_author_from_a_post(self, client, world):
        forum, thread, people = world
        post = f.post(thread)
        until = timezone.localdate() + datetime.timedelta(days=7)
        client.force_login(people.official)
        response = client.post(
            reverse("forum:post_action", args=[post.pk, "avstang"]),
            {f"avstang-{post.pk}-until": until.isoformat(), f"avstang-{post.pk}-reason": "Hot"},
        )
        assert response.status_code == 302
        ban = Ban.objects.get(user=post.author)
        assert timezone.localtime(ban.until).date() == until
        assert moderation.active_ban_of(post.author) == ban


class TestResults:
    def test_tags_and_quotes(self, client, world):
        forum, thread, people = world
        post = f.post(thread, text="Bänkar vid fotbollsplanen.")
        client.force_login(people.official)
        client.post(
            reverse("forum:post_action", args=[post.pk, "etikett"]),
            {f"etikett-{post.pk}-name": "  Bänkar  "},
        )
        client.post(reverse("forum:post_action", args=[post.pk, "citat"]))
        post.refresh_from_db()
        assert [tag.name for tag in post.tags.all()] == ["Bänkar"]
        assert post.is_picked_quote
        # The same tag again (any case) is the same tag.
        staff_services.post_tag(post=f.post(thread), actor=people.official, name="bänkar")
        assert forum.tags.count() == 1
        page = client.get(reverse("forum:staff_detail", args=[forum.pk])).content.decode()
        assert "Bänkar vid fotbollsplanen." in page  # among the picked quotes
        client.post(reverse("forum:post_action", args=[post.pk, "citat-bort"]))
        assert not Post.objects.get(pk=post.pk).is_picked_quote

    @pytest.mark.parametrize("kind", [Kind.PARTY_POLITICAL, Kind.COMMITTEE, Kind.SIMPLE])
    def test_a_post_becomes_a_result_item_of_each_kind(self, client, world, kind):
        forum, thread, people = world
        post = f.post(thread, text="Sänk hastigheten vid skolan till 30.")
        politician = user_with_role(Role.ELECTED)
        data = {f"resultat-{post.pk}-kind": kind, f"resultat-{post.pk}-title": "Hastighet"}
        if kind == Kind.PARTY_POLITICAL:
            data[f"resultat-{post.pk}-politician"] = str(politician.pk)
        client.force_login(people.official)
        response = client.post(reverse("forum:post_action", args=[post.pk, "resultat"]), data)
        assert response.status_code == 302
        post.refresh_from_db()
        item = post.result_item
        assert item is not None
        assert (item.kind, item.title, item.dialogue) == (kind, "Hastighet", forum.dialogue)
        assert "Sänk hastigheten vid skolan till 30." in item.description
        assert post.get_absolute_url() in item.description
        if kind == Kind.PARTY_POLITICAL:
            assert item.politician == politician
            assert item.status == ItemStatus.HELD
        page = client.get(reverse("forum:staff_thread", args=[thread.pk])).content.decode()
        assert item.get_absolute_url() in page

    def test_a_party_political_item_needs_a_politician(self, client, world):
        forum, thread, people = world
        post = f.post(thread)
        client.force_login(people.official)
        response = client.post(
            reverse("forum:post_action", args=[post.pk, "resultat"]),
            {f"resultat-{post.pk}-kind": Kind.PARTY_POLITICAL},
        )
        assert response.status_code == 400
        assert not ResultItem.objects.exists()

    def test_a_thread_becomes_a_result_item_through_its_opening_post(self, client, world):
        forum, thread, people = world
        opening = thread.posts.get()
        client.force_login(people.official)
        response = client.post(
            reverse("forum:post_action", args=[opening.pk, "trad-resultat"]),
            {f"trad-resultat-{opening.pk}-kind": Kind.SIMPLE},
        )
        assert response.status_code == 302
        thread.refresh_from_db()
        assert thread.result_item.title == thread.title
        assert thread.result_item.kind == Kind.SIMPLE
        with pytest.raises(ValidationError):
            staff_services.thread_to_result_item(
                thread=thread, actor=people.official, kind=Kind.SIMPLE
            )

    def test_hidden_posts_do_not_become_results(self, world):
        forum, thread, people = world
        post = f.post(thread)
        moderation.post_hide(post=post, actor=people.official, reason=HideReason.SPAM)
        with pytest.raises(ValidationError):
            staff_services.post_to_result_item(
                post=Post.objects.get(pk=post.pk), actor=people.official, kind=Kind.SIMPLE
            )

    def test_only_those_who_work_with_the_dialogue_make_results(self, world):
        forum, thread, people = world
        with pytest.raises(PermissionDenied):
            staff_services.post_to_result_item(
                post=f.post(thread), actor=_other_leader(), kind=Kind.SIMPLE
            )


class TestSummary:
    def test_a_draft_is_saved_then_published(self, client, world):
        forum, thread, people = world
        client.force_login(people.official)
        url = reverse("forum:summary", args=[forum.pk])
        client.post(url, {"summary": "Utkast om gungorna.", "spara": "1"})
        forum.refresh_from_db()
        assert forum.summary == "Utkast om gungorna."
        assert forum.summary_published_at is None
        assert render_to_string("forum/_summary.html", {"forum": forum}).strip() == ""
        response = client.post(url, {"summary": "Många vill ha fler gungor.", "publicera": "1"})
        assert response.status_code == 302
        forum.refresh_from_db()
        assert forum.summary_published_at is not None
        shown = render_to_string("forum/_summary.html", {"forum": forum})
        assert "Många vill ha fler gungor." in shown
        public = client.get(forum.get_absolute_url()).content.decode()
        assert "Sammanfattning av forumet" in public and "Många vill ha fler gungor." in public
        # Among the dialogue's results, for its summary at feedback point 2; once.
        client.post(url, {"summary": "Många vill ha fler gungor och bänkar.", "publicera": "1"})
        items = forum.dialogue.result_items.filter(title__startswith="Forumets sammanfattning")
        assert [item.description for item in items] == ["Många vill ha fler gungor."]
        actions = set(
            AuditEntry.objects.filter(object_id=str(forum.pk)).values_list("action", flat=True)
        )
        assert {"forum.summary_saved", "forum.summary_published"} <= actions

    def test_an_empty_summary_is_refused(self, client, world):
        forum, thread, people = world
        client.force_login(people.official)
        response = client.post(reverse("forum:summary", args=[forum.pk]), {"publicera": "1"})
        assert response.status_code == 400
        forum.refresh_from_db()
        assert forum.summary_published_at is None


class TestOverview:
    def test_the_overview_counts_and_links(self, client, world, django_assert_max_num_queries):
        forum, thread, people = world
        f.post(thread, status=PostStatus.PENDING)
        for number in range(10):
            f.thread(forum, title=f"Tråd {number}")
        client.force_login(people.official)
        with django_assert_max_num_queries(25):
            response = client.get(reverse("forum:staff_detail", args=[forum.pk]))
        page = response.content.decode()
        assert response.status_code == 200
        assert response.context["figures"]["pending"] == 1
        assert response.context["thread_total"] == 11
        assert reverse("forum:staff_thread", args=[thread.pk]) in page
        assert reverse("forum:queue") + f"?forum={forum.pk}" in page
