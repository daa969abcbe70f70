"""The förvaltning's review: feasible ideas need a cost, ideas over the whole budget are
refused with that reason, every answer has a public reason, criteria breaches are shown
publicly, only reviewers may review; and comment hiding."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.budget import idea_services as services
from torget.budget.models import Comment, IdeaStatus, Phase
from torget.budget.tests.factories import budget_dialogue, budget_round, idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    dialogue, people = budget_dialogue()
    round = budget_round(dialogue, people=people, phase=Phase.REVIEW)
    return round, people.official


class TestReview:
    def test_feasible_needs_a_cost(self, setup):
        round, official = setup
        found = idea(round)
        with pytest.raises(ValidationError) as refused:
            services.idea_review(
                idea=found, actor=official, feasible=True, reason="Går att genomföra."
            )
        assert "cost" in refused.value.message_dict
        found.refresh_from_db()
        assert found.status == IdeaStatus.SUBMITTED

    def test_feasible_with_a_cost_is_on_the_ballot(self, setup):
        round, official = setup
        found = services.idea_review(
            idea=idea(round),
            actor=official,
            feasible=True,
            cost=250_000,
            reason="Parkenheten kan bygga det i vår.",
        )
        assert found.status == IdeaStatus.FEASIBLE
        assert found.on_ballot
        assert found.reviewed_by == official
        assert AuditEntry.objects.filter(action="budget.idea_reviewed").exists()

    def test_over_the_whole_budget_is_refused_with_the_reason(self, setup):
        round, official = setup
        found = services.idea_review(
            idea=idea(round),
            actor=official,
            feasible=True,
            cost=round.amount + 1,
            reason="Kräver en ny byggnad.",
        )
        assert found.status == IdeaStatus.NOT_FEASIBLE
        assert "större än hela omgångens budget" in found.status_reason
        assert "Kräver en ny byggnad." in found.status_reason
        assert found.cost == round.amount + 1

    def test_not_feasible_needs_a_reason(self, setup):
        round, official = setup
        with pytest.raises(ValidationError) as refused:
            services.idea_review(idea=idea(round), actor=official, feasible=False, reason=" ")
        assert "reason" in refused.value.message_dict

    @pytest.mark.parametrize("role", [None, Role.CONTACT_CENTRE])
    def test_only_reviewers_may_review(self, setup, role):
        round, _ = setup
        actor = user_with_role(role) if role else CitizenFactory()
        with pytest.raises(PermissionDenied):
            services.idea_review(
                idea=idea(round), actor=actor, feasible=False, reason="Inte möjligt."
            )

    def test_not_after_the_review_phase(self):
        dialogue, people = budget_dialogue()
        round = budget_round(dialogue, people=people, phase=Phase.VOTING)
        with pytest.raises(ValidationError):
            services.idea_review(
                idea=idea(round), actor=people.official, feasible=False, reason="För sent."
            )


class TestBreach:
    def test_breach_needs_a_reason_and_is_shown_publicly(self, setup, client):
        round, official = setup
        found = idea(round)
        with pytest.raises(ValidationError):
            services.idea_mark_breach(idea=found, actor=official, reason="")
        services.idea_mark_breach(
            idea=found, actor=official, reason="Idén gäller ett område utanför Berga."
        )
        found.refresh_from_db()
        assert found.status == IdeaStatus.BREACHES
        page = client.get(found.get_absolute_url()).content.decode()
        assert "Uppfyller inte kriterierna" in page
        assert "Idén gäller ett område utanför Berga." in page

    def test_a_citizen_may_not_mark_a_breach(self, setup):
        round, _ = setup
        with pytest.raises(PermissionDenied):
            services.idea_mark_breach(
                idea=idea(round), actor=CitizenFactory(), reason="Jag tycker inte om den."
            )


class TestStaffPages:
    def test_list_shows_waiting_ideas_first(self, setup, client):
        round, official = setup
        idea(round, title="Redan granskad", status=IdeaStatus.NOT_FEASIBLE, status_reason="Nej.")
        idea(round, title="Väntar på svar")
        client.force_login(official)
        page = client.get(reverse("budget:staff_ideas", args=[round.pk])).content.decode()
        assert page.index("Väntar på svar") < page.index("Redan granskad")

    def test_the_staff_list_costs_the_same_queries_however_many_ideas(self, setup, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        round, official = setup
        target = idea(round)
        client.force_login(official)
        url = reverse("budget:staff_ideas", args=[round.pk])

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            return len(queries)

        few = count()
        for _ in range(6):
            idea(round, status=IdeaStatus.MERGED, merged_into=target)
        assert count() == few

    def test_citizen_is_refused_the_staff_pages(self, setup, client):
        round, _ = setup
        found = idea(round)
        client.force_login(CitizenFactory())
        assert client.get(reverse("budget:staff_ideas", args=[round.pk])).status_code == 403
        url = reverse("budget:staff_review", args=[round.pk, found.number])
        response = client.post(url, {"review-feasible": "nej", "review-reason": "Nej tack."})
        assert response.status_code == 403

    def test_review_form_feasible_without_cost_is_a_form_error(self, setup, client):
        round, official = setup
        found = idea(round)
        client.force_login(official)
        url = reverse("budget:staff_review", args=[round.pk, found.number])
        response = client.post(
            url, {"action": "granska", "review-feasible": "ja", "review-reason": "Bra idé."}
        )
        assert response.status_code == 400
        assert "kostnadsberäkning" in response.content.decode()
        response = client.post(
            url,
            {
                "action": "granska",
                "review-feasible": "ja",
                "review-cost": "5000000",
                "review-reason": "Bra idé.",
            },
            follow=True,
        )
        assert "större än hela omgångens budget" in response.content.decode()
        found.refresh_from_db()
        assert found.status == IdeaStatus.NOT_FEASIBLE

    def test_breach_form_marks_the_idea(self, setup, client):
        round, official = setup
        found = idea(round)
        client.force_login(official)
        response = client.post(
            reverse("budget:staff_review", args=[round.pk, found.number]),
            {
                "action": "kriterier",
                "breach-reason": "Idén är en driftkostnad, inte en investering.",
            },
            follow=True,
        )
        assert "uppfyller kriterierna" in response.content.decode()
        found.refresh_from_db()
        assert found.status == IdeaStatus.BREACHES

    def test_staff_round_context_counts_waiting_ideas(self, setup, rf):
        from django.template.loader import render_to_string

        from torget.budget.idea_views import staff_round_context

        round, official = setup
        idea(round)
        request = rf.get("/")
        request.user = official
        context = staff_round_context(request, round)
        assert context["ideas_waiting"] == 1
        html = render_to_string("budget/staff/_round_ideas.html", context | {"round": round})
        assert "1 idé väntar på granskning" in html


class TestCommentHide:
    def test_staff_hide_a_comment_with_a_reason_shown_instead(self, setup, client):
        round, official = setup
        found = idea(round)
        comment = Comment.objects.create(idea=found, shown_name="Troll", text="Elak text här")
        client.force_login(official)
        url = reverse("budget:staff_comment_hide", args=[round.pk, comment.pk])
        assert client.post(url, {"hide-reason": ""}).status_code == 400
        client.post(url, {"hide-reason": "Personangrepp"})
        comment.refresh_from_db()
        assert comment.hidden_at is not None
        client.logout()
        page = client.get(found.get_absolute_url()).content.decode()
        assert "Elak text här" not in page
        assert "Personangrepp" in page

    def test_a_citizen_may_not_hide(self, setup):
        round, _ = setup
        comment = Comment.objects.create(idea=idea(round), shown_name="A", text="Hej hej")
        with pytest.raises(PermissionDenied):
            services.comment_hide(comment=comment, actor=CitizenFactory(), reason="Tycker inte om")
