"""Posting rules and the posting services of the forum (forum.services)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.forum import badges, services
from torget.forum.badges import Badge
from torget.forum.models import (
    Agree,
    Ban,
    HideReason,
    Identification,
    Moderation,
    Post,
    PostRevision,
    PostStatus,
    Thread,
)
from torget.forum.permissions import can_manage
from torget.forum.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum():
    return factories.forum()


def _official(forum):
    """An official who plans dialogues: manages every forum (permissions.can_manage)."""
    official = user_with_role(Role.OFFICIAL)
    assert can_manage(official, forum)
    return official


def start(forum, actor, **values):
    values.setdefault("title", "Fler bänkar")
    values.setdefault("text", "Det behövs fler bänkar vid sandlådan.")
    values.setdefault("verified", False)
    values.setdefault("ip", "10.0.0.1")
    return services.thread_start(forum=forum, actor=actor, **values)


def reply(thread, actor, **values):
    values.setdefault("text", "Ja, och gärna i skuggan.")
    values.setdefault("verified", False)
    values.setdefault("ip", "10.0.0.2")
    return services.post_reply(thread=thread, actor=actor, **values)


def refused_rule(call):
    with pytest.raises(services.PostingRefused) as info:
        call()
    return info.value.refusal.rule


class TestWhoMayPost:
    def test_a_citizen_with_a_verified_email_starts_a_thread(self, forum):
        citizen = factories.citizen(full_name="Maja Berg")
        thread = start(forum, citizen)
        assert thread.status == PostStatus.PUBLISHED
        opening = thread.posts.get()
        assert opening.is_opening and opening.shown_name == "Maja"
        assert thread.post_count == 1
        assert AuditEntry.objects.filter(action="forum.thread_started").count() == 1

    def test_an_unverified_email_is_refused(self, forum):
        citizen = factories.citizen(email_verified_at=None)
        assert refused_rule(lambda: start(forum, citizen)) == "verify_email"
        assert not Thread.objects.exists()

    def test_e_id_forum_needs_a_fresh_e_id_step(self, forum):
        forum.identification = Identification.EID
        forum.save()
        citizen = factories.citizen()
        assert refused_rule(lambda: start(forum, citizen)) == "identify"
        assert start(forum, citizen, verified=True).pk

    def test_before_the_period_is_refused(self, forum):
        method = forum.planned_method
        method.starts_on = timezone.localdate() + datetime.timedelta(days=2)
        method.ends_on = timezone.localdate() + datetime.timedelta(days=9)
        method.save()
        refusal = services.posting_refusal(forum=forum, actor=factories.citizen(), verified=False)
        assert refusal.rule == "closed"
        assert "öppnar" in refusal.message

    def test_after_the_period_is_refused(self, forum):
        method = forum.planned_method
        method.starts_on = timezone.localdate() - datetime.timedelta(days=9)
        method.ends_on = timezone.localdate() - datetime.timedelta(days=1)
        method.save()
        assert refused_rule(lambda: start(forum, factories.citizen())) == "closed"

    def test_an_active_ban_is_refused_and_a_lifted_or_past_one_is_not(self, forum):
        citizen = factories.citizen()
        ban = Ban.objects.create(
            user=citizen,
            until=timezone.now() + datetime.timedelta(days=3),
            reason="Upprepade personangrepp",
            created_by=_official(forum),
        )
        assert refused_rule(lambda: start(forum, citizen)) == "banned"
        ban.lifted_at = timezone.now()
        ban.save()
        assert start(forum, citizen).pk
        Ban.objects.create(
            user=citizen,
            until=timezone.now() - datetime.timedelta(minutes=1),
            reason="Gammal",
            created_by=_official(forum),
        )
        assert start(forum, citizen, text="En annan text om bänkar.").pk

    def test_a_banned_person_cannot_reply_either(self, forum):
        thread = factories.thread(forum)
        citizen = factories.citizen()
        Ban.objects.create(
            user=citizen,
            until=timezone.now() + datetime.timedelta(days=1),
            reason="x",
            created_by=_official(forum),
        )
        assert refused_rule(lambda: reply(thread, citizen)) == "banned"

    def test_citizens_may_not_start_threads_when_the_official_says_so(self, forum):
        forum.citizens_may_start = False
        forum.save()
        assert refused_rule(lambda: start(forum, factories.citizen())) == "no_threads"
        # ... but they may still reply.
        thread = factories.thread(forum)
        assert reply(thread, factories.citizen()).pk

    def test_staff_who_manage_the_forum_start_a_starting_question(self, forum):
        forum.citizens_may_start = False
        forum.save()
        official = _official(forum)
        thread = start(forum, official, starting_question=True)
        assert thread.is_starting_question

    def test_a_citizen_cannot_mark_a_starting_question(self, forum):
        rule = refused_rule(lambda: start(forum, factories.citizen(), starting_question=True))
        assert rule == "starting_question"


class TestPreModeration:
    def test_a_citizens_thread_and_post_wait(self, forum, monkeypatch):
        forum.moderation = Moderation.PRE
        forum.save()
        told = []
        monkeypatch.setattr(services.notify, "post_published", told.append)
        thread = start(forum, factories.citizen())
        assert thread.status == PostStatus.PENDING
        assert thread.posts.get().status == PostStatus.PENDING
        visible = factories.thread(forum)
        post = reply(visible, factories.citizen())
        assert post.status == PostStatus.PENDING
        visible.refresh_from_db()
        assert visible.post_count == 1  # the waiting post is not counted
        assert told == []

    def test_staff_who_manage_publish_directly_and_it_is_told(self, forum, monkeypatch):
        forum.moderation = Moderation.PRE
        forum.save()
        told = []
        monkeypatch.setattr(services.notify, "post_published", told.append)
        thread = start(forum, _official(forum))
        assert thread.status == PostStatus.PUBLISHED
        assert told == [thread.posts.get()]

    def test_a_published_post_is_told_in_post_moderation(self, forum, monkeypatch):
        told = []
        monkeypatch.setattr(services.notify, "post_published", told.append)
        post = reply(factories.thread(forum), factories.citizen())
        assert told == [post]


class TestReplies:
    def test_a_reply_to_a_reply_attaches_to_its_top_level_post(self, forum):
        thread = factories.thread(forum)
        top = factories.post(thread)
        first = reply(thread, factories.citizen(), parent=top)
        second = reply(thread, factories.citizen(), parent=first, text="Håller med dig.")
        assert first.parent_id == top.pk
        assert second.parent_id == top.pk
        assert AuditEntry.objects.filter(action="forum.post_written").count() == 2

    def test_a_reply_to_a_post_of_another_thread_is_refused(self, forum):
        thread = factories.thread(forum)
        other = factories.post(factories.thread(forum))
        with pytest.raises(ValidationError) as info:
            reply(thread, factories.citizen(), parent=other)
        assert "parent" in info.value.message_dict

    def test_a_quote_copies_a_short_excerpt(self, forum):
        thread = factories.thread(forum)
        long_text = "Ord " * 200
        quoted = factories.post(thread, text=long_text.strip())
        post = reply(thread, factories.citizen(), quote_of=quoted)
        assert post.quote_of_id == quoted.pk
        assert post.quote_text.startswith("Ord Ord")
        assert len(post.quote_text) <= services.QUOTE_MAX + 2
        assert post.quote_text.endswith("…")

    @pytest.mark.parametrize("status", [PostStatus.HIDDEN, PostStatus.PENDING])
    def test_a_hidden_or_waiting_post_cannot_be_quoted(self, forum, status):
        thread = factories.thread(forum)
        values = {}
        if status == PostStatus.HIDDEN:
            values = {"hidden_reason": HideReason.SPAM, "hidden_at": timezone.now()}
        quoted = factories.post(thread, text="Hemlig text", status=status, **values)
        with pytest.raises(ValidationError) as info:
            reply(thread, factories.citizen(), quote_of=quoted)
        assert "quote_of" in info.value.message_dict
        assert not Post.objects.filter(quote_text__contains="Hemlig").exists()

    def test_a_waiting_thread_takes_no_replies(self, forum):
        thread = factories.thread(forum, status=PostStatus.PENDING)
        with pytest.raises(ValidationError):
            reply(thread, factories.citizen())


class TestEdit:
    def test_an_edit_keeps_the_earlier_text_and_is_silent_within_15_minutes(self, forum):
        citizen = factories.citizen()
        post = reply(factories.thread(forum), citizen)
        edited = services.post_edit(post=post, actor=citizen, text="Ja, och gärna under träd.")
        assert edited.text == "Ja, och gärna under träd."
        assert edited.edited_at is not None
        assert not edited.was_edited
        assert PostRevision.objects.get(post=post).text == "Ja, och gärna i skuggan."
        assert AuditEntry.objects.filter(action="forum.post_edited").count() == 1

    def test_an_edit_after_15_minutes_is_marked(self, forum):
        citizen = factories.citizen()
        post = reply(factories.thread(forum), citizen)
        Post.objects.filter(pk=post.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=20)
        )
        post.refresh_from_db()
        edited = services.post_edit(post=post, actor=citizen, text="En ny text, senare.")
        assert edited.was_edited

    def test_only_the_author_may_edit(self, forum):
        post = reply(factories.thread(forum), factories.citizen())
        with pytest.raises(PermissionDenied):
            services.post_edit(post=post, actor=factories.citizen(), text="Kapat inlägg.")
        assert not PostRevision.objects.exists()

    def test_a_hidden_post_cannot_be_edited(self, forum):
        citizen = factories.citizen()
        post = factories.post(
            factories.thread(forum),
            citizen,
            status=PostStatus.HIDDEN,
            hidden_reason=HideReason.SPAM,
            hidden_at=timezone.now(),
        )
        assert (
            refused_rule(lambda: services.post_edit(post=post, actor=citizen, text="Ny text"))
            == "hidden"
        )

    def test_in_pre_moderation_a_citizens_edit_waits_again(self, forum):
        forum.moderation = Moderation.PRE
        forum.save()
        citizen = factories.citizen()
        post = factories.post(factories.thread(forum), citizen)
        edited = services.post_edit(post=post, actor=citizen, text="Ändrad text här.")
        assert edited.status == PostStatus.PENDING


class TestAgree:
    def test_agree_once_per_person(self, forum):
        thread = factories.thread(forum)
        post = factories.post(thread)
        citizen = factories.citizen()
        assert services.post_agree(post=post, actor=citizen) is True
        assert services.post_agree(post=post, actor=citizen) is False
        post.refresh_from_db()
        thread.refresh_from_db()
        assert post.agree_count == 1
        assert thread.agree_count == 1
        assert Agree.objects.count() == 1

    def test_undo_takes_it_back(self, forum):
        thread = factories.thread(forum)
        post = factories.post(thread)
        citizen = factories.citizen()
        services.post_agree(post=post, actor=citizen)
        assert services.post_unagree(post=post, actor=citizen) is True
        post.refresh_from_db()
        assert post.agree_count == 0

    def test_not_on_ones_own_post(self, forum):
        citizen = factories.citizen()
        post = factories.post(factories.thread(forum), citizen)
        with pytest.raises(ValidationError):
            services.post_agree(post=post, actor=citizen)

    def test_only_on_published_posts(self, forum):
        post = factories.post(factories.thread(forum), status=PostStatus.PENDING)
        with pytest.raises(ValidationError):
            services.post_agree(post=post, actor=factories.citizen())


class TestBadges:
    def test_a_badge_the_person_holds_is_stored(self, forum, monkeypatch):
        politician = factories.citizen(full_name="Filip Förtroendevald")
        badge = Badge(kind="politiker", label="Politiker, Barn- och utbildningsnämnden")
        monkeypatch.setattr(
            badges, "badges_for", lambda user: [badge] if user == politician else []
        )
        post = reply(factories.thread(forum), politician, badge_kind="politiker")
        assert post.badge_kind == "politiker"
        assert post.badge == "Politiker, Barn- och utbildningsnämnden"

    def test_a_badge_the_person_does_not_hold_is_refused(self, forum):
        with pytest.raises(ValidationError) as info:
            reply(
                factories.thread(forum),
                factories.citizen(),
                badge_kind="politiker",
                badge_label="Politiker, Kommunstyrelsen",
            )
        assert "badge" in info.value.message_dict
        assert not Post.objects.filter(badge__startswith="Politiker").exists()


class TestShownName:
    def test_the_default_is_the_first_name(self, forum):
        post = reply(factories.thread(forum), factories.citizen(full_name="Lina Svensson"))
        assert post.shown_name == "Lina"

    def test_the_default_adds_the_one_area_the_person_follows(self, forum):
        from django.contrib.contenttypes.models import ContentType

        from torget.geo.tests.factories import AreaFactory
        from torget.notifications.models import Subscription

        citizen = factories.citizen(full_name="Lina Svensson")
        area = AreaFactory(name="Berga")
        Subscription.objects.create(
            user=citizen,
            target_type=ContentType.objects.get_for_model(area),
            target_id=area.pk,
            confirmed_at=timezone.now(),
        )
        assert services.default_shown_name(citizen) == "Lina, Berga"

    def test_a_chosen_name_is_kept_and_an_email_is_refused(self, forum):
        citizen = factories.citizen()
        post = reply(factories.thread(forum), citizen, shown_name="Grannen på hörnet")
        assert post.shown_name == "Grannen på hörnet"
        with pytest.raises(ValidationError) as info:
            reply(factories.thread(forum), citizen, shown_name=citizen.email, text="Annan text.")
        assert "shown_name" in info.value.message_dict

    def test_the_email_is_never_the_default(self, forum):
        citizen = factories.citizen(full_name="", display_name="")
        post = reply(factories.thread(forum), citizen)
        assert citizen.email not in post.shown_name


class TestSafetyAndLoad:
    @pytest.mark.parametrize(
        ("text", "field"),
        [
            ("a", "text"),
            ("x" * 10_001, "text"),
            ("aaaaaaaaaaaa", "text"),
            ("!!!! !!!! !!!!", "text"),
            ("https://spam.example/a https://spam.example/b", "text"),
            ("bra idé " + "y" * 60, "text"),
            ("text med \x00 styrtecken", "text"),
        ],
    )
    def test_bad_text_is_refused_with_a_swedish_message(self, forum, text, field):
        with pytest.raises(ValidationError) as info:
            reply(factories.thread(forum), factories.citizen(), text=text)
        assert field in info.value.message_dict
        assert not Post.objects.filter(parent__isnull=True, is_opening=False).exists()

    def test_a_link_with_words_around_it_is_fine(self, forum):
        post = reply(
            factories.thread(forum),
            factories.citizen(),
            text="Så här gjorde grannkommunen med sin skolgård, läs gärna: https://example.se/a",
        )
        assert post.pk

    @pytest.mark.parametrize("title", ["ab", "x" * 201, "två\nrader"])
    def test_bad_titles_are_refused(self, forum, title):
        with pytest.raises(ValidationError) as info:
            start(forum, factories.citizen(), title=title)
        assert "title" in info.value.message_dict

    def test_the_same_text_twice_in_a_day_is_refused(self, forum):
        citizen = factories.citizen()
        thread = factories.thread(forum)
        reply(thread, citizen, text="Fler träd, tack!")
        with pytest.raises(ValidationError) as info:
            reply(factories.thread(forum), citizen, text="Fler träd, tack!")
        assert "text" in info.value.message_dict
        # Someone else may say the same.
        assert reply(thread, factories.citizen(), text="Fler träd, tack!").pk

    @override_settings(FORUM_POSTS_PER_HOUR=3)
    def test_the_per_person_limit(self, forum):
        citizen = factories.citizen()
        thread = factories.thread(forum)
        for number in range(3):
            reply(thread, citizen, text=f"Inlägg nummer {number}", ip=f"10.0.1.{number}")
        with pytest.raises(ValidationError) as info:
            reply(thread, citizen, text="Inlägg nummer 4", ip="10.0.1.9")
        assert "Vänta en stund" in info.value.message_dict["text"][0]

    @override_settings(FORUM_POSTS_PER_IP_PER_HOUR=2)
    def test_the_per_address_limit(self, forum):
        thread = factories.thread(forum)
        reply(thread, factories.citizen(), ip="10.9.9.9")
        reply(thread, factories.citizen(), ip="10.9.9.9")
        with pytest.raises(ValidationError):
            reply(thread, factories.citizen(), ip="10.9.9.9")
        assert reply(thread, factories.citizen(), ip="10.9.9.8").pk

    def test_only_a_keyed_hash_of_the_address_is_stored(self, forum):
        post = reply(factories.thread(forum), factories.citizen(), ip="192.0.2.44")
        assert post.ip_hash and "192.0.2.44" not in post.ip_hash
        assert post.ip_hash == services.ip_hash("192.0.2.44")
