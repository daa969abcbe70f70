"""Supporting a proposal: a fresh e-ID step, one support per person, residence and age."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from torget.identity.models import Residence
from torget.identity.tests.factories import VerificationFactory, make_pin
from torget.notifications.models import Delivery, Notification
from torget.organisation.models import Municipality
from torget.proposals import services
from torget.proposals.models import EventKind, Status, Support
from torget.proposals.tests.factories import SigningProposalFactory, SupportFactory

pytestmark = pytest.mark.django_db


def _identify(client, pin=None, residence="ja", next_url="/"):
    pin = pin or make_pin()
    response = client.post(
        reverse("identity:demo"), {"pin": str(pin), "residence": residence, "next": next_url}
    )
    assert response.status_code == 302, response.content
    return pin


def _active(proposal):
    return Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count()


class TestRules:
    def test_one_support_per_person_by_the_database(self):
        proposal = SigningProposalFactory()
        pin = make_pin()
        services.support_add(proposal=proposal, verification=VerificationFactory(pin=pin))
        with pytest.raises(services.SupportRefused, match="redan"):
            services.support_add(proposal=proposal, verification=VerificationFactory(pin=pin))
        assert _active(proposal) == 1

    def test_residence_is_required_when_the_municipality_says_so(self):
        Municipality.objects.create(proposal_residence_required=True, name="Storeby kommun")
        proposal = SigningProposalFactory()
        for residence in (Residence.NO, Residence.UNKNOWN):
            with pytest.raises(services.SupportRefused, match="folkbokförd i Storeby"):
                services.support_add(
                    proposal=proposal, verification=VerificationFactory(residence=residence)
                )
        municipality = Municipality.objects.get()
        municipality.proposal_residence_required = False
        municipality.save()
        services.support_add(
            proposal=proposal, verification=VerificationFactory(residence=Residence.NO)
        )
        assert _active(proposal) == 1

    def test_minimum_age(self):
        Municipality.objects.create(proposal_min_age=16, proposal_residence_required=False)
        proposal = SigningProposalFactory()
        today = timezone.localdate()
        fifteen = today.replace(year=today.year - 16) + datetime.timedelta(days=1)
        with pytest.raises(services.SupportRefused, match="16 år"):
            services.support_add(
                proposal=proposal, verification=VerificationFactory(pin=make_pin(fifteen))
            )
        sixteen = today.replace(year=today.year - 16)
        services.support_add(
            proposal=proposal, verification=VerificationFactory(pin=make_pin(sixteen))
        )

    def test_no_support_after_the_period(self):
        proposal = SigningProposalFactory(signing_ends_on=timezone.localdate())
        with freeze_time(timezone.now() + datetime.timedelta(days=1)):
            with pytest.raises(services.SupportRefused, match="stängd"):
                services.support_add(proposal=proposal, verification=VerificationFactory())

    def test_withdrawn_support_is_not_counted_and_cannot_be_withdrawn_twice(self):
        proposal = SigningProposalFactory()
        verification = VerificationFactory()
        services.support_add(proposal=proposal, verification=verification)
        services.support_withdraw(proposal=proposal, verification=verification)
        assert _active(proposal) == 0
        with pytest.raises(services.SupportRefused):
            services.support_withdraw(proposal=proposal, verification=verification)
        # Supporting again counts once more, not twice.
        services.support_add(proposal=proposal, verification=verification)
        assert _active(proposal) == 1
        assert services.support_counts_refresh() >= 1
        proposal.refresh_from_db()
        assert proposal.support_count == 1


class TestThreshold:
    def test_crossing_moves_the_proposal_to_the_council_once(
        self, django_capture_on_commit_callbacks
    ):
        Municipality.objects.create(registrar_email="registrator@storeby.example")
        proposal = SigningProposalFactory(threshold=3)
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                services.support_add(proposal=proposal, verification=VerificationFactory())
        proposal.refresh_from_db()
        assert proposal.status == Status.TO_COUNCIL
        assert proposal.diary_number.startswith("KF ")
        assert proposal.events.filter(kind=EventKind.THRESHOLD).count() == 1
        assert not services.threshold_check(proposal_id=proposal.pk)
        assert proposal.events.filter(kind=EventKind.THRESHOLD).count() == 1
        registrar = Notification.objects.get(template="proposals.registrar")
        assert Delivery.objects.filter(
            notification=registrar, to="registrator@storeby.example"
        ).exists()
        # Support goes on after the threshold until the period ends.
        services.support_add(proposal=proposal, verification=VerificationFactory())
        assert _active(proposal) == 4

    def test_the_sweep_catches_a_missed_crossing_and_ends_periods(self):
        reached = SigningProposalFactory(threshold=2)
        SupportFactory.create_batch(2, proposal=reached)  # no on_commit check ran
        ended = SigningProposalFactory(
            threshold=2, signing_ends_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        SupportFactory(proposal=ended)
        report = services.proposals_sweep()
        assert report["reached"] == 1
        assert report["closed"] == 1
        reached.refresh_from_db()
        ended.refresh_from_db()
        assert reached.status == Status.TO_COUNCIL
        assert ended.status == Status.UNSUPPORTED
        assert ended.support_count == 1
        event = ended.events.get(kind=EventKind.UNSUPPORTED)
        assert event.text == "1 av 2 stöd."
        assert Notification.objects.filter(template="proposals.step").exists()

    def test_the_worker_tick_runs_the_sweep(self):
        from torget.notifications.tasks import tick

        proposal = SigningProposalFactory(threshold=1)
        SupportFactory(proposal=proposal)
        report = tick.call()
        assert report["proposals"]["reached"] == 1


class TestPages:
    def test_support_needs_an_e_id_step(self, client):
        proposal = SigningProposalFactory()
        url = reverse("proposals:support", args=[proposal.pk])
        response = client.get(url)
        assert response.status_code == 200
        assert "Legitimera dig" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("identity:choose"))
        assert _active(proposal) == 0

    def test_a_password_log_in_alone_is_not_enough(self, client, citizen):
        client.force_login(citizen)
        proposal = SigningProposalFactory()
        client.post(reverse("proposals:support", args=[proposal.pk]))
        assert _active(proposal) == 0

    def test_support_and_withdraw_through_the_pages(self, client, citizen):
        client.force_login(citizen)
        proposal = SigningProposalFactory()
        url = reverse("proposals:support", args=[proposal.pk])
        _identify(client, next_url=url)
        assert "Bekräfta mitt stöd" in client.get(url).content.decode()
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"] == proposal.get_absolute_url()
        support = Support.objects.get(proposal=proposal)
        assert support.user == citizen
        # A second try tells the person they already support it.
        assert "Du stödjer redan" in client.get(url).content.decode()
        client.post(url)
        assert _active(proposal) == 1
        response = client.post(reverse("proposals:withdraw", args=[proposal.pk]))
        assert response.status_code == 302
        assert _active(proposal) == 0

    def test_the_e_id_step_expires(self, client):
        proposal = SigningProposalFactory()
        url = reverse("proposals:support", args=[proposal.pk])
        _identify(client, next_url=url)
        with freeze_time(timezone.now() + datetime.timedelta(minutes=11)):
            response = client.post(url)
        assert response.status_code == 302
        assert _active(proposal) == 0

    def test_a_non_resident_is_told_why(self, client):
        Municipality.objects.create(proposal_residence_required=True, name="Storeby kommun")
        proposal = SigningProposalFactory()
        url = reverse("proposals:support", args=[proposal.pk])
        _identify(client, residence="nej", next_url=url)
        assert "folkbokförd i Storeby kommun" in client.get(url).content.decode()
        client.post(url)
        assert _active(proposal) == 0

    def test_unpublished_proposals_cannot_be_supported(self, client):
        proposal = SigningProposalFactory(status=Status.SUBMITTED)
        assert client.get(reverse("proposals:support", args=[proposal.pk])).status_code == 404

    def test_rate_limit_per_ip(self, client, settings):
        settings.PROPOSALS_SUPPORT_RATE_PER_IP = 2
        proposals = SigningProposalFactory.create_batch(3)
        for proposal in proposals[:2]:
            url = reverse("proposals:support", args=[proposal.pk])
            _identify(client, next_url=url)
            assert client.post(url).status_code == 302
        url = reverse("proposals:support", args=[proposals[2].pk])
        _identify(client, next_url=url)
        response = client.post(url)
        assert response.status_code == 429
        assert "För många försök" in response.content.decode()
        assert _active(proposals[2]) == 0


def test_the_sweep_removes_abandoned_draft_images(settings, tmp_path):
    import os
    import time

    settings.MEDIA_ROOT = tmp_path
    drafts = tmp_path / "proposals" / "drafts"
    drafts.mkdir(parents=True)
    old, new = drafts / "old.jpg", drafts / "new.jpg"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    assert services.draft_images_prune() == 1
    assert not old.exists() and new.exists()
