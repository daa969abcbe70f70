"""An existing subscription can't be changed by someone who merely knows its address (issue 15).

The anonymous follow form proves nothing about who is typing: only the inbox (through a
link) or the signed-in owner may change a subscription, and the form's answer is the same
whether or not the address already follows the thing.
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from torget.geo.tests.factories import AreaFactory
from torget.notifications.models import Frequency, Notification, Subscription
from torget.notifications.tests.factories import SubscriptionFactory

VICTIM = "offer@example.se"
TAKEOVER = {
    "email": VICTIM,
    "channels": ["sms"],
    "phone": "070-999 88 77",
    "frequency": "weekly",
}


def follow_url(area):
    return reverse("notifications:follow", kwargs={"kind": "omrade", "pk": area.pk})


def stored(subscription):
    subscription.refresh_from_db()
    return (
        subscription.by_email,
        subscription.by_sms,
        subscription.phone,
        subscription.frequency,
        subscription.language,
        subscription.confirmed_at,
        subscription.token,
        subscription.user_id,
    )


def main_content(response):
    html = response.content.decode()
    main = re.search(r"<main\b.*?</main>", html, re.DOTALL).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


@pytest.fixture
def berga(db):
    return AreaFactory(name="Berga", slug="berga")


@pytest.fixture
def victim(berga):
    return SubscriptionFactory(
        target=berga, email=VICTIM, by_email=True, by_sms=False, phone="", language="sv"
    )


@pytest.mark.django_db
class TestAnonymousFollowOfAFollowedThing:
    def test_a_stranger_posting_the_victims_address_changes_nothing(self, client, berga, victim):
        before = stored(victim)
        client.post(follow_url(berga), TAKEOVER)
        assert stored(victim) == before
        assert Subscription.objects.count() == 1

    def test_the_victims_inbox_is_told_with_a_link_to_manage_the_subscription(
        self, client, berga, victim, smtp_server, drain
    ):
        client.post(follow_url(berga), TAKEOVER)
        drain()
        [mail] = smtp_server.to(VICTIM)
        assert mail.subject == "Du bevakar redan det här på Torget"
        assert "ingenting har ändrats" in mail.text
        assert f"/bevakning/{victim.token}/?val=" in mail.text
        # The manage link is a standing key: it isn't kept in the outbox once sent.
        assert Notification.objects.get().context == {"_secret": True}

    def test_the_mail_is_in_the_followers_language_not_the_strangers(
        self, client, berga, smtp_server, drain
    ):
        SubscriptionFactory(target=berga, email=VICTIM, language="en")
        client.post(follow_url(berga), TAKEOVER)
        drain()
        [mail] = smtp_server.to(VICTIM)
        assert mail.subject == "You already follow this on Torget"
        assert "so nothing has changed" in mail.text

    def test_the_link_fills_in_the_asked_for_choices_and_only_saving_applies_them(
        self, client, berga, victim, smtp_server, drain
    ):
        client.post(follow_url(berga), TAKEOVER)
        drain()
        [mail] = smtp_server.to(VICTIM)
        path = re.search(r"/bevakning/\S+/\?val=\S+", mail.text).group(0)
        html = client.get(path).content.decode()
        assert "Ingenting ändras förrän du sparar" in html
        assert 'value="070-999 88 77"' in html
        assert 'value="sms" id="id_channels_1" checked' in html
        assert 'value="weekly" required id="id_frequency_2" checked' in html
        assert stored(victim)[:4] == (True, False, "", Frequency.IMMEDIATE)
        client.post(path, {"channels": ["sms"], "phone": "070-999 88 77", "frequency": "weekly"})
        assert stored(victim)[:4] == (False, True, "+46709998877", Frequency.WEEKLY)

    def test_a_forged_or_foreign_choices_value_is_ignored(self, client, berga, victim):
        other = SubscriptionFactory(target=berga)
        from torget.notifications.selectors import proposed_choices_sign

        foreign = proposed_choices_sign(
            other,
            {"by_email": False, "by_sms": True, "phone": "+46709998877", "frequency": "weekly"},
        )
        url = reverse("notifications:manage", kwargs={"token": victim.token})
        for value in (foreign, "forged"):
            html = client.get(url, {"val": value}).content.decode()
            assert "Ingenting ändras förrän du sparar" not in html
            assert "070-999 88 77" not in html

    def test_a_waiting_subscription_is_sent_its_confirmation_again_unchanged(
        self, client, berga, smtp_server, drain
    ):
        waiting = SubscriptionFactory(target=berga, email=VICTIM, confirmed_at=None)
        before = stored(waiting)
        client.post(follow_url(berga), TAKEOVER)
        drain()
        assert stored(waiting) == before
        [mail] = smtp_server.to(VICTIM)
        assert f"/bevakning/bekrafta/{waiting.token}/" in mail.text

    def test_the_answer_is_the_same_page_for_a_new_a_waiting_and_a_confirmed_address(
        self, client, berga
    ):
        unknown = client.post(follow_url(berga), TAKEOVER)
        waiting = client.post(follow_url(berga), TAKEOVER)
        Subscription.objects.update(confirmed_at=Subscription.objects.get().created_at)
        confirmed = client.post(follow_url(berga), TAKEOVER)
        assert unknown.status_code == waiting.status_code == confirmed.status_code == 200
        assert main_content(unknown) == main_content(waiting) == main_content(confirmed)
        assert "Bekräfta din bevakning" in main_content(confirmed)
        assert set(unknown.cookies) == set(confirmed.cookies)

    def test_the_signed_in_owner_still_changes_their_own_subscription_at_once(self, client, berga):
        from torget.accounts.tests.factories import CitizenFactory

        owner = CitizenFactory()
        client.force_login(owner)
        client.post(follow_url(berga), {"channels": ["email"], "frequency": "immediate"})
        client.post(follow_url(berga), {"channels": ["email"], "frequency": "weekly"})
        assert Subscription.objects.get(user=owner).frequency == Frequency.WEEKLY


mobiles = st.builds(
    lambda prefix, rest: f"{prefix}-{rest}",
    st.sampled_from(["070", "072", "073", "076", "079"]),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)


@st.composite
def follow_choices(draw):
    channels = draw(st.sampled_from([["email"], ["sms"], ["email", "sms"]]))
    phone = draw(mobiles) if "sms" in channels else draw(st.sampled_from(["", "070-111 22 33"]))
    return {
        "channels": channels,
        "phone": phone,
        "frequency": draw(st.sampled_from(Frequency.values)),
    }


@pytest.mark.django_db
class TestAnonymousFollowProperty:
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        existing=follow_choices(),
        asked=follow_choices(),
        spelling=st.sampled_from([VICTIM, VICTIM.upper(), f"  {VICTIM}", "Offer@Example.SE"]),
    )
    def test_no_anonymous_post_changes_a_confirmed_subscription(
        self, client, berga, existing, asked, spelling
    ):
        # Each example in its own savepoint, rolled back: the examples don't see each other.
        with transaction.atomic():
            victim = SubscriptionFactory(
                target=berga,
                email=VICTIM,
                by_email="email" in existing["channels"],
                by_sms="sms" in existing["channels"],
                phone="+46701112233" if "sms" in existing["channels"] else "",
                frequency=existing["frequency"],
            )
            before = stored(victim)
            response = client.post(follow_url(berga), {"email": spelling, **asked})
            assert response.status_code == 200
            assert stored(victim) == before
            assert Subscription.objects.count() == 1
            transaction.set_rollback(True)


@pytest.mark.django_db
class TestAnonymousFollowsAreLimited:
    """Each anonymous follow mails the address given, so the form is no way to flood
    someone's inbox."""

    def test_the_sixth_follow_to_one_address_in_an_hour_sends_nothing(self, client, settings):
        settings.FOLLOW_RATE_PER_EMAIL = 5
        areas = [AreaFactory() for _ in range(6)]
        for area in areas[:5]:
            client.post(
                follow_url(area), {"email": VICTIM, "channels": ["email"], "frequency": "weekly"}
            )
        mails = Notification.objects.count()
        response = client.post(
            follow_url(areas[5]), {"email": VICTIM, "channels": ["email"], "frequency": "weekly"}
        )
        assert "för många bevakningar" in response.content.decode()
        assert Notification.objects.count() == mails
        assert not Subscription.objects.filter(target_id=areas[5].pk).exists()

    def test_one_connection_is_limited_whatever_the_addresses(self, client, settings, berga):
        settings.FOLLOW_RATE_PER_IP = 2
        for n in range(2):
            client.post(
                follow_url(berga),
                {"email": f"p{n}@example.se", "channels": ["email"], "frequency": "weekly"},
            )
        response = client.post(
            follow_url(berga),
            {"email": "p9@example.se", "channels": ["email"], "frequency": "weekly"},
        )
        assert "för många bevakningar" in response.content.decode()
        assert not Subscription.objects.filter(email="p9@example.se").exists()
