"""The forum's public pages: what each visitor sees and may do, what never shows, and how
many queries the lists cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.forum import badges
from torget.forum.badges import Badge
from torget.forum.models import (
    Agree,
    Ban,
    HideReason,
    Identification,
    Moderation,
    Post,
    PostStatus,
    Thread,
)
from torget.forum.tests import factories
from torget.identity.tests.factories import make_pin

pytestmark = pytest.mark.django_db

SECRET = "Hemlig text som en moderator har dolt"


@pytest.fixture
def forum():
    return factories.forum()


def forum_url(forum):
    return forum.get_absolute_url()


def new_url(forum):
    return reverse("forum:new_thread", args=[forum.dialogue_id, forum.pk])


def feed_url(forum):
    return reverse("forum:feed", args=[forum.dialogue_id, forum.pk])


def hidden_post(thread, **values):
    return factories.post(
        thread,
        text=SECRET,
        status=PostStatus.HIDDEN,
        hidden_reason=HideReason.PERSONAL_ATTACK,
        hidden_at=timezone.now(),
        **values,
    )


def page(response):
    return response.content.decode()


class TestForumPage:
    def test_a_visitor_sees_the_forum_with_rules_period_and_a_log_in_link(self, client, forum):
        forum.participants = "Filip Förtroendevald svarar på tisdagar."
        forum.save()
        response = client.get(forum_url(forum))
        assert response.status_code == 200
        html = page(response)
        assert forum.intro in html
        assert "Filip Förtroendevald svarar på tisdagar." in html
        assert reverse("forum:rules") in html
        assert "öppet till och med" in html
        login = reverse("accounts:login") + "?next=" + new_url(forum).replace("/", "%2F")
        assert login in html
        assert "Här finns inga trådar än." in html

    def test_a_verified_citizen_gets_the_start_button(self, client, forum):
        client.force_login(factories.citizen())
        html = page(client.get(forum_url(forum)))
        assert f'href="{new_url(forum)}"' in html

    def test_an_e_id_forum_links_to_the_e_id_step(self, client, forum):
        forum.identification = Identification.EID
        forum.save()
        client.force_login(factories.citizen())
        html = page(client.get(forum_url(forum)))
        assert reverse("identity:choose") + "?next=" in html

    def test_an_unverified_email_is_explained(self, client, forum):
        client.force_login(factories.citizen(email_verified_at=None))
        html = page(client.get(forum_url(forum)))
        assert "Din e-postadress är inte bekräftad än" in html

    def test_a_closed_forum_says_so(self, client, forum):
        method = forum.planned_method
        method.ends_on = timezone.localdate() - datetime.timedelta(days=1)
        method.save()
        html = page(client.get(forum_url(forum)))
        assert "Forumet är stängt" in html
        assert f'href="{new_url(forum)}"' not in html

    def test_a_banned_person_is_told_until_when(self, client, forum):
        citizen = factories.citizen()
        Ban.objects.create(
            user=citizen,
            until=timezone.now() + datetime.timedelta(days=3),
            reason="Upprepade personangrepp",
            created_by=user_with_role(Role.OFFICIAL),
        )
        client.force_login(citizen)
        html = page(client.get(forum_url(forum)))
        assert "avstängd" in html and "Upprepade personangrepp" in html

    def test_when_citizens_may_not_start_it_says_so(self, client, forum):
        forum.citizens_may_start = False
        forum.save()
        client.force_login(factories.citizen())
        assert "I det här forumet startar kommunen trådarna" in page(client.get(forum_url(forum)))

    def test_a_forum_of_a_dialogue_that_is_not_public_is_404(self, client, forum):
        other = factories.forum()
        bad = reverse("forum:forum", args=[other.dialogue_id + 1000, other.pk])
        assert client.get(bad).status_code == 404

    def test_threads_sort_by_newest_most_active_and_most_agreed(self, client, forum):
        old = factories.thread(forum, title="Gammal men aktiv")
        new = factories.thread(forum, title="Ny tråd")
        agreed = factories.thread(forum, title="Populär tråd")
        now = timezone.now()
        Thread.objects.filter(pk=old.pk).update(
            created_at=now - datetime.timedelta(days=5), last_post_at=now
        )
        Thread.objects.filter(pk=new.pk).update(
            created_at=now, last_post_at=now - datetime.timedelta(hours=2)
        )
        Thread.objects.filter(pk=agreed.pk).update(
            created_at=now - datetime.timedelta(days=2),
            last_post_at=now - datetime.timedelta(hours=5),
            agree_count=9,
        )

        def order(key):
            html = page(client.get(forum_url(forum), {"ordning": key}))
            return sorted(
                ["Gammal men aktiv", "Ny tråd", "Populär tråd"], key=lambda t: html.index(t)
            )

        assert order("nyast") == ["Ny tråd", "Populär tråd", "Gammal men aktiv"]
        assert order("aktivast") == ["Gammal men aktiv", "Ny tråd", "Populär tråd"]
        assert order("mest-medhall")[0] == "Populär tråd"
        assert client.get(forum_url(forum), {"ordning": "<x>"}).status_code == 200

    def test_hidden_and_waiting_threads_are_not_listed(self, client, forum):
        factories.thread(forum, title="Synlig tråd")
        factories.thread(forum, title="Väntande tråd", status=PostStatus.PENDING)
        html = page(client.get(forum_url(forum)))
        assert "Synlig tråd" in html and "Väntande tråd" not in html

    def test_the_list_costs_the_same_queries_for_more_threads(self, client, forum):
        client.force_login(factories.citizen())
        factories.thread(forum)
        with CaptureQueriesContext(connection) as few:
            assert client.get(forum_url(forum)).status_code == 200
        for _n in range(15):
            factories.post(factories.thread(forum))
        with CaptureQueriesContext(connection) as many:
            assert client.get(forum_url(forum)).status_code == 200
        assert len(many) == len(few)


class TestNewThread:
    def test_a_citizen_starts_a_thread(self, client, forum):
        client.force_login(factories.citizen(full_name="Maja Berg"))
        response = client.post(
            new_url(forum),
            {"title": "Skugga vid sandlådan", "text": "Det behövs träd.", "shown_name": ""},
            follow=True,
        )
        html = page(response)
        assert "Din tråd är publicerad." in html
        assert "Skugga vid sandlådan" in html
        assert "Maja" in html

    def test_bad_input_keeps_the_text_and_shows_the_error(self, client, forum):
        client.force_login(factories.citizen())
        response = client.post(
            new_url(forum), {"title": "ab", "text": "Min långa text om gungorna."}
        )
        assert response.status_code == 400
        html = page(response)
        assert "Min långa text om gungorna." in html
        assert "Rubriken ska vara" in html
        assert not Thread.objects.exists()

    def test_a_visitor_posting_is_sent_to_log_in(self, client, forum):
        response = client.post(new_url(forum), {"title": "Hej hej", "text": "Text här"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_the_starting_question_box_only_for_those_who_manage(self, client, forum):
        client.force_login(factories.citizen())
        assert "starting_question" not in page(client.get(new_url(forum)))
        official = user_with_role(Role.OFFICIAL)
        client.force_login(official)
        assert "starting_question" in page(client.get(new_url(forum)))
        client.post(
            new_url(forum),
            {"title": "Vad saknar du?", "text": "Berätta gärna.", "starting_question": "on"},
        )
        assert Thread.objects.get().is_starting_question

    def test_in_pre_moderation_the_author_is_told_and_sees_it_waiting(self, client, forum):
        forum.moderation = Moderation.PRE
        forum.save()
        citizen = factories.citizen()
        client.force_login(citizen)
        response = client.post(
            new_url(forum), {"title": "Väntande tråd", "text": "Text som väntar."}, follow=True
        )
        html = page(response)
        assert "granskas av en moderator" in html
        assert "väntar på granskning" in html
        client.logout()
        thread = Thread.objects.get()
        assert client.get(thread.get_absolute_url()).status_code == 404
        assert "Väntande tråd" not in page(client.get(forum_url(forum)))

    def test_an_e_id_step_lets_the_citizen_post(self, client, forum):
        forum.identification = Identification.EID
        forum.save()
        citizen = factories.citizen()
        client.force_login(citizen)
        refused = client.post(new_url(forum), {"title": "Hej alla", "text": "Text här"})
        assert refused.status_code == 403
        client.post(
            reverse("identity:demo"),
            {"pin": str(make_pin()), "residence": "ja", "next": new_url(forum)},
        )
        response = client.post(new_url(forum), {"title": "Hej alla", "text": "Text här"})
        assert response.status_code == 302
        assert Thread.objects.count() == 1


class TestThreadPage:
    def test_posts_show_name_badge_time_quote_and_edited_mark(self, client, forum):
        thread = factories.thread(forum, title="Cykelställ")
        now = timezone.now()
        factories.post(
            thread,
            shown_name="Filip",
            badge_kind="politiker",
            badge="Politiker, Barn- och utbildningsnämnden",
            quote_text="Kan det bli tak?",
            quote_of=thread.posts.get(),
            created_at=now - datetime.timedelta(hours=1),
            edited_at=now,
        )
        html = page(client.get(thread.get_absolute_url()))
        assert '<span class="badge">Politiker, Barn- och utbildningsnämnden</span>' in html
        assert "<blockquote" in html and "Kan det bli tak?" in html
        assert "ändrat" in html
        assert reverse("forum:rules") in html
        assert reverse("notifications:follow", args=["forumtrad", thread.pk]) in html

    def test_replies_show_under_their_post(self, client, forum):
        thread = factories.thread(forum)
        top = factories.post(thread, text="Toppinlägg")
        factories.post(thread, parent=top, text="Ett svar på toppen")
        html = page(client.get(thread.get_absolute_url()))
        assert html.index("Toppinlägg") < html.index('class="forum-replies"')
        assert html.index('class="forum-replies"') < html.index("Ett svar på toppen")

    def test_a_hidden_post_shows_only_its_placeholder(self, client, forum):
        thread = factories.thread(forum)
        hidden_post(thread)
        html = page(client.get(thread.get_absolute_url()))
        assert "Dolt av moderator: personangrepp" in html
        assert SECRET not in html

    def test_a_quote_of_a_post_hidden_later_is_not_shown(self, client, forum):
        thread = factories.thread(forum)
        quoted = hidden_post(thread)
        factories.post(thread, quote_of=quoted, quote_text=SECRET, text="Jag citerade.")
        html = page(client.get(thread.get_absolute_url()))
        assert "Jag citerade." in html
        assert SECRET not in html

    def test_a_waiting_post_shows_only_to_its_author(self, client, forum):
        thread = factories.thread(forum)
        author = factories.citizen()
        factories.post(thread, author, text="Mitt väntande inlägg", status=PostStatus.PENDING)
        assert "Mitt väntande inlägg" not in page(client.get(thread.get_absolute_url()))
        client.force_login(author)
        html = page(client.get(thread.get_absolute_url()))
        assert "Mitt väntande inlägg" in html and "väntar på granskning" in html

    def test_citizens_text_is_escaped_and_javascript_links_are_no_links(self, client, forum):
        thread = factories.thread(forum)
        factories.post(
            thread,
            text='<script>alert("x")</script> javascript:alert(1) <a href="javascript:x">y</a>',
        )
        html = page(client.get(thread.get_absolute_url()))
        assert '<script>alert("x")' not in html
        assert "&lt;script&gt;" in html
        assert '<a href="javascript:' not in html
        assert "<a " not in html.split('class="prose">')[-1].split("</div>")[0]

    def test_the_reply_and_quote_links_fill_the_form(self, client, forum):
        thread = factories.thread(forum)
        top = factories.post(thread, shown_name="Ahmed", text="Fotbollsplan utan grus.")
        client.force_login(factories.citizen())
        html = page(client.get(thread.get_absolute_url(), {"svar-pa": top.pk}))
        assert "Svara Ahmed" in html and f'name="parent" value="{top.pk}"' in html
        html = page(client.get(thread.get_absolute_url(), {"citera": top.pk}))
        assert "Du citerar Ahmed" in html and f'name="quote_of" value="{top.pk}"' in html
        assert client.get(thread.get_absolute_url(), {"citera": "x²"}).status_code == 200

    def test_the_page_costs_the_same_queries_for_more_posts(self, client, forum):
        thread = factories.thread(forum)
        viewer = factories.citizen()
        client.force_login(viewer)
        top = factories.post(thread)
        factories.post(thread, parent=top)
        client.get(thread.get_absolute_url())  # warms the per-process caches (content types)
        with CaptureQueriesContext(connection) as few:
            assert client.get(thread.get_absolute_url()).status_code == 200
        for _n in range(10):
            top = factories.post(thread)
            Agree.objects.create(post=top, user=viewer)
            factories.post(thread, parent=top)
            hidden_post(thread, parent=top)
        with CaptureQueriesContext(connection) as many:
            assert client.get(thread.get_absolute_url()).status_code == 200
        assert len(many) == len(few)

    def test_a_long_thread_is_paged(self, client, forum):
        thread = factories.thread(forum)
        for number in range(55):
            factories.post(thread, text=f"Inlägg {number:03d}")
        first = page(client.get(thread.get_absolute_url()))
        assert "Inlägg 000" in first and "Inlägg 054" not in first
        second = page(client.get(thread.get_absolute_url(), {"sida": 2}))
        assert "Inlägg 054" in second


class TestReply:
    def test_a_citizen_replies_and_is_told(self, client, forum):
        thread = factories.thread(forum)
        top = factories.post(thread)
        client.force_login(factories.citizen())
        response = client.post(
            reverse("forum:reply", args=[thread.pk]),
            {"text": "Mitt svar här", "parent": top.pk},
            follow=True,
        )
        html = page(response)
        assert "Ditt inlägg är publicerat." in html
        assert Post.objects.get(text="Mitt svar här").parent_id == top.pk

    def test_bad_input_keeps_the_text(self, client, forum):
        thread = factories.thread(forum)
        client.force_login(factories.citizen())
        response = client.post(
            reverse("forum:reply", args=[thread.pk]),
            {"text": "https://a.example https://b.example"},
        )
        assert response.status_code == 400
        assert "https://a.example https://b.example" in page(response)
        assert "mest av länkar" in page(response)

    def test_a_visitor_is_sent_to_log_in(self, client, forum):
        thread = factories.thread(forum)
        response = client.post(reverse("forum:reply", args=[thread.pk]), {"text": "Hej där"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_the_badge_is_offered_and_shown(self, client, forum, monkeypatch):
        politician = factories.citizen(full_name="Filip Förtroendevald")
        label = "Politiker, Barn- och utbildningsnämnden"
        monkeypatch.setattr(
            badges,
            "badges_for",
            lambda user: [Badge("politiker", label)] if user == politician else [],
        )
        thread = factories.thread(forum)
        client.force_login(politician)
        form = page(client.get(thread.get_absolute_url()))
        assert label in form
        client.post(
            reverse("forum:reply", args=[thread.pk]),
            {"text": "Svar från nämnden", "badge": f"politiker|{label}"},
        )
        html = page(client.get(thread.get_absolute_url()))
        assert f'<span class="badge">{label}</span>' in html
        client.force_login(factories.citizen())
        response = client.post(
            reverse("forum:reply", args=[thread.pk]),
            {"text": "Låtsas vara politiker", "badge": f"politiker|{label}"},
        )
        assert response.status_code == 400
        assert not Post.objects.filter(text="Låtsas vara politiker").exists()


class TestEditPage:
    def test_the_author_edits(self, client, forum):
        citizen = factories.citizen()
        post = factories.post(factories.thread(forum), citizen, text="Första texten")
        client.force_login(citizen)
        url = reverse("forum:edit", args=[post.pk])
        assert "Första texten" in page(client.get(url))
        response = client.post(url, {"text": "Andra texten"}, follow=True)
        assert "Ditt inlägg är ändrat." in page(response)
        post.refresh_from_db()
        assert post.text == "Andra texten"

    def test_someone_else_is_refused_and_a_visitor_logs_in(self, client, forum):
        post = factories.post(factories.thread(forum))
        url = reverse("forum:edit", args=[post.pk])
        assert client.get(url).status_code == 302
        client.force_login(factories.citizen())
        assert client.get(url).status_code == 403
        assert client.post(url, {"text": "Kapat"}).status_code == 403

    def test_bad_input_keeps_the_text(self, client, forum):
        citizen = factories.citizen()
        post = factories.post(factories.thread(forum), citizen)
        client.force_login(citizen)
        response = client.post(reverse("forum:edit", args=[post.pk]), {"text": "x"})
        assert response.status_code == 400
        assert "Skriv minst 2 tecken." in page(response)


class TestAgreePage:
    def test_agree_and_undo_without_javascript(self, client, forum):
        thread = factories.thread(forum)
        post = factories.post(thread)
        client.force_login(factories.citizen())
        url = reverse("forum:agree", args=[post.pk])
        response = client.post(url, follow=True)
        assert "Du håller med om inlägget." in page(response)
        assert 'aria-pressed="true"' in page(response)
        client.post(url)
        assert Agree.objects.count() == 1
        client.post(url, {"atgard": "angra"})
        assert Agree.objects.count() == 0

    def test_the_agree_form_works_with_csrf_checks_on(self, forum):
        from django.test import Client

        browser = Client(enforce_csrf_checks=True)
        post = factories.post(factories.thread(forum))
        browser.force_login(factories.citizen())
        html = page(browser.get(post.thread.get_absolute_url()))
        action = reverse("forum:agree", args=[post.pk])
        form = html.split(f'action="{action}"')[1].split("</form>")[0]
        token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = browser.post(
            reverse("forum:agree", args=[post.pk]), {"csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert Agree.objects.count() == 1

    def test_own_post_is_refused_with_a_message(self, client, forum):
        citizen = factories.citizen()
        post = factories.post(factories.thread(forum), citizen)
        client.force_login(citizen)
        response = client.post(reverse("forum:agree", args=[post.pk]), follow=True)
        assert "ditt eget inlägg" in page(response)
        assert not Agree.objects.exists()

    def test_a_hidden_post_cannot_be_agreed_with(self, client, forum):
        post = hidden_post(factories.thread(forum))
        client.force_login(factories.citizen())
        assert client.post(reverse("forum:agree", args=[post.pk])).status_code == 404


class TestFeed:
    def test_the_feed_has_published_posts_only(self, client, forum):
        thread = factories.thread(forum)
        factories.post(thread, text="Synligt inlägg i flödet")
        hidden_post(thread)
        factories.post(thread, text="Väntande i flödet", status=PostStatus.PENDING)
        waiting = factories.thread(forum, status=PostStatus.PENDING, text="Väntande tråd")
        response = client.get(feed_url(forum))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        body = page(response)
        assert "Synligt inlägg i flödet" in body
        assert SECRET not in body
        assert "Väntande i flödet" not in body
        assert waiting.title not in body or "Väntande tråd" not in body

    def test_the_forum_page_never_shows_hidden_text(self, client, forum):
        thread = factories.thread(forum)
        hidden_post(thread)
        assert SECRET not in page(client.get(forum_url(forum)))


class TestDialogueSection:
    def test_the_dialogue_page_lists_the_forum_with_period_and_participants(self, client, forum):
        forum.participants = "Tove Tjänsteperson svarar."
        forum.save()
        html = page(client.get(forum.dialogue.get_absolute_url()))
        assert forum_url(forum) in html
        assert "Tove Tjänsteperson svarar." in html
        assert "öppet till och med" in html


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=st.text(max_size=300),
    text=st.text(max_size=400),
    name=st.text(max_size=120),
    badge=st.text(max_size=30),
    parent=st.text(max_size=25),
)
def test_bad_input_never_gives_a_server_error(client, forum, title, text, name, badge, parent):
    citizen = factories.citizen()
    client.force_login(citizen)
    thread = Thread.objects.filter(forum=forum).first() or factories.thread(forum)
    for response in (
        client.post(
            new_url(forum), {"title": title, "text": text, "shown_name": name, "badge": badge}
        ),
        client.post(
            reverse("forum:reply", args=[thread.pk]),
            {
                "text": text,
                "shown_name": name,
                "badge": badge,
                "parent": parent,
                "quote_of": parent,
            },
        ),
    ):
        assert response.status_code in (200, 302, 400, 403)
