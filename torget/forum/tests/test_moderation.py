"""Moderation: flags, hiding with a reason (the text kept), pre-moderation, the queue oldest
first, bans; and the public flag page, which never shows a hidden post's text."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.forum import moderation
from torget.forum.models import (
    Ban,
    Flag,
    FlagOutcome,
    FlagReason,
    HideReason,
    Moderation,
    Post,
    PostStatus,
    Thread,
)
from torget.forum.tests import factories as f
from torget.notifications.models import Notification

pytestmark = pytest.mark.django_db

SECRET = "Den här texten är ett personangrepp mot grannen."


@pytest.fixture
def calls(monkeypatch):
    """What the forum told people (notify.py is the notifications part's; we count calls)."""
    told: list[tuple[str, int]] = []
    monkeypatch.setattr(
        "torget.forum.notify.post_hidden", lambda post: told.append(("hidden", post.pk))
    )
    monkeypatch.setattr(
        "torget.forum.notify.post_published", lambda post: told.append(("published", post.pk))
    )
    return told


@pytest.fixture
def world():
    dialogue, people = f.forum_dialogue()
    forum = f.forum(dialogue)
    thread = f.thread(forum)
    return forum, thread, people


def _entries(obj, action):
    return AuditEntry.objects.filter(object_id=str(obj.pk), action=action)


def _other_leader():
    """Someone who leads another dialogue: a moderator there, nobody here."""
    _, people = f.forum_dialogue(title="Trafiken i Norr")
    return people.leader


class TestHiding:
    def test_hiding_keeps_the_text_and_records_who_why_and_when(self, world, calls):
        forum, thread, people = world
        post = f.post(thread, text=SECRET)
        moderation.post_hide(
            post=post, actor=people.official, reason=HideReason.PERSONAL_ATTACK, note="Se regel 1"
        )
        post.refresh_from_db()
        assert post.status == PostStatus.HIDDEN
        assert post.text == SECRET
        assert post.hidden_reason == HideReason.PERSONAL_ATTACK
        assert post.hidden_note == "Se regel 1"
        assert post.hidden_by == people.official
        assert post.hidden_at is not None
        entry = _entries(post, "forum.post_hidden").get()
        assert entry.actor == people.official
        assert entry.changes["reason"] == HideReason.PERSONAL_ATTACK
        assert calls == [("hidden", post.pk)]

    def test_hiding_closes_the_open_flags_and_recounts_the_thread(self, world, calls):
        forum, thread, people = world
        post = f.post(thread)
        thread.refresh_from_db()
        assert thread.post_count == 2
        flag = Flag.objects.create(post=post, reason=FlagReason.OFFENSIVE, flagged_by=f.citizen())
        moderation.post_hide(post=post, actor=people.official, reason=HideReason.OFFENSIVE)
        flag.refresh_from_db()
        assert flag.outcome == FlagOutcome.HIDDEN
        assert flag.handled_by == people.official
        thread.refresh_from_db()
        assert thread.post_count == 1

    def test_hiding_the_opening_post_hides_the_thread(self, world, calls):
        forum, thread, people = world
        opening = thread.posts.get(is_opening=True)
        moderation.post_hide(post=opening, actor=people.official, reason=HideReason.SPAM)
        thread.refresh_from_db()
        assert thread.status == PostStatus.HIDDEN
        assert not thread.is_visible

    def test_a_hidden_post_cannot_be_hidden_again(self, world, calls):
        forum, thread, people = world
        post = f.post(thread)
        moderation.post_hide(post=post, actor=people.official, reason=HideReason.SPAM)
        with pytest.raises(ValidationError):
            moderation.post_hide(post=post, actor=people.official, reason=HideReason.SPAM)

    def test_an_unknown_reason_is_refused(self, world, calls):
        forum, thread, people = world
        post = f.post(thread)
        with pytest.raises(ValidationError):
            moderation.post_hide(post=post, actor=people.official, reason="tycker-inte-om")
        post.refresh_from_db()
        assert post.status == PostStatus.PUBLISHED

    @pytest.mark.parametrize("who", ["citizen", "other_leader", "reader"])
    def test_only_moderators_of_the_forum_may_hide(self, world, calls, who):
        forum, thread, people = world
        post = f.post(thread)
        actor = {
            "citizen": f.citizen,
            "other_leader": _other_leader,
            "reader": lambda: user_with_role(Role.CONTACT_CENTRE),
        }[who]()
        with pytest.raises(PermissionDenied):
            moderation.post_hide(post=post, actor=actor, reason=HideReason.SPAM)
        assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED
        assert calls == []

    def test_the_process_leader_of_this_dialogue_may_hide(self, world, calls):
        forum, thread, people = world
        post = f.post(thread)
        moderation.post_hide(post=post, actor=people.leader, reason=HideReason.SPAM)
        assert Post.objects.get(pk=post.pk).status == PostStatus.HIDDEN


class TestPreModeration:
    def test_approving_a_waiting_post_publishes_it_and_tells(self, world, calls):
        forum, thread, people = world
        forum.moderation = Moderation.PRE
        forum.save()
        post = f.post(thread, status=PostStatus.PENDING)
        thread.refresh_from_db()
        assert thread.post_count == 1
        moderation.post_approve(post=post, actor=people.official)
        post.refresh_from_db()
        thread.refresh_from_db()
        assert post.status == PostStatus.PUBLISHED
        assert thread.post_count == 2
        assert calls == [("published", post.pk)]
        assert _entries(post, "forum.post_approved").count() == 1

    def test_a_published_post_cannot_be_approved(self, world, calls):
        forum, thread, people = world
        with pytest.raises(ValidationError):
            moderation.post_approve(post=f.post(thread), actor=people.official)
        assert calls == []

    def test_approving_a_waiting_opening_post_shows_its_thread(self, world, calls):
        forum, _, people = world
        thread = f.thread(forum, status=PostStatus.PENDING, title="Väntar")
        moderation.post_approve(post=thread.posts.get(), actor=people.official)
        assert Thread.objects.get(pk=thread.pk).status == PostStatus.PUBLISHED


class TestFlags:
    def test_anyone_signed_in_may_flag_once(self, world):
        forum, thread, people = world
        post = f.post(thread)
        reader = f.citizen()
        flag = moderation.flag_add(post=post, user=reader, reason=FlagReason.SPAM, note="Reklam")
        assert flag.outcome == FlagOutcome.OPEN
        with pytest.raises(ValidationError) as refused:
            moderation.flag_add(post=post, user=reader, reason=FlagReason.OFFENSIVE)
        assert refused.value.code == "already"
        moderation.flag_add(post=post, user=f.citizen(), reason=FlagReason.OFFENSIVE)
        assert Flag.objects.filter(post=post).count() == 2
        assert _entries(post, "forum.flagged").count() == 2

    def test_own_posts_and_hidden_posts_cannot_be_flagged(self, world, calls):
        forum, thread, people = world
        author = f.citizen()
        post = f.post(thread, author)
        with pytest.raises(ValidationError):
            moderation.flag_add(post=post, user=author, reason=FlagReason.SPAM)
        moderation.post_hide(post=post, actor=people.official, reason=HideReason.SPAM)
        with pytest.raises(ValidationError):
            moderation.flag_add(post=post, user=f.citizen(), reason=FlagReason.SPAM)

    def test_keeping_a_post_closes_its_flags(self, world):
        forum, thread, people = world
        post = f.post(thread)
        moderation.flag_add(post=post, user=f.citizen(), reason=FlagReason.OFF_TOPIC)
        assert moderation.flag_keep(post=post, actor=people.official) == 1
        assert Flag.objects.get(post=post).outcome == FlagOutcome.KEPT
        assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED
        assert _entries(post, "forum.flags_kept").count() == 1
        with pytest.raises(ValidationError):
            moderation.flag_keep(post=post, actor=people.official)


class TestQueue:
    def test_oldest_first_pending_and_flagged_together(self, world):
        forum, thread, people = world
        now = timezone.now()
        flagged_late = f.post(thread, text="sent flaggad")
        flagged_early = f.post(thread, text="tidigt flaggad")
        pending = f.post(
            thread, status=PostStatus.PENDING, created_at=now - datetime.timedelta(hours=5)
        )
        f.post(thread, text="ingen flagga")
        Flag.objects.create(
            post=flagged_late, reason=FlagReason.SPAM, created_at=now - datetime.timedelta(hours=1)
        )
        Flag.objects.create(
            post=flagged_early,
            reason=FlagReason.SPAM,
            created_at=now - datetime.timedelta(hours=9),
        )
        # A flag already handled does not count.
        Flag.objects.create(
            post=flagged_late,
            reason=FlagReason.SPAM,
            created_at=now - datetime.timedelta(hours=20),
            outcome=FlagOutcome.KEPT,
        )
        rows = list(moderation.queue(people.official))
        assert [row.pk for row in rows] == [flagged_early.pk, pending.pk, flagged_late.pk]
        assert rows[2].open_flag_count == 1
        counts = moderation.queue_counts(people.official)
        assert (counts.pending, counts.flagged_posts, counts.open_flags) == (1, 2, 2)

    def test_the_queue_holds_only_forums_one_moderates(self, world):
        forum, thread, people = world
        f.post(thread, status=PostStatus.PENDING)
        assert len(moderation.queue(people.leader)) == 1
        assert list(moderation.queue(_other_leader())) == []
        assert list(moderation.queue(f.citizen())) == []

    def test_the_queue_page_lists_oldest_first_with_few_queries(
        self, client, world, django_assert_max_num_queries
    ):
        forum, thread, people = world
        now = timezone.now()
        for hours in range(12, 0, -1):
            post = f.post(thread, text=f"inlägg nummer {hours:02d}")
            Flag.objects.create(
                post=post,
                reason=FlagReason.SPAM,
                created_at=now - datetime.timedelta(hours=hours),
            )
        client.force_login(people.official)
        with django_assert_max_num_queries(16):
            response = client.get(reverse("forum:queue"))
        page = response.content.decode()
        assert response.status_code == 200
        positions = [page.index(f"inlägg nummer {hours:02d}") for hours in range(12, 0, -1)]
        assert positions == sorted(positions)

    def test_the_queue_page_says_when_it_is_empty(self, client, world):
        forum, thread, people = world
        client.force_login(people.official)
        response = client.get(reverse("forum:queue"))
        assert "Kön är tom" in response.content.decode()

    @pytest.mark.parametrize("who", ["citizen", "other_leader", "reader"])
    def test_the_queue_is_refused_to_those_who_moderate_nothing_here(self, client, world, who):
        forum, thread, people = world
        actor = {
            "citizen": f.citizen,
            "other_leader": _other_leader,
            "reader": lambda: user_with_role(Role.CONTACT_CENTRE),
        }[who]()
        f.post(thread, text=SECRET, status=PostStatus.PENDING)
        client.force_login(actor)
        response = client.get(reverse("forum:queue"))
        assert response.status_code == 403
        assert SECRET not in response.content.decode()


class TestBans:
    def _until(self, days):
        return moderation.ban_end(timezone.localdate() + datetime.timedelta(days=days))

    def test_a_ban_stops_its_person_only_and_tells_them(self, world):
        forum, thread, people = world
        author, other = f.citizen(), f.citizen()
        post = f.post(thread, author)
        ban = moderation.ban_add(
            post=post, actor=people.official, until=self._until(14), reason="Upprepade angrepp"
        )
        assert moderation.active_ban_of(author) == ban
        assert moderation.active_ban_of(other) is None
        assert ban.is_active()
        assert _entries(ban, "forum.ban_added").count() == 1
        assert _entries(post, "forum.author_banned").count() == 1
        notice = Notification.objects.get(template="forum.banned")
        assert notice.context["reason"] == "Upprepade angrepp"

    def test_a_ban_expires(self, world):
        forum, thread, people = world
        post = f.post(thread)
        ban = moderation.ban_add(
            post=post, actor=people.official, until=self._until(3), reason="Spam"
        )
        later = timezone.now() + datetime.timedelta(days=5)
        assert not ban.is_active(later)
        assert ban.is_active()

    @pytest.mark.parametrize(
        ("days", "reason", "field"),
        [(-1, "Skäl", "until"), (91, "Skäl", "until"), (10, "  ", "reason")],
    )
    def test_a_ban_needs_a_reason_and_a_time_limit_ahead(self, world, days, reason, field):
        forum, thread, people = world
        post = f.post(thread)
        with pytest.raises(ValidationError) as refused:
            moderation.ban_add(
                post=post, actor=people.official, until=self._until(days), reason=reason
            )
        assert field in refused.value.message_dict
        assert not Ban.objects.exists()

    def test_a_second_ban_while_one_holds_is_refused(self, world):
        forum, thread, people = world
        post = f.post(thread)
        moderation.ban_add(post=post, actor=people.official, until=self._until(2), reason="A")
        with pytest.raises(ValidationError):
            moderation.ban_add(post=post, actor=people.official, until=self._until(9), reason="B")

    def test_only_moderators_of_the_forum_may_ban(self, world):
        forum, thread, people = world
        post = f.post(thread)
        with pytest.raises(PermissionDenied):
            moderation.ban_add(post=post, actor=_other_leader(), until=self._until(2), reason="Nej")

    def test_lifting_ends_the_ban_and_is_audited(self, world):
        forum, thread, people = world
        post = f.post(thread)
        ban = moderation.ban_add(post=post, actor=people.official, until=self._until(2), reason="A")
        moderation.ban_lift(ban=ban, actor=people.official)
        ban.refresh_from_db()
        assert not ban.is_active()
        assert _entries(ban, "forum.ban_lifted").count() == 1
        with pytest.raises(ValidationError):
            moderation.ban_lift(ban=ban, actor=people.official)

    def test_the_bans_page_lists_and_lifts(self, client, world):
        forum, thread, people = world
        author = f.citizen(full_name="Bertil Bannad")
        ban = moderation.ban_add(
            post=f.post(thread, author),
            actor=people.official,
            until=self._until(2),
            reason="Hot mot andra",
        )
        client.force_login(people.official)
        page = client.get(reverse("forum:bans")).content.decode()
        assert "Bertil Bannad" in page and "Hot mot andra" in page
        response = client.post(reverse("forum:bans"), {"ban": ban.pk}, follow=True)
        assert "Avstängningen är hävd." in response.content.decode()
        ban.refresh_from_db()
        assert ban.lifted_at is not None

    def test_the_bans_page_is_refused_to_citizens(self, client, world):
        client.force_login(f.citizen())
        assert client.get(reverse("forum:bans")).status_code == 403


class TestFlagPage:
    def test_anonymous_visitors_are_sent_to_log_in(self, client, world):
        forum, thread, people = world
        response = client.get(reverse("forum:flag", args=[f.post(thread).pk]))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_flagging_with_a_reason_confirms(self, client, world):
        forum, thread, people = world
        post = f.post(thread, text="Köp billiga klockor på www.example.com")
        client.force_login(f.citizen())
        url = reverse("forum:flag", args=[post.pk])
        page = client.get(url).content.decode()
        assert "Köp billiga klockor" in page
        response = client.post(url, {"reason": FlagReason.SPAM, "note": "Reklam"})
        assert response.status_code == 302
        assert response["Location"] == post.get_absolute_url()
        flag = Flag.objects.get(post=post)
        assert (flag.reason, flag.note) == (FlagReason.SPAM, "Reklam")
        response = client.post(url, {"reason": FlagReason.SPAM}, follow=True)
        assert "Du har redan flaggat inlägget" in response.content.decode()
        assert Flag.objects.filter(post=post).count() == 1

    def test_a_flag_without_a_reason_keeps_the_note_and_says_why(self, client, world):
        forum, thread, people = world
        post = f.post(thread)
        client.force_login(f.citizen())
        response = client.post(reverse("forum:flag", args=[post.pk]), {"note": "Min kommentar"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Min kommentar" in page and "error-summary" in page
        assert not Flag.objects.exists()

    def test_the_page_never_shows_a_hidden_posts_text(self, client, world, calls):
        forum, thread, people = world
        post = f.post(thread, text=SECRET)
        moderation.post_hide(post=post, actor=people.official, reason=HideReason.PERSONAL_ATTACK)
        client.force_login(f.citizen())
        response = client.get(reverse("forum:flag", args=[post.pk]))
        page = response.content.decode()
        assert response.status_code == 200
        assert SECRET not in page
        assert "Dolt av moderator: personangrepp" in page
        client.post(reverse("forum:flag", args=[post.pk]), {"reason": FlagReason.SPAM})
        assert not Flag.objects.exists()

    def test_a_waiting_post_does_not_exist_for_the_public(self, client, world):
        forum, thread, people = world
        post = f.post(thread, text=SECRET, status=PostStatus.PENDING)
        client.force_login(f.citizen())
        assert client.get(reverse("forum:flag", args=[post.pk])).status_code == 404

    @override_settings(FORUM_FLAG_RATE_PER_USER=1)
    def test_flagging_is_rate_limited(self, client, world):
        forum, thread, people = world
        first, second = f.post(thread), f.post(thread)
        client.force_login(f.citizen())
        client.post(reverse("forum:flag", args=[first.pk]), {"reason": FlagReason.SPAM})
        response = client.post(reverse("forum:flag", args=[second.pk]), {"reason": FlagReason.SPAM})
        assert response.status_code == 429
        assert Flag.objects.count() == 1


def _at_once(count, work):
    """Run `work(n)` in `count` threads released together; the errors they raised."""
    barrier = threading.Barrier(count)
    errors: list[Exception] = []

    def run(n):
        try:
            barrier.wait()
            work(n)
        except Exception as error:  # noqa: BLE001 (collected and asserted by the caller)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_flags_by_one_person_are_one_flag(postgres_only):
    dialogue, people = f.forum_dialogue()
    post = f.post(f.thread(f.forum(dialogue)))
    reader = f.citizen()
    errors = _at_once(
        8, lambda n: moderation.flag_add(post=post, user=reader, reason=FlagReason.SPAM)
    )
    assert Flag.objects.filter(post=post, flagged_by=reader).count() == 1
    assert len(errors) == 7
    assert all(getattr(error, "code", "") == "already" for error in errors)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_bans_of_one_person_are_one_ban(postgres_only):
    dialogue, people = f.forum_dialogue()
    post = f.post(f.thread(f.forum(dialogue)))
    until = moderation.ban_end(timezone.localdate() + datetime.timedelta(days=3))
    errors = _at_once(
        6,
        lambda n: moderation.ban_add(
            post=post, actor=people.official, until=until, reason=f"Skäl {n}"
        ),
    )
    assert Ban.objects.filter(user=post.author).count() == 1
    assert len(errors) == 5
