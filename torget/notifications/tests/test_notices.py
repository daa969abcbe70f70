"""Every kind of notice reaches people the way they chose (DOMAIN §6): by e-mail, by SMS or
both, and each SMS is one message of at most 160 GSM characters with a link. The walk is over
the registry, so a kind registered by any app (now or later) is walked too."""

import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings as django_settings

from torget.accounts.tests.factories import CitizenFactory
from torget.geo.tests.factories import AreaFactory
from torget.notifications import notices, rendering, sending, sms
from torget.notifications.models import Channel, Delivery, Notification
from torget.notifications.selectors import stop_code
from torget.notifications.services import notify
from torget.notifications.tests.factories import SubscriptionFactory

# A long Swedish title as people write them: quotes and dashes from a word processor, an
# ampersand, and all of åäöÅÄÖé (in the GSM alphabet). Every text of a notice is this long in
# the walk, so every template must leave room for its link.
LONG = (
    "Trygghet & trafik kring Berga centrum – ”Vad vill ni göra med torget, parken, "
    "skolgården och gång- och cykelvägarna längs Åsvägen, Ängsgatan och Östra allén?” "
    "Café-kvällar för alla åldrar … "
)
# The address of a real municipality's site, longer than the development default.
SITE_URL = "https://medborgardialog.storeby.se"
LINK_KEYS = re.compile(r"(url|path|token|code)$")
URL = re.compile(r"https?://\S+")


def _stretched(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _stretched(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_stretched(v, key) for v in value]
    # Prose (titles, texts, names) is stretched; ids, dates and addresses are kept as they are.
    if isinstance(value, str) and " " in value.strip() and not LINK_KEYS.search(key):
        return (value + " " + LONG * 3)[:400]
    return value


def _kinds():
    return [pytest.param(kind, id=kind.template) for kind in notices.all_kinds()]


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE_URL
    settings.SMS_URL = "memory://"


def _delivery(kind, channel, subscription=None, language="sv"):
    notification = Notification.objects.create(
        template=kind.template,
        context=_stretched(dict(kind.example)),
        channels=[str(channel)],
    )
    return Delivery.objects.create(
        notification=notification,
        channel=channel,
        to="+46701234567" if channel == Channel.SMS else "a@example.se",
        subscription=subscription,
        language=language,
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("site")
class TestEveryNoticeKind:
    def test_the_registry_holds_every_kind_the_apps_send(self):
        """Every folder of notice templates in any app is a registered kind, so nothing can
        be sent that the walks below have not checked."""
        folders = set()
        roots = [Path(config.path) / "templates" for config in apps.get_app_configs()]
        roots += [Path(d) for d in django_settings.TEMPLATES[0]["DIRS"]]
        for root in roots:
            folders |= {p.parent.name for p in (root / "notifications").glob("*/subject.txt")}
            folders |= {p.parent.name for p in (root / "notifications").glob("*/sms.txt")}
        registered = {kind.template for kind in notices.all_kinds()}
        assert folders - registered == set()
        assert len(registered) > 30

    @pytest.mark.parametrize("language", ["sv", "en"])
    @pytest.mark.parametrize("kind", _kinds())
    def test_every_notice_kind_has_an_sms_text_within_160_gsm_characters(self, kind, language):
        """…with an absolute link, for a direct recipient and for a follower (whose SMS also
        carries the link that ends the subscription), with long titles."""
        if Channel.SMS not in kind.channels:
            # Only a message that proves an e-mail address goes by e-mail alone.
            assert kind.proves == Channel.EMAIL
            return
        if kind.bare:
            # A conversation's message: as written, no link, at most three SMS.
            text = rendering.Renderer().sms(_delivery(kind, Channel.SMS, None, language))
            assert sms.is_gsm(text), text
            assert 0 < sms.length(text) <= sms.CONVERSATION_MAX_LENGTH, text
            assert "http" not in text and "{" not in text and "&amp;" not in text, text
            return
        followers = [None]
        if kind.followers:
            followers.append(SubscriptionFactory(by_sms=True, phone="+46701234567"))
        for subscription in followers:
            delivery = _delivery(kind, Channel.SMS, subscription, language)
            text = rendering.Renderer().sms(delivery)
            assert sms.is_gsm(text), text
            assert sms.length(text) <= 160, text
            assert sms.segments(text) == 1
            links = URL.findall(text)
            assert links and links[0].startswith(SITE_URL + "/"), text
            assert text.count(links[0] + "\n") + text.endswith(links[0]) == 1, text
            assert "&amp;" not in text and "{" not in text, text
            message = text[: text.index(links[0])].strip()
            assert len(message) >= 20, f"too little room left for the message: {text!r}"
            if subscription is not None:
                assert text.endswith(f"{SITE_URL}/sluta/{stop_code(subscription)}/")

    @pytest.mark.parametrize("language", ["sv", "en"])
    @pytest.mark.parametrize("kind", _kinds())
    def test_every_notice_kind_has_an_e_mail(self, kind, language):
        if Channel.EMAIL not in kind.channels:
            assert kind.proves == Channel.SMS or kind.bare
            return
        subscription = SubscriptionFactory() if kind.followers else None
        delivery = _delivery(kind, Channel.EMAIL, subscription, language)
        message = rendering.Renderer().email(delivery)
        assert message.subject.strip()
        assert "\n" not in message.subject
        assert message.body.strip()
        assert "&amp;" not in message.body
        assert "&amp;" not in message.subject
        html = message.alternatives[0][0]  # type: ignore[index]
        assert "<html" in html or "<p" in html

    @pytest.mark.parametrize("kind", _kinds())
    def test_every_notice_kind_goes_by_each_followers_chosen_channels(self, kind, drain):
        """Three followers of one area: by e-mail, by SMS, by both. Each gets the notice by
        what they chose, whatever channels the sending app asked for."""
        area = AreaFactory()
        by_email = SubscriptionFactory(target=area)
        by_sms = SubscriptionFactory(target=area, by_email=False, by_sms=True, phone="+46701234567")
        both = SubscriptionFactory(target=area, by_sms=True, phone="+46707654321")
        if not kind.followers:
            with pytest.raises(ValueError, match="not registered for followers"):
                notify(template=kind.template, context=dict(kind.example), followers_of=[area])
            return
        # The default channels, as a caller that thinks only of e-mail would send it.
        notify(template=kind.template, context=dict(kind.example), followers_of=[area])
        drain()
        sent = {
            (d.subscription_id, d.channel, d.status)
            for d in Delivery.objects.filter(notification__template=kind.template)
        }
        assert sent == {
            (by_email.pk, "email", "sent"),
            (by_sms.pk, "sms", "sent"),
            (both.pk, "email", "sent"),
            (both.pk, "sms", "sent"),
        }
        assert {m.to for m in sms.outbox} == {"+46701234567", "+46707654321"}


@pytest.mark.django_db
class TestFollowersChannels:
    def test_the_weekly_digest_goes_by_the_followers_channels_too(self, drain):
        area = AreaFactory(name="Berga")
        SubscriptionFactory(
            target=area, by_email=False, by_sms=True, phone="0701234567", frequency="weekly"
        )
        notify(template="test.event", context={"title": "Vattenläcka"}, followers_of=[area])
        drain()
        assert sending.digests_compose() == 1
        drain()
        [text] = sms.outbox
        assert "Vattenläcka" in text.message
        assert "/omraden/" in text.message

    def test_a_signed_in_followers_number_is_theirs_without_a_code(self, drain):
        from torget.notifications.services import subscription_create

        area = AreaFactory()
        subscription = subscription_create(
            target=area, user=CitizenFactory(), by_email=False, by_sms=True, phone="0701234567"
        )
        assert subscription.is_phone_confirmed
        notify(template="test.event", context={"title": "x"}, followers_of=[area])
        drain()
        assert [m.to for m in sms.outbox] == ["+46701234567"]


class TestGsm:
    def test_swedish_letters_are_in_the_gsm_alphabet(self):
        assert sms.is_gsm("åäöÅÄÖé")

    def test_typographic_quotes_and_dashes_become_their_gsm_twins(self):
        assert sms.to_gsm("”Torget” – nu… ’här’") == "\"Torget\" - nu... 'här'"

    def test_accented_letters_outside_the_alphabet_lose_their_accent(self):
        assert sms.to_gsm("Čáhcegáddi") == "Cahcegaddi"

    def test_characters_of_the_extension_table_count_twice(self):
        assert sms.length("€5") == 3

    def test_a_message_that_cannot_be_gsm_is_held_to_160_characters_of_ucs2(self):
        text = sms.compose("مرحبا " * 50, " https://torget.storeby.se/dialoger/1/")
        assert not sms.is_gsm(text)
        assert sms.length(text) <= 160
        assert text.endswith(" https://torget.storeby.se/dialoger/1/")

    def test_a_long_message_is_shortened_and_its_link_kept_whole(self):
        text = sms.compose("ord " * 100, " https://torget.storeby.se/dialoger/1/")
        assert sms.length(text) == 160
        assert text.endswith("... https://torget.storeby.se/dialoger/1/")


@pytest.mark.django_db
def test_a_text_that_writes_its_link_itself_gets_it_once_at_the_end(settings):
    settings.SITE_URL = SITE_URL
    kind = notices.get("dialogues.opened")
    context = {"site_url": SITE_URL, "title": "Trafiken", "url": "/dialoger/12/"}
    with_link = "Nu kan du delta: Trafiken. Läs mer: " + SITE_URL + "/dialoger/12/ Välkommen!"
    with mock.patch.object(rendering, "render_text", return_value=with_link):
        text = rendering.render_sms(kind.template, context, stop_length=0)
    assert text == f"Nu kan du delta: Trafiken. Läs mer: Välkommen! {SITE_URL}/dialoger/12/"
