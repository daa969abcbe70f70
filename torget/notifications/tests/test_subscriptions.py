import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import PASSWORD, CitizenFactory, UserFactory
from torget.geo.tests.factories import AreaFactory
from torget.notifications import sending
from torget.notifications.models import (
    Delivery,
    DeliveryStatus,
    DigestItem,
    Frequency,
    Subscription,
)
from torget.notifications.services import notify, subscription_create
from torget.notifications.tests.factories import SubscriptionFactory


def event(area, **kwargs):
    return notify(
        template="test.event",
        context={"title": "Dialog startar", "url": area.get_absolute_url()},
        followers_of=[area],
        channels=["email", "sms"],
        **kwargs,
    )


@pytest.fixture
def areas(db):
    municipality = AreaFactory(name="Storeby kommun", slug="storeby")
    south = AreaFactory(name="Söder", slug="soder", parent=municipality)
    berga = AreaFactory(name="Berga", slug="berga", parent=south)
    ryd = AreaFactory(name="Ryd", slug="ryd", parent=municipality)
    return municipality, south, berga, ryd


@pytest.mark.django_db
class TestFanOut:
    def test_followers_of_the_area_and_every_area_it_lies_in_are_told(
        self, areas, smtp_server, drain
    ):
        municipality, south, berga, ryd = areas
        SubscriptionFactory(target=berga, email="berga@example.se")
        SubscriptionFactory(target=south, email="soder@example.se")
        SubscriptionFactory(target=municipality, email="kommun@example.se")
        SubscriptionFactory(target=ryd, email="ryd@example.se")
        SubscriptionFactory(target=berga, email="obekraftad@example.se", confirmed_at=None)
        notification = event(berga)
        assert not notification.deliveries.exists()  # the caller only wrote one row
        drain()
        received = sorted(to for m in smtp_server.messages for to in m.envelope_to)
        assert received == ["berga@example.se", "kommun@example.se", "soder@example.se"]

    def test_someone_following_both_an_area_and_its_district_gets_one_message(
        self, areas, smtp_server, drain
    ):
        _, south, berga, _ = areas
        SubscriptionFactory(target=berga, email="anna@example.se")
        SubscriptionFactory(target=south, email="anna@example.se")
        event(berga)
        drain()
        assert len(smtp_server.to("anna@example.se")) == 1

    def test_subscription_messages_carry_one_click_unsubscribe(
        self, areas, smtp_server, drain, client
    ):
        berga = areas[2]
        subscription = SubscriptionFactory(target=berga, email="anna@example.se")
        event(berga)
        drain()
        [mail] = smtp_server.messages
        url = mail.message["List-Unsubscribe"].strip("<>")
        assert url.endswith(f"/bevakning/{subscription.token}/avsluta/")
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "Avsluta bevakningen" in mail.html
        # RFC 8058: the mail program POSTs, without cookies or CSRF token.
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        client.handler.enforce_csrf_checks = True
        response = client.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
        assert not Subscription.objects.exists()

    def test_opening_the_unsubscribe_link_does_not_unsubscribe(self, client):
        subscription = SubscriptionFactory()
        response = client.get(
            reverse("notifications:unsubscribe", kwargs={"token": subscription.token})
        )
        assert "Ja, avsluta" in response.content.decode()
        assert Subscription.objects.exists()

    def test_unsubscribing_twice_is_answered_kindly(self, client):
        subscription = SubscriptionFactory()
        url = reverse("notifications:unsubscribe", kwargs={"token": subscription.token})
        client.post(url)
        response = client.post(url)
        assert response.status_code == 200
        assert "finns inte längre" in response.content.decode()

    def test_weekly_followers_get_a_digest_instead(self, areas, smtp_server, drain):
        berga = areas[2]
        SubscriptionFactory(target=berga, email="vecka@example.se", frequency=Frequency.WEEKLY)
        event(berga)
        notify(
            template="test.event",
            context={"title": "Möte i Berga", "url": "/"},
            followers_of=[berga],
        )
        drain()
        assert smtp_server.messages == []
        assert DigestItem.objects.count() == 2
        assert sending.digests_compose() == 1
        drain()
        [mail] = smtp_server.to("vecka@example.se")
        assert mail.subject == "Veckans nyheter om Berga"
        assert "Händelse: Dialog startar" in mail.text and "Händelse: Möte i Berga" in mail.text
        assert "List-Unsubscribe" in mail.message
        assert not DigestItem.objects.exists()
        assert sending.digests_compose() == 0

    def test_large_fan_out_is_created_in_batches_without_duplicates(self, areas, drain):
        berga = areas[2]
        Subscription.objects.bulk_create(
            SubscriptionFactory.build(target=berga, email=f"p{n}@example.se") for n in range(250)
        )
        notification = event(berga)
        assert sending.notification_expand(notification.pk, batch_size=100) == 250
        Subscription.objects.filter(pk__in=Subscription.objects.values("pk")[:10]).update(
            confirmed_at=None
        )
        notification.refresh_from_db()
        assert sending.notification_expand(notification.pk, batch_size=100) == 0  # already done
        assert Delivery.objects.count() == 250


@pytest.mark.django_db
class TestSubscribing:
    def test_without_an_account_the_address_is_confirmed_by_a_link(
        self, client, areas, smtp_server, drain
    ):
        berga = areas[2]
        url = reverse("notifications:follow", kwargs={"kind": "omrade", "pk": berga.pk})
        response = client.post(
            url, {"email": "Anna@Example.se", "channels": ["email"], "frequency": "immediate"}
        )
        assert "Bekräfta din bevakning" in response.content.decode()
        subscription = Subscription.objects.get()
        assert subscription.email == "anna@example.se" and not subscription.is_confirmed
        drain()
        [mail] = smtp_server.to("anna@example.se")
        confirm_path = re.search(r"/bevakning/bekrafta/\S+/", mail.text).group(0)
        assert "Ja, bekräfta" in client.get(confirm_path).content.decode()
        client.post(confirm_path)
        subscription.refresh_from_db()
        assert subscription.is_confirmed

    def test_a_signed_in_verified_citizen_follows_at_once(self, client, areas):
        client.force_login(CitizenFactory())
        url = reverse("notifications:follow", kwargs={"kind": "omrade", "pk": areas[2].pk})
        response = client.post(url, {"channels": ["email"], "frequency": "weekly"}, follow=True)
        assert "Du bevakar nu Berga" in response.content.decode()
        subscription = Subscription.objects.get()
        assert subscription.is_confirmed and subscription.frequency == Frequency.WEEKLY
        assert "Berga" in client.get(reverse("notifications:my_subscriptions")).content.decode()

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"email": "inte-en-adress"}, "email", "Fyll i en giltig e-postadress"),
            ({"channels": ["sms"], "phone": ""}, "phone", "Skriv ditt mobilnummer för att få sms."),
            ({"channels": ["sms"], "phone": "abc"}, "phone", "Skriv ett mobilnummer med siffror"),
            ({"channels": ["sms"], "phone": "070-12"}, "phone", "Numret finns inte"),
            ({"channels": ["sms"], "phone": "08-123 456 78"}, "phone", "Skriv ett mobilnummer."),
            ({"channels": []}, "channels", "Välj minst ett sätt"),
        ],
    )
    def test_bad_addresses_and_numbers_are_refused_with_a_clear_message(
        self, client, areas, data, field, message
    ):
        url = reverse("notifications:follow", kwargs={"kind": "omrade", "pk": areas[2].pk})
        form = {"email": "anna@example.se", "channels": ["email"], "frequency": "immediate", **data}
        response = client.post(url, form)
        html = response.content.decode()
        assert response.status_code == 200
        assert message in html
        assert f'href="#id_{field}' in html  # linked from the error summary
        assert not Subscription.objects.exists()

    def test_numbers_are_stored_in_e164(self, areas):
        subscription = subscription_create(
            target=areas[2],
            user=CitizenFactory(),
            by_sms=True,
            by_email=False,
            phone="070-123 45 67",
        )
        assert subscription.phone == "+46701234567"

    def test_following_again_updates_instead_of_duplicating(self, areas):
        user = CitizenFactory()
        subscription_create(target=areas[2], user=user)
        subscription_create(target=areas[2], user=user, frequency=Frequency.WEEKLY)
        assert Subscription.objects.get().frequency == Frequency.WEEKLY

    def test_unknown_kind_or_object_is_404(self, client, areas):
        assert client.get("/bevaka/okand/1/").status_code == 404
        assert client.get("/bevaka/omrade/999999/").status_code == 404

    def test_the_area_page_offers_to_follow(self, client, areas):
        html = client.get(areas[2].get_absolute_url()).content.decode()
        assert f'href="/bevaka/omrade/{areas[2].pk}/"' in html

    def test_changing_a_subscription_from_the_link_in_a_message(self, client):
        subscription = SubscriptionFactory()
        url = reverse("notifications:manage", kwargs={"token": subscription.token})
        response = client.post(
            url, {"channels": ["email", "sms"], "phone": "0701234567", "frequency": "weekly"}
        )
        assert response.status_code == 302
        subscription.refresh_from_db()
        assert (subscription.by_sms, subscription.phone, subscription.frequency) == (
            True,
            "+46701234567",
            "weekly",
        )

    def test_closing_the_account_removes_its_subscriptions(self, client, areas):
        user = CitizenFactory()
        subscription_create(target=areas[2], user=user)
        client.force_login(user)
        client.post(reverse("accounts:account_close"), {"password": PASSWORD})
        assert not Subscription.objects.exists()

    def test_the_data_export_lists_subscriptions(self, client, areas):
        user = CitizenFactory()
        subscription_create(target=areas[2], user=user)
        client.force_login(user)
        data = client.get(reverse("accounts:data_export")).json()
        assert data["notifications"][0]["follows"] == "Berga"

    def test_a_topic_can_be_followed(self, client):
        from torget.organisation.models import Topic

        topic = Topic.objects.create(name="Trafik och gator", slug="trafik")
        client.force_login(CitizenFactory())
        client.post(
            reverse("notifications:follow", kwargs={"kind": "amne", "pk": topic.pk}),
            {"channels": ["email"], "frequency": "immediate"},
        )
        assert Subscription.objects.get().target_type == ContentType.objects.get_for_model(Topic)


@pytest.mark.django_db
class TestOutboxView:
    def test_staff_see_counts_and_problems(self, client, smtp_server, drain):
        notify(
            template="test.event",
            context={"title": "x"},
            emails=["refused@example.se", "ok@example.se"],
        )
        drain()
        client.force_login(UserFactory(role=Role.CONTACT_CENTRE))
        html = client.get(reverse("notifications:outbox")).content.decode()
        assert "Gav upp" in html and "550" in html
        assert "Skicka om" in html

    def test_a_dead_message_can_be_retried_and_the_retry_is_audited(
        self, client, smtp_server, drain
    ):
        from torget.audit.models import AuditEntry

        notify(template="test.event", context={"title": "x"}, emails=["refused@example.se"])
        drain()
        delivery = Delivery.objects.get()
        client.force_login(UserFactory(role=Role.CONTACT_CENTRE))
        response = client.post(
            reverse("notifications:retry", kwargs={"pk": delivery.pk}), follow=True
        )
        assert "ligger i kön igen" in response.content.decode()
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 0
        assert AuditEntry.objects.filter(action="delivery.retried").exists()

    def test_citizens_are_refused(self, client):
        client.force_login(CitizenFactory())
        assert client.get(reverse("notifications:outbox")).status_code == 403

    def test_officials_see_but_cannot_retry(self, client):
        client.force_login(UserFactory(role=Role.OFFICIAL))
        assert client.get(reverse("notifications:outbox")).status_code == 200
        assert client.post(reverse("notifications:retry", kwargs={"pk": 1})).status_code == 403
