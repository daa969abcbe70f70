"""Methods that need a decision before they are used (seed 004 §5, DOMAIN §3): focus groups
(8–12 participants; KS decides a standing group and its rules for selection, the
kommundirektör the rules for a group on one question) and social lighthouses (the responsible
presidium decides, the förvaltning head picks the staff). The rules read the method's data."""

import datetime

import pytest
from django.urls import reverse

from torget.audit.models import AuditEntry
from torget.dialogues import services, workflow
from torget.dialogues.catalogue import FOCUS_GROUP, LIGHTHOUSES
from torget.dialogues.models import FocusGroupKind, Method, MethodDecision, PlannedMethod, Status
from torget.dialogues.tests.factories import cast, decide, initiative, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def planned_with(people, code: str):
    dialogue = plan(decide(initiative(people), people), people)
    planned = services.method_add(
        dialogue=dialogue, actor=people.official, method=Method.objects.get(code=code)
    )
    return dialogue, planned


def approve(dialogue, people):
    return services.dialogue_step(dialogue=dialogue, step="approve_plan", actor=people.leader)


def test_focus_group_size_8_to_12_is_data_on_the_method(people):
    plan(decide(initiative(people), people), people)  # loads the catalogue
    focus_group = Method.objects.get(code=FOCUS_GROUP)
    assert (focus_group.min_participants, focus_group.max_participants) == (8, 12)
    assert focus_group.decision == MethodDecision.FOCUS_GROUP
    assert Method.objects.get(code=LIGHTHOUSES).decision == MethodDecision.LIGHTHOUSES


class TestFocusGroups:
    def test_plan_with_a_focus_group_cannot_be_approved_before_its_selection_rules_are_decided(
        self, people
    ):
        dialogue, planned = planned_with(people, FOCUS_GROUP)
        with pytest.raises(workflow.TransitionRefused) as refused:
            approve(dialogue, people)
        assert "regler för urval" in str(refused.value)
        services.method_decision_record(
            planned=planned,
            actor=people.official,
            focus_group_kind=FocusGroupKind.ONE_QUESTION,
            decided_on=datetime.date(2026, 9, 10),
            selection_rules="Tio slumpvis utvalda bland de anmälda.",
        )
        assert approve(dialogue, people).status == Status.PLAN_APPROVED

    def test_standing_focus_group_is_decided_by_ks_and_one_question_group_by_the_director(
        self, people
    ):
        _dialogue, planned = planned_with(people, FOCUS_GROUP)
        for kind, who in (
            (FocusGroupKind.STANDING, "Kommunstyrelsen"),
            (FocusGroupKind.ONE_QUESTION, "Kommundirektören"),
        ):
            services.method_decision_record(
                planned=planned,
                actor=people.official,
                focus_group_kind=kind,
                decided_on=datetime.date(2026, 9, 10),
                decision_reference="KS 2026/40",
                selection_rules="Åtta till tolv deltagare, spridda i ålder.",
            )
            planned.refresh_from_db()
            assert planned.decided_by() == who
        entry = (
            AuditEntry.objects.filter(action="dialogue.method_decision_recorded")
            .order_by("pk")
            .last()
        )
        assert entry.changes["decided_by"] == "Kommundirektören"

    def test_a_focus_group_decision_needs_its_kind_date_and_selection_rules(self, people):
        _dialogue, planned = planned_with(people, FOCUS_GROUP)
        with pytest.raises(services.DialogueError) as refused:
            services.method_decision_record(planned=planned, actor=people.official, decided_on=None)
        assert set(refused.value.message_dict) == {
            "focus_group_kind",
            "selection_rules",
            "decided_on",
        }

    def test_the_focus_group_rule_reads_the_methods_data_not_its_name(self, people):
        dialogue, planned = planned_with(people, FOCUS_GROUP)
        Method.objects.filter(code=FOCUS_GROUP).update(name="Samtalsgrupp")
        with pytest.raises(workflow.TransitionRefused):
            approve(dialogue, people)
        # A method without the decision data needs no decision, whatever it is called.
        Method.objects.filter(code=FOCUS_GROUP).update(decision="")
        assert approve(dialogue, people).status == Status.PLAN_APPROVED


class TestSocialLighthouses:
    def test_social_lighthouses_need_the_presidium_decision_and_the_staff_the_head_chose(
        self, people
    ):
        dialogue, planned = planned_with(people, LIGHTHOUSES)
        with pytest.raises(workflow.TransitionRefused) as refused:
            approve(dialogue, people)
        assert "förvaltningschefen" in str(refused.value)
        with pytest.raises(services.DialogueError) as missing:
            services.method_decision_record(
                planned=planned, actor=people.official, decided_on=datetime.date(2026, 9, 5)
            )
        assert set(missing.value.message_dict) == {"staff_chosen_by", "staff_members"}
        services.method_decision_record(
            planned=planned,
            actor=people.official,
            decided_on=datetime.date(2026, 9, 5),
            staff_chosen_by="Kultur- och fritidschefen",
            staff_members="Bibliotekarien och två fritidsledare.",
        )
        planned.refresh_from_db()
        # The responsible presidium: the body that decided the dialogue.
        assert planned.decided_by() == f"Presidiet i {people.body.name}"
        assert approve(dialogue, people).status == Status.PLAN_APPROVED

    def test_a_method_without_a_decision_refuses_one(self, people):
        _dialogue, planned = planned_with(people, "enkat")
        with pytest.raises(services.DialogueError):
            services.method_decision_record(
                planned=planned, actor=people.official, decided_on=datetime.date(2026, 9, 5)
            )


class TestShownOnTheDialogue:
    def test_who_decided_and_the_rules_are_recorded_on_the_staff_page_and_shown_publicly(
        self, client, people
    ):
        dialogue, focus = planned_with(people, FOCUS_GROUP)
        lighthouses = services.method_add(
            dialogue=dialogue, actor=people.official, method=Method.objects.get(code=LIGHTHOUSES)
        )
        client.force_login(people.official)
        page = client.get(dialogue.staff_url()).content.decode()
        assert "Beslut saknas" in page
        # One form per method, each with ids of its own.
        assert f'id="id_decision{focus.pk}_decision-decided_on"' in page
        assert f'id="id_decision{lighthouses.pk}_decision-decided_on"' in page
        url = reverse("dialogues:staff_plan", args=[dialogue.pk, "method-decision"])
        response = client.post(url, {"decision-item": focus.pk, "decision-decided_on": "x"})
        assert response.status_code == 400
        response = client.post(
            url,
            {
                "decision-item": focus.pk,
                "decision-focus_group_kind": FocusGroupKind.STANDING,
                "decision-decided_on": "2026-09-10",
                "decision-decision_reference": "KS 2026/40",
                "decision-selection_rules": "Slumpvis urval ur folkbokföringen.",
            },
        )
        assert response.status_code == 302
        client.post(
            url,
            {
                "decision-item": lighthouses.pk,
                "decision-decided_on": "2026-09-05",
                "decision-staff_chosen_by": "Kultur- och fritidschefen",
                "decision-staff_members": "Bibliotekarien i Ryd.",
            },
        )
        recorded = {p.pk: p for p in PlannedMethod.objects.filter(dialogue=dialogue)}
        assert recorded[focus.pk].decision_recorded and recorded[lighthouses.pk].decision_recorded
        approve(dialogue, people)
        public = client.get(dialogue.get_absolute_url()).content.decode()
        for shown in (
            "Kommunstyrelsen",
            "KS 2026/40",
            "Slumpvis urval ur folkbokföringen.",
            f"Presidiet i {people.body.name}",
            "Kultur- och fritidschefen",
            "Bibliotekarien i Ryd.",
        ):
            assert shown in public, shown
