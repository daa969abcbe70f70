"""Supports after identity's re-keying of person keys from other digit scripts (issue 15):
the same person's later supports are flagged for review, never deleted, and not counted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory
from torget.audit.models import AuditEntry
from torget.identity.personnummer import pin_key
from torget.identity.personnummer_repair import legacy_key, person_keys_repair
from torget.identity.tests.factories import VerificationFactory
from torget.proposals import selectors, services
from torget.proposals.models import Support
from torget.proposals.tests.factories import SigningProposalFactory, SupportFactory

pytestmark = pytest.mark.django_db

ARABIC_INDIC = "\u0660"
FULL_WIDTH = "\uff10"
BORN = datetime.date(1981, 12, 18)
DIGITS = "198112189876"


def support_typed_in(proposal, zero, *, minutes_ago, **extra):
    """A support given through a verification of DIGITS typed in one script, the old way."""
    key = legacy_key(DIGITS, zero)
    verification = VerificationFactory(person_key=key, birth_date=BORN)
    return SupportFactory(
        proposal=proposal,
        person_key=key,
        verification=verification,
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        **extra,
    )


class TestProbe:
    """The probe: one personnummer, three spellings, three supports of one proposal."""

    @pytest.fixture
    def proposal(self):
        proposal = SigningProposalFactory()
        SupportFactory.create_batch(3, proposal=proposal)  # other people
        return proposal

    def test_the_later_spellings_are_flagged_not_deleted_and_stop_counting(self, proposal):
        first = support_typed_in(proposal, "0", minutes_ago=30)
        arabic = support_typed_in(proposal, ARABIC_INDIC, minutes_ago=20)
        full_width = support_typed_in(proposal, FULL_WIDTH, minutes_ago=10)
        services.support_counts_refresh(proposal_ids=[proposal.pk])
        proposal.refresh_from_db()
        assert proposal.support_count == 6

        report = person_keys_repair()

        assert Support.objects.filter(proposal=proposal).count() == 6  # none deleted
        for support in (first, arabic, full_width):
            support.refresh_from_db()
            assert support.person_key == pin_key(DIGITS)
        assert first.duplicate_of is None
        assert arabic.duplicate_of == first
        assert full_width.duplicate_of == first
        proposal.refresh_from_db()
        assert proposal.support_count == 4
        assert selectors.support_count_live(proposal) == 4
        assert report.as_dict() == {
            "verifications_rekeyed": 2,
            "unrecoverable": 0,
            "residents_rekeyed": 0,
            "residents_merged": 0,
            "supports_rekeyed": 2,
            "duplicates_flagged": 2,
            "proposals_corrected": 1,
        }

    def test_one_duplicate_drops_the_count_by_one_with_an_audit_entry_per_change(self, proposal):
        first = support_typed_in(proposal, "0", minutes_ago=30)
        later = support_typed_in(proposal, FULL_WIDTH, minutes_ago=10)
        services.support_counts_refresh(proposal_ids=[proposal.pk])
        before = selectors.support_count_live(proposal)

        person_keys_repair()

        proposal.refresh_from_db()
        assert Support.objects.filter(proposal=proposal).count() == 5
        assert proposal.support_count == before - 1 == 4
        entries = {e.action: e for e in AuditEntry.objects.all()}
        assert set(entries) == {
            "identity.person_key_canonicalised",
            "proposal.support_person_key_canonicalised",
            "proposal.support_flagged_duplicate",
            "proposal.support_count_corrected",
        }
        assert AuditEntry.objects.count() == 4
        assert entries["identity.person_key_canonicalised"].object_id == str(later.verification_id)
        assert entries["proposal.support_flagged_duplicate"].object_id == str(later.pk)
        assert entries["proposal.support_flagged_duplicate"].changes["duplicate_of"] == first.pk
        assert entries["proposal.support_count_corrected"].changes["support_count"] == [5, 4]
        assert all(e.actor is None and e.actor_label == "system" for e in entries.values())

    def test_when_the_other_script_came_first_it_is_the_later_ascii_support_that_is_flagged(
        self, proposal
    ):
        arabic = support_typed_in(proposal, ARABIC_INDIC, minutes_ago=30)
        ascii_one = support_typed_in(proposal, "0", minutes_ago=10)
        person_keys_repair()
        arabic.refresh_from_db()
        ascii_one.refresh_from_db()
        assert arabic.duplicate_of is None
        assert arabic.person_key == pin_key(DIGITS)
        assert ascii_one.duplicate_of == arabic

    def test_a_withdrawn_support_is_rekeyed_but_not_flagged(self, proposal):
        support_typed_in(proposal, "0", minutes_ago=30)
        withdrawn = support_typed_in(
            proposal, FULL_WIDTH, minutes_ago=10, withdrawn_at=timezone.now()
        )
        report = person_keys_repair()
        withdrawn.refresh_from_db()
        assert withdrawn.person_key == pin_key(DIGITS)
        assert withdrawn.duplicate_of is None
        assert report.others["duplicates_flagged"] == 0

    def test_one_support_per_proposal_is_not_a_duplicate(self, proposal):
        other = SigningProposalFactory()
        support_typed_in(proposal, "0", minutes_ago=30)
        moved = support_typed_in(other, FULL_WIDTH, minutes_ago=10)
        report = person_keys_repair()
        moved.refresh_from_db()
        assert moved.person_key == pin_key(DIGITS)
        assert moved.duplicate_of is None
        assert report.others == {
            "supports_rekeyed": 1,
            "duplicates_flagged": 0,
            "proposals_corrected": 0,
        }


class TestAfterTheRepair:
    def test_the_person_cannot_support_again_and_may_withdraw_the_counted_support(self):
        proposal = SigningProposalFactory()
        first = support_typed_in(proposal, "0", minutes_ago=30)
        support_typed_in(proposal, ARABIC_INDIC, minutes_ago=10)
        person_keys_repair()
        verification = VerificationFactory(person_key=pin_key(DIGITS), birth_date=BORN)
        with pytest.raises(services.SupportRefused):
            services.support_add(proposal=proposal, verification=verification)
        withdrawn = services.support_withdraw(proposal=proposal, verification=verification)
        assert withdrawn.pk == first.pk
        assert selectors.support_count_live(proposal) == 0

    def test_staff_see_the_flagged_support_on_the_proposals_page(self, client):
        proposal = SigningProposalFactory()
        support_typed_in(proposal, "0", minutes_ago=30)
        support_typed_in(proposal, FULL_WIDTH, minutes_ago=10)
        person_keys_repair()
        client.force_login(UserFactory(role=Role.OFFICIAL))
        response = client.get(reverse("proposals:staff_detail", args=[proposal.pk]))
        assert response.context["support_count"] == 1
        assert len(response.context["duplicates"]) == 1
        assert "Dubblett – granskas" in response.text
        assert "Dubbletter att granska" in response.text

    def test_a_proposal_without_duplicates_shows_no_review_section(self, client):
        proposal = SigningProposalFactory()
        SupportFactory(proposal=proposal)
        client.force_login(UserFactory(role=Role.OFFICIAL))
        response = client.get(reverse("proposals:staff_detail", args=[proposal.pk]))
        assert "Dubbletter att granska" not in response.text
