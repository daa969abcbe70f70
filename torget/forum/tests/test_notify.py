"""What the forum tells people: followers of a thread or its dialogue hear of new posts by
their channels and at their frequency; the author of a post that is answered or quoted is
told at once; the author of a hidden post is told why. Messages go through the real outbox,
the worker, a local SMTP server and a local 46elks server."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from torget.accounts.services import account_close
from torget.dialogues.models import Dialogue, Status
from torget.forum import notify
from torget.forum.models import HideReason, Post, PostStatus, Thread
from torget.forum.tests import factories
from torget.notifications import registry, sending
from torget.notifications.models import DigestItem, Frequency, Notification, SchedulerState
from torget.notifications.services import subscription_create
from torget.notifications.tasks import tick
from torget.notifications.tests.factories import SubscriptionFactory
from torget.testing.worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(drain):
    dialogue, _people = factories.forum_dialogue(title="Ny skolgård vid Bergaskolan")
    # What the dialogue's steps told its followers goes out first: these tests follow it
    # afterwards, and hear only of the forum.
    drain()
    return factories.forum(dialogue, title="Samtal om skolgården")


@pytest.fixture
def anna():
    return factories.citizen(email="anna@example.se", display_name="Anna, Berga")


@pytest.fixture
def thread(forum, anna):
    return factories.thread(forum, anna, title="Fler gungor")


def opening(thread: Thread) -> Post:
    return thread.posts.get(is_opening=True)


def follow(target, **values):
    """A confirmed subscription to `target`, without an account unless `user` is given."""
    if "user" in values:
        values.setdefault("email", "")
    return SubscriptionFactory(target=target, **values)


def publish(thread: Thread, author=None, **values) -> Post:
    """A published post, and the forum's notice of it, as the posting service does."""
    with transaction.atomic():
        post = factories.post(thread, author, **values)
        notify.post_published(post)
    return post


class TestFollowersByTheirChannels:
    def test_a_follower_by_e_mail_gets_the_post_by_e_mail(self, thread, smtp_server, drain):
        follow(thread, email="foljare@example.se")
        publish(thread, factories.citizen(display_name="Bo, Ryd"), text="Gungor åt alla!")
        drain()
        [mail] = smtp_server.to("foljare@example.se")
        assert mail.subject.strip() == "Nytt inlägg i ”Fler gungor” av Bo, Ryd"
        assert "Gungor åt alla!" in mail.text
        assert f"/forum/trad/{thread.pk}/" in mail.text
        assert "Avsluta bevakningen" in mail.html

    def test_a_follower_by_sms_gets_the_post_by_sms(self, thread, smtp_server, drain, elks):
        follow(thread, by_email=False, by_sms=True, phone="+46701234567")
        publish(thread, factories.citizen(display_name="Bo, Ryd"), text="Gungor åt alla!")
        drain()
        [request] = elks.requests
        assert request["to"] == "+46701234567"
        assert "Bo, Ryd: Gungor åt alla!" in request["message"]
        assert f"/forum/trad/{thread.pk}/" in request["message"]
        assert smtp_server.messages == []

    def test_a_follower_by_both_gets_both(self, thread, smtp_server, drain, elks):
        follow(thread, email="bada@example.se", by_sms=True, phone="+46707654321")
        publish(thread)
        drain()
        assert len(smtp_server.to("bada@example.se")) == 1
        assert [r["to"] for r in elks.requests] == ["+46707654321"]

    def test_followers_of_the_dialogue_hear_of_posts_in_its_threads(
        self, thread, smtp_server, drain
    ):
        follow(thread.forum.dialogue, email="dialog@example.se")
        publish(thread, badge_kind="politiker", badge="Politiker, Barn- och ungdomsnämnden")
        drain()
        [mail] = smtp_server.to("dialog@example.se")
        assert "(Politiker, Barn- och ungdomsnämnden)" in mail.text
        assert "Ny skolgård vid Bergaskolan" in mail.text

    def test_someone_following_both_thread_and_dialogue_gets_one_message(
        self, thread, smtp_server, drain
    ):
        follow(thread, email="bada@example.se")
        follow(thread.forum.dialogue, email="bada@example.se")
        publish(thread)
        drain()
        assert len(smtp_server.to("bada@example.se")) == 1

    def test_followers_of_the_dialogues_areas_are_not_told_of_every_post(self, thread):
        targets = registry.by_kind("forumtrad").widen(thread)  # type: ignore[union-attr]
        assert targets == [thread, thread.forum.dialogue]

    def test_the_author_of_the_post_is_not_told_of_it_as_a_follower(
        self, thread, smtp_server, drain
    ):
        bo = factories.citizen(email="bo@example.se")
        follow(thread, user=bo)
        follow(thread, email="bo@example.se")  # and once more without signing in
        publish(thread, bo)
        drain()
        assert smtp_server.to("bo@example.se") == []

    def test_an_unconfirmed_follower_hears_nothing(self, thread, smtp_server, drain):
        follow(thread, email="obekraftad@example.se", confirmed_at=None)
        publish(thread)
        drain()
        assert smtp_server.messages == []

    def test_the_context_holds_ids_and_strings_only(self, thread):
        post = publish(thread, text="Se https://example.com/reklam " + "ord " * 200)
        notification = Notification.objects.get(template="forum.post")
        context = notification.context
        assert set(context) == {
            "post_id",
            "thread_id",
            "thread",
            "forum",
            "dialogue",
            "name",
            "badge",
            "excerpt",
            "url",
            "_except_users",
        }
        assert context["post_id"] == post.pk and context["url"] == thread.get_absolute_url()
        assert len(context["excerpt"]) <= 300 and context["excerpt"].endswith("…")
        assert "example.com" not in context["excerpt"] and "[länk]" in context["excerpt"]


class TestDigests:
    def test_a_daily_follower_gets_the_post_in_the_days_digest_not_at_once(
        self, thread, smtp_server, drain
    ):
        follow(thread, email="dag@example.se", frequency=Frequency.DAILY)
        publish(thread, factories.citizen(display_name="Bo"), text="Första.")
        publish(thread, factories.citizen(display_name="Cecilia"), text="Andra.")
        drain()
        assert smtp_server.messages == []
        assert DigestItem.objects.count() == 2
        assert sending.digests_compose(frequencies=[Frequency.DAILY]) == 1
        drain()
        [mail] = smtp_server.to("dag@example.se")
        assert mail.subject.strip() == "Dagens nyheter om Fler gungor"
        assert "Nytt inlägg i ”Fler gungor” av Bo" in mail.text
        assert "Nytt inlägg i ”Fler gungor” av Cecilia" in mail.text

    def test_a_daily_digest_by_sms_goes_by_sms(self, thread, drain, elks):
        follow(thread, by_email=False, by_sms=True, phone="+46701234567", frequency=Frequency.DAILY)
        publish(thread)
        publish(thread)
        drain()
        assert elks.requests == []
        sending.digests_compose(frequencies=[Frequency.DAILY])
        drain()
        [request] = elks.requests
        assert request["message"].startswith("2 nyheter om Fler gungor")

    def test_the_weekly_job_leaves_the_daily_digests(self, thread, drain):
        follow(thread, email="dag@example.se", frequency=Frequency.DAILY)
        follow(thread, email="vecka@example.se", frequency=Frequency.WEEKLY)
        publish(thread)
        drain()
        assert sending.digests_compose(frequencies=[Frequency.WEEKLY]) == 1
        assert list(DigestItem.objects.values_list("subscription__email", flat=True)) == [
            "dag@example.se"
        ]


class TestDirectlyTold:
    def test_the_author_of_a_post_that_is_answered_is_told_at_once(
        self, thread, anna, smtp_server, drain
    ):
        """…without following anything."""
        publish(thread, factories.citizen(display_name="Bo"), parent=opening(thread), text="Ja!")
        drain()
        [mail] = smtp_server.to("anna@example.se")
        assert mail.subject.strip() == "Bo har svarat på ditt inlägg i ”Fler gungor”"
        assert "Ja!" in mail.text and "Bo har svarat på ditt inlägg i tråden" in mail.text

    def test_a_reply_is_told_at_once_even_to_a_daily_follower_and_not_again_in_the_digest(
        self, thread, anna, smtp_server, drain
    ):
        follow(thread, user=anna, frequency=Frequency.DAILY)
        publish(thread, parent=opening(thread))
        drain()
        assert len(smtp_server.to("anna@example.se")) == 1
        assert not DigestItem.objects.exists()

    def test_an_immediate_follower_who_is_answered_gets_one_message_not_two(
        self, thread, anna, smtp_server, drain
    ):
        follow(thread, user=anna)
        publish(thread, parent=opening(thread))
        drain()
        [mail] = smtp_server.to("anna@example.se")
        assert "svarat på ditt inlägg" in mail.subject

    def test_the_answered_author_who_follows_by_sms_is_told_by_sms_too(
        self, thread, anna, smtp_server, drain, elks
    ):
        subscription_create(
            target=thread, user=anna, by_email=False, by_sms=True, phone="070-765 43 21"
        )
        publish(thread, factories.citizen(display_name="Bo"), parent=opening(thread))
        drain()
        assert len(smtp_server.to("anna@example.se")) == 1
        [request] = elks.requests
        assert request["to"] == "+46707654321"
        assert request["message"].startswith('Bo svarade dig i "Fler gungor"')

    def test_the_answered_author_who_does_not_follow_by_sms_gets_no_sms(
        self, thread, anna, smtp_server, drain, elks
    ):
        anna.phone = "+46707654321"
        anna.save()
        publish(thread, parent=opening(thread))
        drain()
        assert len(smtp_server.to("anna@example.se")) == 1
        assert elks.requests == []

    def test_the_author_of_a_quoted_post_is_told_it_was_quoted(
        self, thread, anna, smtp_server, drain
    ):
        publish(thread, factories.citizen(display_name="Bo"), quote_of=opening(thread))
        drain()
        [mail] = smtp_server.to("anna@example.se")
        assert mail.subject.strip() == "Bo har citerat ditt inlägg i ”Fler gungor”"
        assert "Bo har citerat ditt inlägg i tråden ”Fler gungor”" in mail.text

    def test_answering_and_quoting_the_same_person_tells_them_once(
        self, thread, anna, smtp_server, drain
    ):
        first = opening(thread)
        publish(thread, parent=first, quote_of=first)
        drain()
        assert len(smtp_server.to("anna@example.se")) == 1

    def test_replying_to_oneself_tells_nobody_directly(self, thread, anna, smtp_server, drain):
        follow(thread, user=anna)
        publish(thread, anna, parent=opening(thread))
        drain()
        assert smtp_server.to("anna@example.se") == []
        assert not Notification.objects.filter(template="forum.reply").exists()

    def test_a_closed_account_is_not_told(self, thread, anna, smtp_server, drain):
        account_close(user=anna, actor=anna)
        publish(thread, parent=opening(thread))
        drain()
        assert not Notification.objects.filter(template="forum.reply").exists()
        assert smtp_server.messages == []


class TestNothingForPostsNotShown:
    @pytest.mark.parametrize("status", [PostStatus.PENDING, PostStatus.HIDDEN])
    def test_a_post_not_published_tells_nobody(self, thread, anna, status, smtp_server, drain):
        follow(thread, email="foljare@example.se")
        values = {"hidden_reason": HideReason.SPAM, "hidden_at": timezone.now()}
        post = factories.post(
            thread,
            status=status,
            parent=opening(thread),
            **(values if status == PostStatus.HIDDEN else {}),
        )
        notify.post_published(post)
        drain()
        assert not Notification.objects.filter(template__startswith="forum.").exists()
        assert smtp_server.messages == []

    def test_a_post_in_a_thread_waiting_for_moderation_tells_nobody(self, forum, drain):
        waiting = factories.thread(forum, status=PostStatus.PENDING)
        follow(forum.dialogue, email="dialog@example.se")
        notify.post_published(factories.post(waiting))
        assert not Notification.objects.filter(template__startswith="forum.").exists()

    def test_a_post_in_a_dialogue_that_is_not_public_tells_nobody(self, thread, drain):
        Dialogue.objects.filter(pk=thread.forum.dialogue_id).update(status=Status.INITIATIVE)
        thread = Thread.objects.get(pk=thread.pk)
        notify.post_published(factories.post(thread, parent=opening(thread)))
        assert not Notification.objects.filter(template__startswith="forum.").exists()

    def test_a_rolled_back_post_sends_nothing(self, thread, anna, drain):
        follow(thread, email="foljare@example.se")
        with pytest.raises(RuntimeError), transaction.atomic():
            notify.post_published(factories.post(thread, parent=opening(thread)))
            raise RuntimeError
        assert not Notification.objects.filter(template__startswith="forum.").exists()


class TestHidden:
    def hide(self, post: Post, moderator, *, note: str = "") -> Post:
        Post.objects.filter(pk=post.pk).update(
            status=PostStatus.HIDDEN,
            hidden_reason=HideReason.PERSONAL_ATTACK,
            hidden_note=note,
            hidden_at=timezone.now(),
            hidden_by=moderator,
        )
        post.refresh_from_db()
        notify.post_hidden(post)
        return post

    def test_the_author_is_told_why_with_the_rules_and_that_the_post_is_kept(
        self, thread, smtp_server, drain
    ):
        bo = factories.citizen(email="bo@example.se")
        post = publish(thread, bo, text="Du är dum.")
        self.hide(post, factories.citizen(), note="Skriv om sakfrågan, inte om personer.")
        drain()
        [mail] = [m for m in smtp_server.to("bo@example.se") if "dolts" in m.subject]
        assert mail.subject.strip() == "Ditt inlägg i ”Fler gungor” har dolts av en moderator"
        assert "Skäl: personangrepp" in mail.text
        assert "Moderatorns förklaring: Skriv om sakfrågan, inte om personer." in mail.text
        assert "/forum/regler/" in mail.text
        assert "allmän handling" in mail.text
        assert f"#inlagg-{post.pk}" in mail.text
        assert "Du är dum." in mail.text

    def test_without_a_note_no_note_line(self, thread, smtp_server, drain):
        bo = factories.citizen(email="bo@example.se")
        self.hide(publish(thread, bo), factories.citizen())
        drain()
        [mail] = [m for m in smtp_server.to("bo@example.se") if "dolts" in m.subject]
        assert "Moderatorns förklaring" not in mail.text

    def test_the_context_keys(self, thread):
        self.hide(publish(thread), factories.citizen())
        context = Notification.objects.get(template="forum.hidden").context
        assert set(context) == {
            "post_id",
            "thread_id",
            "thread",
            "forum",
            "dialogue",
            "name",
            "badge",
            "excerpt",
            "url",
            "reason",
            "note",
            "rules_url",
        }

    def test_a_post_that_is_not_hidden_gives_no_notice(self, thread):
        notify.post_hidden(opening(thread))
        assert not Notification.objects.filter(template__startswith="forum.").exists()

    def test_a_closed_account_is_not_told(self, thread):
        bo = factories.citizen()
        post = publish(thread, bo)
        account_close(user=bo, actor=bo)
        self.hide(post, factories.citizen())
        assert not Notification.objects.filter(template="forum.hidden").exists()


class TestFollowingAThread:
    def test_a_published_thread_of_a_public_dialogue_can_be_followed(self, thread, client):
        response = client.get(f"/bevaka/forumtrad/{thread.pk}/")
        assert response.status_code == 200
        assert "Fler gungor" in response.content.decode()

    def test_a_thread_waiting_for_moderation_cannot_be_followed(self, forum, client):
        waiting = factories.thread(forum, status=PostStatus.PENDING)
        assert client.get(f"/bevaka/forumtrad/{waiting.pk}/").status_code == 404

    def test_a_signed_in_citizen_follows_a_thread_daily(self, thread, client):
        bo = factories.citizen()
        client.force_login(bo)
        response = client.post(
            f"/bevaka/forumtrad/{thread.pk}/", {"channels": ["email"], "frequency": "daily"}
        )
        assert response.status_code == 302
        subscription = bo.subscriptions.get()
        assert subscription.target_type == ContentType.objects.get_for_model(Thread)
        assert subscription.frequency == Frequency.DAILY


class TestDailyScheduler:
    def test_a_daily_follower_gets_one_digest_a_day_with_all_items(
        self, thread, smtp_server, drain, settings
    ):
        """…while an immediate follower gets each post at once."""
        settings.NOTIFICATIONS_DAILY_DIGEST_HOUR = 7
        follow(thread, email="dag@example.se", frequency=Frequency.DAILY)
        follow(thread, email="direkt@example.se")
        job = SchedulerState.objects.create(
            job=sending.DAILY_DIGEST_JOB, next_run_at=timezone.now() + datetime.timedelta(hours=1)
        )
        for n in range(3):
            publish(thread, text=f"Inlägg nummer {n}.")
            drain()
            tick.call()  # the worker's sweep during the day: the daily job is not due
            run_queued_tasks()
        assert len(smtp_server.to("direkt@example.se")) == 3
        assert smtp_server.to("dag@example.se") == []
        # The hour comes: the first sweep sends the digest, the next ones nothing more.
        job.next_run_at = timezone.now() - datetime.timedelta(seconds=1)
        job.save()
        for _sweep in range(2):
            tick.call()
            run_queued_tasks()
        [digest] = smtp_server.to("dag@example.se")
        assert digest.subject.strip() == "Dagens nyheter om Fler gungor"
        assert len(re.findall("Nytt inlägg i ”Fler gungor”", digest.text)) == 3
        assert not DigestItem.objects.exists()
        job.refresh_from_db()
        nxt = timezone.localtime(job.next_run_at)
        assert nxt.hour == 7 and nxt > timezone.now()
        assert nxt - timezone.now() <= datetime.timedelta(days=1)

    def test_the_next_daily_digest_is_today_at_the_hour_or_tomorrow(self, settings):
        settings.NOTIFICATIONS_DAILY_DIGEST_HOUR = 7
        early = timezone.make_aware(datetime.datetime(2026, 11, 25, 5, 0))  # noqa: DTZ001
        late = timezone.make_aware(datetime.datetime(2026, 11, 25, 7, 0))  # noqa: DTZ001
        assert timezone.localtime(sending.next_daily_digest_time(early)).day == 25
        nxt = timezone.localtime(sending.next_daily_digest_time(late))
        assert (nxt.day, nxt.hour) == (26, 7)
