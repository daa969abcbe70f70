"""The round's pages as people see them: the public list and hub, the staff list, set-up,
approval and steps, who gets which page, and bad input answered with the form's errors."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.budget import round_views
from torget.budget.models import BudgetRound, Phase, VotingRule
from torget.budget.tests.factories import budget_dialogue, budget_round, project
from torget.dialogues.models import LadderStep
from torget.notifications.models import Notification

DAY = datetime.timedelta(days=1)


@pytest.fixture
def w(db):
    return budget_dialogue()


def _round(w, phase, **values):
    return budget_round(w[0], people=w[1], phase=phase, **values)


def _form(**changes):
    today = timezone.localdate()
    data = {
        "title": "Medborgarbudget för Berga 2027",
        "description": "",
        "amount": "2000000",
        "criteria": "Idén ska gynna många.",
        "min_age": "13",
        "residence": "kommunen",
        "voting_rule": "budget",
        "votes_per_ballot": "",
        "counting_method": "girig",
        "ideas_open_on": (today + 10 * DAY).isoformat(),
        "ideas_close_on": (today + 40 * DAY).isoformat(),
        "review_ends_on": (today + 70 * DAY).isoformat(),
        "voting_opens_on": (today + 75 * DAY).isoformat(),
        "voting_closes_on": (today + 90 * DAY).isoformat(),
    }
    return data | changes


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


class TestPublicIndex:
    def test_empty_state_explains_what_a_citizen_budget_is(self, client, db):
        response = client.get("/medborgarbudget/")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert "Ingen medborgarbudget just nu" in html
        assert "bestämmer invånarna hur en del av kommunens pengar" in html

    def test_lists_approved_rounds_but_not_drafts(self, client, w):
        shown = _round(w, Phase.VOTING, title="Berga röstar")
        _round(w, Phase.DRAFT, title="Hemligt utkast")
        html = client.get("/medborgarbudget/").content.decode()
        assert "Berga röstar" in html
        assert "Hemligt utkast" not in html
        assert shown.get_absolute_url() in html
        assert "1\u00a0000\u00a0000\u00a0kr" in html
        assert "Omröstning till och med" in html


class TestPublicRound:
    def test_the_hub_shows_the_set_up_in_plain_words_and_the_phases(self, client, w):
        round = _round(
            w,
            Phase.VOTING,
            amount=2_500_000,
            voting_rule=VotingRule.APPROVAL,
            votes_per_ballot=3,
            min_age=13,
        )
        response = client.get(round.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert "2\u00a0500\u00a0000\u00a0kr" in html
        assert "fyllt 13 år och är folkbokförd i kommunen" in html
        assert "upp till 3 projekt" in html
        assert "Flest röster" not in html  # the method's explanation, not its name only
        assert "flest röster får pengar först" in html
        assert round.criteria in html
        assert "Hela kommunen" in html
        # Every phase on the timeline, the current one marked.
        timeline = html.split('data-testid="budget-timeline"')[1].split("</ol>")[0]
        for phase in list(Phase)[1:]:
            assert str(phase.label) in timeline
        current = re.findall(
            r'<li class="timeline__item" aria-current="step">\s*<h3[^>]*>([^<]+)', timeline
        )
        assert [c.strip() for c in current] == [str(Phase.VOTING.label)]
        assert reverse("notifications:follow", args=["medborgarbudget", round.pk]) in html

    def test_a_draft_does_not_exist_for_the_public(self, client, w):
        round = _round(w, Phase.DRAFT)
        assert client.get(round.get_absolute_url()).status_code == 404
        client.force_login(w[1].official)
        assert client.get(round.get_absolute_url()).status_code == 404

    def test_a_missing_round_is_404(self, client, db):
        assert client.get("/medborgarbudget/999999/").status_code == 404


class TestKronor:
    @pytest.mark.parametrize(
        ("amount", "text"),
        [
            (500, "500\u00a0kr"),
            (25_000, "25\u00a0000\u00a0kr"),
            (1_000_000, "1\u00a0000\u00a0000\u00a0kr"),
        ],
    )
    def test_swedish_thousands(self, amount, text):
        assert round_views.kronor(amount) == text


class TestStaffIndex:
    def test_staff_see_every_round(self, client, w):
        _round(w, Phase.DRAFT, title="Utkastet")
        client.force_login(user_with_role(Role.ELECTED))
        response = client.get(reverse("budget:staff_index"))
        assert response.status_code == 200
        assert "Utkastet" in response.content.decode()

    def test_a_citizen_is_refused_and_a_visitor_sent_to_log_in(self, client, w):
        url = reverse("budget:staff_index")
        assert client.get(url).status_code == 302
        client.force_login(CitizenFactory())
        assert client.get(url).status_code == 403


class TestStaffNew:
    def url(self, dialogue):
        return reverse("budget:staff_new") + f"?dialog={dialogue.pk}"

    def test_creates_a_draft_and_says_what_comes_next(self, client, w):
        dialogue, people = w
        client.force_login(people.official)
        assert client.get(self.url(dialogue)).status_code == 200
        response = client.post(self.url(dialogue), _form(), follow=True)
        round = BudgetRound.objects.get()
        assert response.redirect_chain[-1][0] == round.staff_url()
        assert round.phase == Phase.DRAFT and round.amount == 2_000_000
        assert any("presidiets godkännande" in m for m in _messages(response))

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"amount": "0"}, "amount"),
            ({"amount": "tio kronor"}, "amount"),
            ({"voting_rule": "godkannande"}, "votes_per_ballot"),
            ({"voting_closes_on": "2020-01-01"}, "voting_closes_on"),
            ({"ideas_open_on": "99999-01-01"}, "ideas_open_on"),
            ({"title": ""}, "title"),
            ({"areas": ["x"]}, "areas"),
            ({"counting_method": "<script>"}, "counting_method"),
        ],
    )
    def test_bad_input_gets_the_forms_errors_not_a_500(self, client, w, changes, field):
        dialogue, people = w
        client.force_login(people.official)
        response = client.post(self.url(dialogue), _form(**changes))
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert "error-summary" in response.content.decode()
        assert not BudgetRound.objects.exists()

    def test_a_dialogue_below_ladder_step_5_is_told_why(self, client, w):
        dialogue, people = w
        dialogue.ladder_step = LadderStep.DIALOGUE
        dialogue.save(update_fields=["ladder_step"])
        client.force_login(people.official)
        response = client.get(self.url(dialogue))
        assert response.status_code == 200
        assert "trappsteg 5" in response.content.decode()
        assert client.post(self.url(dialogue), _form()).status_code == 200
        assert not BudgetRound.objects.exists()

    def test_who_may(self, client, w):
        dialogue, _people = w
        client.force_login(user_with_role(Role.ELECTED))
        assert client.get(self.url(dialogue)).status_code == 403
        client.force_login(CitizenFactory())
        assert client.post(self.url(dialogue), _form()).status_code == 403
        assert not BudgetRound.objects.exists()

    @pytest.mark.parametrize("query", ["", "?dialog=x", "?dialog=999999"])
    def test_without_a_dialogue_it_is_404(self, client, w, query):
        client.force_login(w[1].official)
        assert client.get(reverse("budget:staff_new") + query).status_code == 404


class TestStaffRound:
    def test_a_manager_sees_the_steps_the_log_and_why_a_step_waits(self, client, w):
        round = _round(w, Phase.REVIEW)
        client.force_login(w[1].official)
        response = client.get(round.staff_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert 'data-testid="budget-step-open_voting"' in html
        assert "Det finns inga genomförbara projekt" in html
        # Refused now: no button to press.
        assert reverse("budget:staff_step", args=[round.pk, "open_voting"]) not in html

    def test_a_step_that_may_be_taken_has_its_button_with_csrf(self, client, w):
        round = _round(w, Phase.IDEAS)
        client.force_login(w[1].official)
        html = client.get(round.staff_url()).content.decode()
        action = reverse("budget:staff_step", args=[round.pk, "start_review"])
        form = html.split(f'action="{action}"')[1].split("</form>")[0]
        assert "csrfmiddlewaretoken" in form

    def test_a_reader_sees_the_round_but_no_steps(self, client, w):
        round = _round(w, Phase.IDEAS)
        client.force_login(user_with_role(Role.ELECTED))
        response = client.get(round.staff_url())
        assert response.status_code == 200
        assert "budget-step-" not in response.content.decode()

    def test_a_citizen_is_refused(self, client, w):
        round = _round(w, Phase.IDEAS)
        client.force_login(CitizenFactory())
        assert client.get(round.staff_url()).status_code == 403

    def test_the_log_shows_each_step(self, client, w):
        round = _round(w, Phase.IDEAS)
        client.force_login(w[1].official)
        client.post(reverse("budget:staff_step", args=[round.pk, "start_review"]))
        html = client.get(round.staff_url()).content.decode()
        assert "Idéinlämningen stängdes och granskningen började" in html


class TestStaffStep:
    def url(self, round, step):
        return reverse("budget:staff_step", args=[round.pk, step])

    def test_a_step_moves_the_round_with_a_message_and_a_notice(self, client, w):
        round = _round(w, Phase.APPROVED)
        client.force_login(w[1].official)
        response = client.post(self.url(round, "open_ideas"), follow=True)
        assert response.redirect_chain[-1][0] == round.staff_url()
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.IDEAS
        assert any("tar emot idéer" in m for m in _messages(response))
        assert AuditEntry.objects.filter(action="budget.open_ideas").count() == 1
        assert Notification.objects.filter(template="budget.phase").count() == 1

    def test_a_refused_step_shows_why_never_a_500(self, client, w):
        round = _round(w, Phase.REVIEW)
        client.force_login(w[1].official)
        response = client.post(self.url(round, "open_voting"), follow=True)
        assert response.status_code == 200
        assert any("inga genomförbara projekt" in m for m in _messages(response))
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.REVIEW

    def test_a_step_from_the_wrong_phase_shows_why(self, client, w):
        round = _round(w, Phase.IDEAS)
        client.force_login(w[1].official)
        response = client.post(self.url(round, "finish"), follow=True)
        assert any("fasen idéer tas emot" in m for m in _messages(response))

    def test_voting_opens_once_every_idea_is_reviewed(self, client, w):
        round = _round(w, Phase.REVIEW)
        project(round, cost=50_000)
        client.force_login(w[1].official)
        client.post(self.url(round, "open_voting"))
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.VOTING

    @pytest.mark.parametrize(
        ("step", "name"),
        [
            ("publish_result", "budget:staff_count"),
            ("record_decision", "budget:staff_decision"),
            ("approve", "budget:staff_approve"),
        ],
    )
    def test_steps_with_their_own_page_lead_there(self, client, w, step, name):
        round = _round(w, Phase.COUNTING)
        client.force_login(w[1].official)
        response = client.post(self.url(round, step))
        assert response.status_code == 302
        assert response["Location"] == reverse(name, args=[round.pk])
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.COUNTING

    def test_an_unknown_step_is_404_and_get_is_405(self, client, w):
        round = _round(w, Phase.IDEAS)
        client.force_login(w[1].official)
        assert client.post(self.url(round, "hoppa")).status_code == 404
        assert client.get(self.url(round, "start_review")).status_code == 405

    @pytest.mark.parametrize("who", ["citizen", "elected"])
    def test_refused_to_those_who_do_not_work_with_the_dialogue(self, client, w, who):
        round = _round(w, Phase.IDEAS)
        client.force_login(CitizenFactory() if who == "citizen" else user_with_role(Role.ELECTED))
        assert client.post(self.url(round, "start_review")).status_code == 403
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.IDEAS


class TestStaffEditAndApprove:
    def test_a_draft_is_edited(self, client, w):
        round = _round(w, Phase.DRAFT)
        client.force_login(w[1].official)
        url = reverse("budget:staff_edit", args=[round.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, _form(amount="750000"), follow=True)
        assert BudgetRound.objects.get(pk=round.pk).amount == 750_000
        assert "Upplägget är ändrat." in _messages(response)
        assert AuditEntry.objects.filter(action="budget.updated").exists()

    def test_bad_input_on_edit_is_400(self, client, w):
        round = _round(w, Phase.DRAFT)
        client.force_login(w[1].official)
        response = client.post(reverse("budget:staff_edit", args=[round.pk]), _form(amount="-5"))
        assert response.status_code == 400

    def test_an_approved_round_is_not_edited(self, client, w):
        round = _round(w, Phase.APPROVED)
        client.force_login(w[1].official)
        response = client.get(reverse("budget:staff_edit", args=[round.pk]), follow=True)
        assert response.redirect_chain[-1][0] == round.staff_url()
        assert any("kan inte ändras" in m for m in _messages(response))

    def test_the_approval_makes_the_round_public(self, client, w):
        dialogue, people = w
        round = _round(w, Phase.DRAFT)
        client.force_login(people.official)
        url = reverse("budget:staff_approve", args=[round.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "body": people.body.pk,
                "names": "Ordförande och vice ordförande",
                "approved_on": timezone.localdate().isoformat(),
                "reference": "KS 2027/3",
            },
            follow=True,
        )
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.APPROVED
        assert any("godkännande är registrerat" in m for m in _messages(response))
        client.logout()
        assert client.get(round.get_absolute_url()).status_code == 200

    def test_a_future_approval_date_is_a_form_error(self, client, w):
        round = _round(w, Phase.DRAFT)
        client.force_login(w[1].official)
        response = client.post(
            reverse("budget:staff_approve", args=[round.pk]),
            {
                "body": w[1].body.pk,
                "names": "Presidiet",
                "approved_on": (timezone.localdate() + DAY).isoformat(),
            },
        )
        assert response.status_code == 400
        assert "approved_on" in response.context["form"].errors
        assert BudgetRound.objects.get(pk=round.pk).phase == Phase.DRAFT

    def test_the_approval_form_is_refused_to_readers(self, client, w):
        round = _round(w, Phase.DRAFT)
        client.force_login(user_with_role(Role.ELECTED))
        assert client.get(reverse("budget:staff_approve", args=[round.pk])).status_code == 403


class TestSections:
    def test_the_dialogues_public_page_lists_its_public_rounds(self, client, w):
        dialogue, _people = w
        _round(w, Phase.IDEAS, title="Berga tar emot idéer")
        _round(w, Phase.DRAFT, title="Hemligt utkast")
        html = client.get(dialogue.get_absolute_url()).content.decode()
        assert "Berga tar emot idéer" in html
        assert "Hemligt utkast" not in html

    def test_the_dialogues_staff_page_offers_a_new_round_to_those_who_work_with_it(self, client, w):
        dialogue, people = w
        _round(w, Phase.DRAFT, title="Utkastet")
        staff_page = reverse("dialogues:staff_detail", args=[dialogue.pk])
        new = reverse("budget:staff_new") + f"?dialog={dialogue.pk}"
        client.force_login(people.official)
        html = client.get(staff_page).content.decode()
        assert "Utkastet" in html and new in html
        client.force_login(user_with_role(Role.ELECTED))
        html = client.get(staff_page).content.decode()
        assert "Utkastet" in html and new not in html


class TestQueryCounts:
    def test_the_public_list_costs_the_same_for_one_round_or_many(
        self, client, w, django_assert_max_num_queries
    ):
        _round(w, Phase.IDEAS)
        with CaptureQueriesContext(connection) as one:
            client.get("/medborgarbudget/")
        for phase in (Phase.VOTING, Phase.RESULT, Phase.APPROVED):
            _round(w, phase)
        with django_assert_max_num_queries(len(one.captured_queries)):
            response = client.get("/medborgarbudget/")
        assert response.content.decode().count('class="card"') == 4
