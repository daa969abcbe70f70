"""The staff pages under /personal/dialoger/: who gets in and who may take which step, the list,
registering an initiative, editing only what the status allows, every step through its form
(and the rule's own message when one is refused), the checklist of what is missing, and the
plan's target groups, methods and dates."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.dialogues import services
from torget.dialogues.models import (
    Dialogue,
    DialogueDate,
    InitiativeKind,
    Method,
    PlannedMethod,
    PlannedTargetGroup,
    Status,
    TargetGroup,
)
from torget.dialogues.tests.factories import (
    approved,
    cast,
    decide,
    decision_proposal_published,
    initiative,
    opened,
    plan,
    summary_published,
)
from torget.geo.tests.factories import AreaFactory
from torget.organisation.models import BodyKind
from torget.organisation.tests.factories import AdministrationFactory, BodyFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("dialogues:staff_index")
INITIATE = reverse("dialogues:staff_initiate")


@pytest.fixture
def people():
    return cast()


def detail_url(dialogue):
    return reverse("dialogues:staff_detail", args=[dialogue.pk])


def edit_url(dialogue):
    return reverse("dialogues:staff_edit", args=[dialogue.pk])


def step_url(dialogue, step):
    return reverse("dialogues:staff_step", args=[dialogue.pk, step])


def plan_url(dialogue, action):
    return reverse("dialogues:staff_plan", args=[dialogue.pk, action])


def prefixed(prefix, **data):
    return {f"{prefix}-{key}": value for key, value in data.items()}


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def text(response):
    return response.content.decode()


def status_of(dialogue):
    return Dialogue.objects.values_list("status", flat=True).get(pk=dialogue.pk)


def planning(people):
    dialogue = decide(initiative(people), people)
    services.dialogue_step(dialogue=dialogue, step="start_planning", actor=people.official)
    return dialogue


def decision_data(people, **overrides):
    data = {
        "deciding_body": people.body.pk,
        "decided_on": "2026-09-01",
        "decision_reference": "BUN 2026/12",
        "budget": "50000",
        "steering_group": "Nämndens presidium och förvaltningschefen",
        "process_leader": people.leader.pk,
        "supporting_official": people.official.pk,
        "text": "Nämnden vill höra barnen.",
    }
    return prefixed("decide", **(data | overrides))


# --- Who gets in -----------------------------------------------------------------------------


class TestAccess:
    def urls(self, dialogue):
        return [
            ("get", INDEX),
            ("get", INITIATE),
            ("get", detail_url(dialogue)),
            ("get", edit_url(dialogue)),
            ("post", step_url(dialogue, "decide")),
            ("post", plan_url(dialogue, "add-date")),
        ]

    def test_anonymous_visitors_are_sent_to_log_in(self, client, people):
        dialogue = initiative(people)
        for method, url in self.urls(dialogue):
            response = getattr(client, method)(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url

    def test_citizens_are_refused(self, client, people):
        dialogue = initiative(people)
        client.force_login(CitizenFactory())
        for method, url in self.urls(dialogue):
            assert getattr(client, method)(url).status_code == 403, url
        assert status_of(dialogue) == Status.INITIATIVE

    def test_an_official_sees_everything_and_may_register_initiatives(self, client, people):
        dialogue = initiative(people)
        client.force_login(people.official)
        for url in (INDEX, INITIATE, detail_url(dialogue), edit_url(dialogue)):
            assert client.get(url).status_code == 200, url
        assert reverse("dialogues:staff_index") in text(client.get(reverse("core:backoffice")))

    def test_an_elected_official_may_look_but_not_take_steps_or_edit(self, client, people):
        dialogue = initiative(people)
        elected = user_with_role(Role.ELECTED)
        client.force_login(elected)
        assert client.get(INDEX).status_code == 200
        page = client.get(detail_url(dialogue))
        assert page.status_code == 200
        assert page.context["step_forms"] == []
        assert "Du kan inte ta något steg i dialogen just nu." in text(page)
        assert "Registrera ett initiativ" not in text(client.get(INDEX))
        assert client.get(INITIATE).status_code == 403
        assert client.get(edit_url(dialogue)).status_code == 403
        assert client.post(step_url(dialogue, "decide"), decision_data(people)).status_code == 403
        assert client.post(plan_url(dialogue, "add-date"), {}).status_code == 403
        assert status_of(dialogue) == Status.INITIATIVE

    def test_an_official_cannot_decide_on_an_initiative(self, client, people):
        dialogue = initiative(people)
        client.force_login(people.official)
        assert "decide" not in [
            f["step"].name for f in client.get(detail_url(dialogue)).context["step_forms"]
        ]
        response = client.post(step_url(dialogue, "decide"), decision_data(people))
        assert response.status_code == 403
        assert status_of(dialogue) == Status.INITIATIVE

    def test_an_unknown_step_or_plan_action_is_not_found(self, client, people):
        dialogue = initiative(people)
        client.force_login(people.official)
        assert client.post(step_url(dialogue, "publish-everything")).status_code == 404
        assert client.post(step_url(dialogue, "approve_plan")).status_code == 404
        assert client.post(plan_url(dialogue, "add-everything")).status_code == 404
        assert client.get(step_url(dialogue, "decide")).status_code == 405


# --- The list --------------------------------------------------------------------------------


class TestIndex:
    def test_initiatives_waiting_for_a_decision_come_first_with_a_count(self, client, people):
        running = opened(people, title="Parken vid ån")
        waiting = initiative(people, title="Trafiken vid skolan")
        request = services.dialogue_request(
            title="Trygghet vid stationen",
            summary="Det känns otryggt.",
            requester_name="Sara",
            requester_email="sara@example.se",
        )
        client.force_login(people.official)
        response = client.get(INDEX)
        page = text(response)
        assert "2 initiativ och förslag väntar på beslut" in page
        first = response.context["visible"][0]
        assert first["section"].slug == "att-besluta"
        assert {d.pk for d in first["rows"]} == {waiting.pk, request.pk}
        assert page.index("Trafiken vid skolan") < page.index("Parken vid ån")
        assert running.title in page

    def test_filter_by_status_and_mine(self, client, people):
        running = opened(people, title="Parken vid ån")
        initiative(people, title="Trafiken vid skolan")
        other = cast()
        client.force_login(people.official)
        response = client.get(INDEX, {"visa": "pagar"})
        assert [d.pk for s in response.context["visible"] for d in s["rows"]] == [running.pk]
        assert "Trafiken vid skolan" not in text(response)

        client.force_login(other.official)
        mine = client.get(INDEX, {"visa": "mina"})
        assert mine.context["visible"] == []
        client.force_login(people.leader)
        mine = client.get(INDEX, {"visa": "mina"})
        assert [d.pk for s in mine.context["visible"] for d in s["rows"]] == [running.pk]

    def test_the_list_takes_the_same_number_of_queries_however_many_dialogues(self, client, people):
        client.force_login(people.official)
        opened(people)
        with CaptureQueriesContext(connection) as few:
            client.get(INDEX)
        for n in range(4):
            decide(initiative(people, title=f"Dialog {n}"), people)
        with CaptureQueriesContext(connection) as more:
            response = client.get(INDEX)
        assert response.context["total"] == 5
        assert len(more) == len(few)


# --- A new initiative ------------------------------------------------------------------------


class TestInitiate:
    def test_a_political_initiative(self, client, people):
        area = AreaFactory(name="Berga")
        client.force_login(people.official)
        response = client.post(
            INITIATE,
            {
                "initiative_kind": InitiativeKind.POLITICAL,
                "title": "Ny skolgård i Berga",
                "summary": "Hur ska skolgården se ut?",
                "initiating_body": people.body.pk,
                "areas": [area.pk],
            },
        )
        dialogue = Dialogue.objects.get()
        assert response.status_code == 302
        assert response["Location"] == detail_url(dialogue)
        assert dialogue.initiating_body == people.body
        assert dialogue.status == Status.INITIATIVE
        assert list(dialogue.areas.all()) == [area]
        page = client.get(response["Location"])
        assert messages_of(page)[0].startswith("Initiativet är registrerat.")
        assert "Dialogen visas inte publikt." in text(page)

    def test_an_officials_initiative_from_an_annual_plan(self, client, people):
        administration = AdministrationFactory()
        client.force_login(people.official)
        client.post(
            INITIATE,
            {
                "initiative_kind": InitiativeKind.OFFICIALS,
                "title": "Biblioteket i framtiden",
                "summary": "Vad ska biblioteket vara?",
                "initiating_body": people.body.pk,  # ignored for an officials' initiative
                "administration": administration.pk,
                "plan_year": "2027",
                "plan_priority": "1",
                "special_weight": "on",
            },
        )
        dialogue = Dialogue.objects.get()
        assert dialogue.initiative_kind == InitiativeKind.OFFICIALS
        assert (dialogue.administration, dialogue.initiating_body) == (administration, None)
        assert (dialogue.plan_year, dialogue.plan_priority, dialogue.special_weight) == (
            2027,
            1,
            True,
        )

    def test_a_political_initiative_needs_its_body(self, client, people):
        client.force_login(people.official)
        response = client.post(
            INITIATE,
            {"initiative_kind": InitiativeKind.POLITICAL, "title": "X", "summary": "Y"},
        )
        assert response.status_code == 400
        assert "Ange vilket organ initiativet kommer från." in text(response)
        assert not Dialogue.objects.exists()


# --- Editing ---------------------------------------------------------------------------------


class TestEdit:
    def test_an_initiative_offers_its_own_fields_and_ignores_others(self, client, people):
        dialogue = initiative(people)
        client.force_login(people.official)
        form = client.get(edit_url(dialogue)).context["form"]
        assert "title" in form.fields
        # The director's proposal has its own form, with its date (004 §2).
        assert "director_proposal" not in form.fields
        assert "feedback_plan" not in form.fields and "budget" not in form.fields
        response = client.post(
            edit_url(dialogue),
            {
                "title": "Ny skolgård i Berga skola",
                "summary": "Hur ska den se ut?",
                "feedback_plan": "Smugglad in",
                "budget": "999999",
            },
        )
        assert response.status_code == 302
        dialogue.refresh_from_db()
        assert dialogue.title == "Ny skolgård i Berga skola"
        assert (dialogue.feedback_plan, dialogue.budget) == ("", None)
        assert messages_of(client.get(detail_url(dialogue))) == ["Ändringarna är sparade."]

    def test_after_approval_only_how_to_take_part_and_the_end_date_change(self, client, people):
        dialogue = approved(people)
        question = dialogue.question
        client.force_login(people.official)
        form = client.get(edit_url(dialogue)).context["form"]
        assert set(form.fields) == {"how_to_take_part", "ends_on"}
        client.post(
            edit_url(dialogue),
            {
                "how_to_take_part": "Svara på enkäten senast 30 november.",
                "ends_on": "2026-12-15",
                "question": "En annan fråga",
            },
        )
        dialogue.refresh_from_db()
        assert dialogue.how_to_take_part == "Svara på enkäten senast 30 november."
        assert dialogue.ends_on == datetime.date(2026, 12, 15)
        assert dialogue.question == question

    def test_an_end_date_before_the_start_is_refused(self, client, people):
        dialogue = planning(people)
        client.force_login(people.official)
        response = client.post(
            edit_url(dialogue),
            {
                "title": dialogue.title,
                "summary": dialogue.summary,
                "starts_on": "2026-10-01",
                "ends_on": "2026-09-01",
            },
        )
        assert response.status_code == 400
        dialogue.refresh_from_db()
        assert dialogue.starts_on is None

    def test_the_plan_is_edited_with_the_ladder_explained(self, client, people):
        dialogue = planning(people)
        client.force_login(people.official)
        page = text(client.get(edit_url(dialogue)))
        assert "du kan resonera" in page
        client.post(
            edit_url(dialogue),
            {
                "title": dialogue.title,
                "summary": dialogue.summary,
                "ladder_step": "3",
                "feedback_plan": "Sammanfattning i januari.",
            },
        )
        dialogue.refresh_from_db()
        assert (dialogue.ladder_step, dialogue.feedback_plan) == (3, "Sammanfattning i januari.")


# --- Steps -----------------------------------------------------------------------------------


class TestSteps:
    def test_the_chair_decides_with_budget_steering_group_and_leaders(self, client, people):
        dialogue = initiative(people)
        client.force_login(people.chair)
        page = client.get(detail_url(dialogue))
        assert [f["step"].name for f in page.context["step_forms"]] == ["decide", "decline"]
        assert f'action="{step_url(dialogue, "decide")}"' in text(page)
        response = client.post(step_url(dialogue, "decide"), decision_data(people))
        assert response.status_code == 302
        dialogue.refresh_from_db()
        assert dialogue.status == Status.DECIDED
        assert (dialogue.budget, dialogue.process_leader) == (50000, people.leader)
        assert dialogue.events.last().text == "Nämnden vill höra barnen."
        assert messages_of(client.get(detail_url(dialogue))) == [
            "Klart: Besluta om dialog. Dialogen har nu status ”Beslutad”."
        ]

    def test_a_decision_without_a_budget_is_refused(self, client, people):
        dialogue = initiative(people)
        client.force_login(people.chair)
        response = client.post(step_url(dialogue, "decide"), decision_data(people, budget=""))
        assert response.status_code == 400
        assert "error-summary" in text(response)
        assert status_of(dialogue) == Status.INITIATIVE

    def test_the_process_leader_approves_the_plan(self, client, people):
        dialogue = plan(planning(people), people)
        client.force_login(people.leader)
        assert client.get(detail_url(dialogue)).context["missing"] == []
        response = client.post(step_url(dialogue, "approve-plan"), {})
        assert response.status_code == 302
        assert status_of(dialogue) == Status.PLAN_APPROVED

    def test_approval_is_refused_when_no_information_method_comes_first(self, client, people):
        dialogue = plan(planning(people), people, information_first=False)
        client.force_login(people.leader)
        page = text(client.get(detail_url(dialogue)))
        assert "Första metoden är inte en informationsmetod." in page
        response = client.post(step_url(dialogue, "approve-plan"), {})
        assert response.status_code == 400
        summary = text(response).split('class="error-summary"')[1].split("</ul>")[0]
        assert "Minst en metod från informationssteget ska alltid användas först" in summary
        assert status_of(dialogue) == Status.PLANNING

    def test_approval_is_refused_without_a_feedback_plan(self, client, people):
        dialogue = plan(planning(people), people)
        services.dialogue_update(dialogue=dialogue, actor=people.official, feedback_plan="")
        client.force_login(people.leader)
        response = client.post(step_url(dialogue, "approve-plan"), {})
        assert response.status_code == 400
        summary = text(response).split('class="error-summary"')[1].split("</ul>")[0]
        assert "återkopplingsplan" in summary
        assert status_of(dialogue) == Status.PLANNING

    def test_the_checklist_says_what_is_missing_before_approval(self, client, people):
        dialogue = planning(people)
        client.force_login(people.official)
        response = client.get(detail_url(dialogue))
        page = text(response)
        assert "Detta saknas innan planen kan godkännas:" in page
        assert "Planen behöver minst en målgrupp" in page
        assert "Planen behöver minst en metod." in page
        assert "Saknas: frågan, det här går att påverka, delaktighetssteg." in page
        # Filling it in removes the items one by one.
        plan(dialogue, people)
        assert client.get(detail_url(dialogue)).context["missing"] == []

    def test_a_decided_dialogue_already_shows_what_the_plan_needs(self, client, people):
        dialogue = decide(initiative(people), people)
        client.force_login(people.official)
        missing = client.get(detail_url(dialogue)).context["missing"]
        assert [item["step"].name for item in missing] == ["approve_plan"]

    def test_the_rest_of_the_process_through_the_pages(self, client, people):
        dialogue = approved(people)
        client.force_login(people.official)

        def take(step, **data):
            response = client.post(
                step_url(dialogue, step), prefixed(step.replace("-", "_"), **data)
            )
            assert response.status_code == 302, text(response)

        take("open")
        assert status_of(dialogue) == Status.OPEN
        take("compile")
        # The checklist asks for feedback point 3 before the decision is registered.
        missing = client.get(detail_url(dialogue)).context["missing"]
        assert [item["step"].name for item in missing] == ["record_decision"]
        assert "Detta saknas innan beslutet i frågan kan registreras:" in text(
            client.get(detail_url(dialogue))
        )
        decision_proposal_published(dialogue, people)  # 004 §9, feedback point 3
        assert client.get(detail_url(dialogue)).context["missing"] == []
        take(
            "record-decision",
            results_summary="120 deltagare.",
            outcome_decision="Skolgården får en klätterställning.",
            outcome_decided_on="2027-03-15",
        )
        summary_published(dialogue, people)  # 004 §9, feedback point 2
        take("give-feedback", feedback_text="Tack! Så här blev det.")
        take("evaluate", evaluation="Bra deltagande.")
        take("close")
        assert status_of(dialogue) == Status.CLOSED
        page = text(client.get(detail_url(dialogue)))
        assert "Skolgården får en klätterställning." in page
        assert "Registrera utvärderingen" in page  # in the history

    def test_record_decision_needs_its_fields(self, client, people):
        dialogue = opened(people)
        client.force_login(people.official)
        client.post(step_url(dialogue, "compile"), {})
        response = client.post(step_url(dialogue, "record-decision"), {})
        assert response.status_code == 400
        assert status_of(dialogue) == Status.COMPILING

    def test_cancelling_needs_a_reason(self, client, people):
        dialogue = approved(people)
        client.force_login(people.leader)
        assert client.post(step_url(dialogue, "cancel"), {}).status_code == 400
        response = client.post(
            step_url(dialogue, "cancel"), prefixed("cancel", end_reason="Regeringen avgör.")
        )
        assert response.status_code == 302
        assert status_of(dialogue) == Status.CANCELLED

    def test_a_step_taken_twice_says_the_dialogue_has_moved_on(self, client, people):
        dialogue = initiative(people)
        client.force_login(people.chair)
        client.post(step_url(dialogue, "decide"), decision_data(people))
        response = client.post(step_url(dialogue, "decide"), decision_data(people))
        assert response.status_code == 400
        assert "kan inte gå vidare med ”Besluta om dialog”" in text(response)

    def test_a_citizen_request_shows_the_requester_and_is_declined_by_ks_chair(self, client):
        ks = cast(BodyFactory(kind=BodyKind.EXECUTIVE, name="Kommunstyrelsen", abbreviation="KS"))
        dialogue = services.dialogue_request(
            title="Trygghet vid stationen",
            summary="Det känns otryggt på kvällarna.",
            requester_name="Sara Svensson",
            requester_email="sara@example.se",
        )
        services.director_proposal_record(
            dialogue=dialogue,
            actor=ks.official,
            proposed_on=datetime.date(2026, 8, 20),
            text="Föreslår avslag.",
        )
        client.force_login(ks.chair)
        page = text(client.get(detail_url(dialogue)))
        assert "Sara Svensson" in page and "mailto:sara@example.se" in page
        assert "Föreslår avslag." in page
        response = client.post(
            step_url(dialogue, "decline"), prefixed("decline", end_reason="Utreds redan.")
        )
        assert response.status_code == 302
        assert status_of(dialogue) == Status.DECLINED


# --- The plan --------------------------------------------------------------------------------


class TestPlan:
    def test_target_groups_from_the_checklist_and_written_in(self, client, people):
        dialogue = planning(people)
        client.force_login(people.official)
        children = TargetGroup.objects.get(code="barn")
        response = client.post(
            plan_url(dialogue, "add-target-group"),
            prefixed("tg", group=children.pk, effort="Workshops i skolan."),
        )
        assert response.status_code == 302
        assert response["Location"].endswith("#malgrupper")
        client.post(
            plan_url(dialogue, "add-target-group"),
            prefixed("tg", other="Föräldrar", effort="Brev hem."),
        )
        assert sorted(str(p) for p in dialogue.target_groups.all()) == ["Barn", "Föräldrar"]
        page = client.get(detail_url(dialogue))
        assert messages_of(page) == [
            "Målgruppen ”Barn” är med i planen.",
            "Målgruppen ”Föräldrar” är med i planen.",
        ]
        # Barn is planned: no longer offered, and marked in the checklist.
        form = page.context["target_group_form"]
        assert children not in form.fields["group"].queryset
        assert {"group": children, "planned": True} in page.context["checklist"]

        planned = dialogue.target_groups.get(other="Föräldrar")
        client.post(plan_url(dialogue, "remove-target-group"), {"item": planned.pk})
        assert not PlannedTargetGroup.objects.filter(pk=planned.pk).exists()

    def test_a_target_group_needs_a_group_or_a_name_and_an_effort(self, client, people):
        dialogue = planning(people)
        client.force_login(people.official)
        response = client.post(plan_url(dialogue, "add-target-group"), prefixed("tg", effort=""))
        assert response.status_code == 400
        assert "Välj en målgrupp i listan eller skriv en egen." in text(response)
        assert not dialogue.target_groups.exists()

    def test_methods_are_chosen_by_ladder_step_and_kept_in_order(self, client, people):
        dialogue = planning(people)
        client.force_login(people.official)
        page = text(client.get(detail_url(dialogue)))
        assert '<optgroup label="1. Information (veta)">' in page
        info = Method.objects.filter(ladder_step=1).first()
        meeting = Method.objects.get(code="dialogmote")
        client.post(
            plan_url(dialogue, "add-method"),
            prefixed("method", method=meeting.pk, starts_on="2026-10-10", note="I aulan."),
        )
        response = client.post(
            plan_url(dialogue, "add-method"), prefixed("method", method=info.pk, order="0")
        )
        assert response.status_code == 400  # order starts at 1
        client.post(plan_url(dialogue, "add-method"), prefixed("method", method=info.pk))
        assert [m.method for m in dialogue.methods.order_by("order")] == [meeting, info]
        page = client.get(detail_url(dialogue))
        assert "Första metoden är inte en informationsmetod." in text(page)

        first = dialogue.methods.get(method=meeting)
        client.post(plan_url(dialogue, "remove-method"), {"item": first.pk})
        assert not PlannedMethod.objects.filter(pk=first.pk).exists()
        assert "Första metoden är inte en informationsmetod." not in text(
            client.get(detail_url(dialogue))
        )

    def test_the_plan_is_closed_once_approved(self, client, people):
        dialogue = approved(people)
        client.force_login(people.official)
        page = client.get(detail_url(dialogue))
        assert page.context["target_group_form"] is None
        assert page.context["method_form"] is None
        planned = dialogue.target_groups.first()
        response = client.post(plan_url(dialogue, "remove-target-group"), {"item": planned.pk})
        assert response.status_code == 400
        assert "Planen kan bara ändras innan den är godkänd." in text(response)
        assert PlannedTargetGroup.objects.filter(pk=planned.pk).exists()

    def test_a_row_of_another_dialogue_cannot_be_removed(self, client, people):
        dialogue = planning(people)
        other = plan(planning(cast()), people)
        client.force_login(people.official)
        planned = other.target_groups.first()
        response = client.post(plan_url(dialogue, "remove-target-group"), {"item": planned.pk})
        assert response.status_code == 400
        assert PlannedTargetGroup.objects.filter(pk=planned.pk).exists()

    def test_dates_are_added_and_removed(self, client, people):
        dialogue = approved(people)
        area = AreaFactory(name="Berga")
        client.force_login(people.official)
        response = client.post(
            plan_url(dialogue, "add-date"),
            prefixed(
                "date",
                title="Informationsmöte",
                starts_at="2026-10-05T18:00",
                ends_at="2026-10-05T19:30",
                place="Berga skola, aulan",
                area=area.pk,
            ),
        )
        assert response.status_code == 302
        date = DialogueDate.objects.get()
        assert (date.title, date.area, date.dialogue) == ("Informationsmöte", area, dialogue)
        assert messages_of(client.get(detail_url(dialogue))) == [
            "Datumet ”Informationsmöte” är tillagt."
        ]
        assert AuditEntry.objects.filter(action="dialogue.date_added").exists()
        client.post(plan_url(dialogue, "remove-date"), {"item": date.pk})
        assert not DialogueDate.objects.exists()

    def test_a_date_that_ends_before_it_starts_is_refused(self, client, people):
        dialogue = approved(people)
        client.force_login(people.official)
        response = client.post(
            plan_url(dialogue, "add-date"),
            prefixed(
                "date", title="Möte", starts_at="2026-10-05T18:00", ends_at="2026-10-05T17:00"
            ),
        )
        assert response.status_code == 400
        assert "Slutet kan inte vara före början." in text(response)
        assert not DialogueDate.objects.exists()


# --- Accessibility ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["official", "leader", "chair"])
def test_pages_have_one_h1_unique_ids_and_labelled_fields(client, people, who):
    dialogue = planning(people)
    services.target_group_add(
        dialogue=dialogue, actor=people.official, other="Föräldrar", effort="Brev hem."
    )
    client.force_login(getattr(people, who))
    urls = [INDEX, detail_url(dialogue), edit_url(dialogue)]
    if who == "official":
        urls.append(INITIATE)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = text(response)
        assert page.count("<h1") == 1, url
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), (url, [i for i in ids if ids.count(i) > 1])
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
            if 'type="hidden"' in tag:
                continue
            field_id = re.search(r'\sid="([^"]+)"', tag)
            assert field_id, (url, tag)
            assert f'for="{field_id.group(1)}"' in page, (url, tag)
