"""Merging similar ideas: proposed by staff, done only when both authors have consented
(themselves, or recorded by staff on their word), and the merged idea links to the one that
stays, keeping its own comments and interest."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from torget.accounts.tests.factories import CitizenFactory
from torget.audit.models import AuditEntry
from torget.budget import idea_services as services
from torget.budget.models import Comment, IdeaStatus, Merge, Phase
from torget.budget.tests.factories import budget_dialogue, budget_round, idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    dialogue, people = budget_dialogue()
    round = budget_round(dialogue, people=people, phase=Phase.REVIEW)
    source = idea(round, title="Lekplats i parken", author=CitizenFactory())
    target = idea(round, title="Ny lekplats i Bergaparken", author=CitizenFactory())
    return source, target, people.official


def _propose(source, target, official):
    return services.merge_propose(
        source=source, target=target, actor=official, reason="Båda vill ha en lekplats i parken."
    )


class TestMerge:
    def test_merged_only_after_both_consents(self, pair):
        source, target, official = pair
        merge = _propose(source, target, official)
        merge = services.merge_consent(merge=merge, idea=source, actor=source.author)
        source.refresh_from_db()
        assert source.status == IdeaStatus.SUBMITTED
        assert merge.done_at is None
        merge = services.merge_consent(merge=merge, idea=target, actor=target.author)
        source.refresh_from_db()
        assert merge.done_at is not None
        assert source.status == IdeaStatus.MERGED
        assert source.merged_into == target
        assert AuditEntry.objects.filter(action="budget.idea_merged").exists()

    def test_a_decline_leaves_the_ideas_apart(self, pair):
        source, target, official = pair
        merge = _propose(source, target, official)
        services.merge_decline(merge=merge, idea=target, actor=target.author)
        with pytest.raises(ValidationError):
            services.merge_consent(merge=merge, idea=source, actor=source.author)
        source.refresh_from_db()
        assert source.status == IdeaStatus.SUBMITTED

    def test_someone_else_may_not_consent(self, pair):
        source, target, official = pair
        merge = _propose(source, target, official)
        with pytest.raises(PermissionDenied):
            services.merge_consent(merge=merge, idea=source, actor=CitizenFactory())
        with pytest.raises(PermissionDenied):
            services.merge_consent(merge=merge, idea=source, actor=target.author)

    def test_staff_record_consent_with_a_note(self, pair):
        source, target, official = pair
        merge = _propose(source, target, official)
        with pytest.raises(ValidationError) as refused:
            services.merge_consent(merge=merge, idea=source, actor=official)
        assert "on_behalf_note" in refused.value.message_dict
        merge = services.merge_consent(
            merge=merge, idea=source, actor=official, on_behalf_note="Per telefon 3 december"
        )
        assert "Per telefon 3 december" in merge.source_consent_by

    def test_only_one_open_proposal_per_idea(self, pair):
        source, target, official = pair
        _propose(source, target, official)
        other = idea(source.round)
        with pytest.raises(ValidationError):
            _propose(source, other, official)

    def test_a_citizen_may_not_propose(self, pair):
        source, target, _ = pair
        with pytest.raises(PermissionDenied):
            _propose(source, target, CitizenFactory())


class TestPages:
    def test_author_answers_and_merged_page_links_to_the_target(self, pair, client):
        source, target, official = pair
        Comment.objects.create(idea=source, shown_name="Ada", text="Jättebra förslag!")
        merge = _propose(source, target, official)
        client.force_login(source.author)
        page = client.get(source.get_absolute_url()).content.decode()
        assert "Svara på förslaget" in page
        url = reverse("budget:merge_consent", args=[source.round_id, source.number, merge.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {}).status_code == 400
        response = client.post(url, {"answer": "ja"}, follow=True)
        assert "när den andra förslagsställaren också har samtyckt" in response.content.decode()
        # The other author answers through staff, by phone.
        client.force_login(official)
        response = client.post(
            reverse("budget:staff_merge_consent", args=[target.round_id, target.number, merge.pk]),
            {"consent-side": "target", "consent-answer": "ja", "consent-note": "Per telefon idag"},
            follow=True,
        )
        assert "idéerna är sammanslagna" in response.content.decode()
        client.logout()
        page = client.get(source.get_absolute_url()).content.decode()
        assert target.get_absolute_url() in page
        assert "Jättebra förslag!" in page
        assert "Sammanslagen med en annan idé" in page

    def test_another_citizen_may_not_open_the_answer_page(self, pair, client):
        source, target, official = pair
        merge = _propose(source, target, official)
        client.force_login(CitizenFactory())
        url = reverse("budget:merge_consent", args=[source.round_id, source.number, merge.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"answer": "ja"}).status_code == 403
        assert Merge.objects.get(pk=merge.pk).source_consent_at is None

    def test_staff_propose_through_the_form(self, pair, client):
        source, target, official = pair
        client.force_login(official)
        url = reverse("budget:staff_merge", args=[source.round_id, source.number])
        assert client.post(url, {"merge-target": "999", "merge-reason": "x"}).status_code == 400
        response = client.post(
            url,
            {"merge-target": str(target.number), "merge-reason": "Samma lekplats."},
            follow=True,
        )
        assert "Förslaget om sammanslagning är registrerat" in response.content.decode()
        assert Merge.objects.filter(source=source, target=target).exists()
