"""Who decides a dialogue (DOMAIN §3): a political initiative by the presidium that took it; a
citizen's initiative by KS presidium on the kommundirektör's proposal, after a dialogue with
the presidium concerned; the officials' initiative by KS presidium on the director's proposal.
The deciding presidium names the political process leader."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from torget.audit.models import AuditEntry
from torget.dialogues import services, workflow
from torget.dialogues.models import Dialogue, InitiativeKind, Status
from torget.dialogues.tests.factories import Cast, before_ks_decides, cast, initiative
from torget.organisation.models import BodyKind, MemberRole
from torget.organisation.tests.factories import (
    AdministrationFactory,
    BodyFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    return cast(BodyFactory(kind=BodyKind.EXECUTIVE, name="Kommunstyrelsen", abbreviation="KS"))


@pytest.fixture
def committee():
    return cast(BodyFactory(name="Samhällsbyggnadsnämnden", abbreviation="SBN"))


def citizen_request() -> Dialogue:
    return services.dialogue_request(
        title="Trygghet vid stationen",
        summary="Det känns otryggt på kvällarna.",
        requester_name="Sara",
        requester_email="sara@example.se",
    )


def officials_initiative(people: Cast, administration) -> Dialogue:
    return services.dialogue_initiate(
        actor=people.official,
        title="Framtidens bibliotek",
        summary="Vad ska biblioteket vara?",
        initiative_kind=InitiativeKind.OFFICIALS,
        administration=administration,
    )


def decision(people: Cast, body=None) -> dict:
    body = body or people.body
    return {
        "deciding_body": body,
        "decided_on": datetime.date(2026, 9, 1),
        "decision_reference": f"{body.abbreviation} 2026/12",
        "budget": 50000,
        "steering_group": "Presidiet och förvaltningschefen",
        "process_leader": people.leader,
        "supporting_official": people.official,
    }


def decide(dialogue: Dialogue, actor, people: Cast, body=None) -> Dialogue:
    return services.dialogue_step(
        dialogue=dialogue, step="decide", actor=actor, **decision(people, body)
    )


def refusals(dialogue: Dialogue, actor, people: Cast, body=None) -> str:
    with pytest.raises(workflow.TransitionRefused) as refused:
        decide(dialogue, actor, people, body)
    assert Dialogue.objects.get(pk=dialogue.pk).status == Status.INITIATIVE
    return " ".join(refused.value.messages)


class TestCitizenInitiative:
    def test_citizen_initiative_cannot_be_decided_before_director_proposal_and_consultation(
        self, ks, committee
    ):
        dialogue = citizen_request()
        refused = refusals(dialogue, ks.chair, ks)
        assert "kommundirektörens förslag" in refused and "samrådet" in refused

        services.director_proposal_record(
            dialogue=dialogue,
            actor=ks.official,
            proposed_on=datetime.date(2026, 8, 20),
            reference="KS 2026/77",  # the proposal as a document, without a text
        )
        refused = refusals(dialogue, ks.chair, ks)
        assert "kommundirektörens förslag" not in refused and "samrådet" in refused

        services.consultation_add(
            dialogue=dialogue,
            actor=ks.official,
            body=committee.body,
            held_on=datetime.date(2026, 8, 25),
            outcome="Nämndens presidium stöder en dialog.",
        )
        decide(dialogue, ks.chair, ks)
        assert Dialogue.objects.get(pk=dialogue.pk).status == Status.DECIDED

    def test_citizen_initiative_is_decided_by_ks_presidium_which_names_the_process_leader(
        self, ks, committee
    ):
        dialogue = before_ks_decides(citizen_request(), ks, consulted=committee.body)
        assert dialogue.responsible_body == ks.body
        # The presidium concerned is consulted; it does not decide.
        with pytest.raises(PermissionDenied):
            decide(dialogue, committee.chair, ks)
        # KS presidium decides as KS, not in another body's name.
        assert "kommunstyrelsen som beslutande organ" in refusals(
            dialogue, ks.chair, ks, body=committee.body
        )
        decide(dialogue, ks.chair, ks)
        dialogue.refresh_from_db()
        assert (dialogue.status, dialogue.deciding_body) == (Status.DECIDED, ks.body)
        assert dialogue.process_leader == ks.leader
        entry = AuditEntry.objects.get(action="dialogue.decide", object_id=str(dialogue.pk))
        assert entry.actor == ks.chair
        assert entry.changes["process_leader"][1] == str(ks.leader)

    def test_director_proposal_and_consultation_are_audited_and_only_recorded_before_the_decision(
        self, ks, committee
    ):
        dialogue = before_ks_decides(citizen_request(), ks, consulted=committee.body)
        actions = set(
            AuditEntry.objects.filter(object_id=str(dialogue.pk)).values_list("action", flat=True)
        )
        assert {"dialogue.director_proposal_recorded", "dialogue.consultation_recorded"} <= actions
        decide(dialogue, ks.chair, ks)
        with pytest.raises(services.DialogueError):
            services.consultation_add(
                dialogue=dialogue,
                actor=ks.official,
                body=committee.body,
                held_on=datetime.date(2026, 9, 2),
                outcome="För sent.",
            )
        with pytest.raises(services.DialogueError):
            services.director_proposal_record(
                dialogue=dialogue,
                actor=ks.official,
                proposed_on=datetime.date(2026, 9, 2),
                text="För sent.",
            )

    def test_director_proposal_needs_a_date_and_a_text_or_a_document(self, ks):
        dialogue = citizen_request()
        with pytest.raises(services.DialogueError) as refused:
            services.director_proposal_record(
                dialogue=dialogue, actor=ks.official, proposed_on=None, text=" "
            )
        assert set(refused.value.message_dict) == {"proposed_on", "text"}

    def test_the_decided_facts_are_shown_on_the_public_history(self, client, ks, committee):
        dialogue = before_ks_decides(
            citizen_request(), ks, consulted=committee.body, proposal="Internt utkast"
        )
        Dialogue.objects.filter(pk=dialogue.pk).update(director_proposal_reference="KS 2026/77")
        assert client.get(dialogue.get_absolute_url()).status_code == 404
        decide(dialogue, ks.chair, ks)
        page = client.get(dialogue.get_absolute_url()).content.decode()
        assert "Så beslutades dialogen" in page
        assert "Kommundirektörens förslag till kommunstyrelsens presidium" in page
        assert 'datetime="2026-08-20"' in page and "KS 2026/77" in page
        assert "Samråd med presidiet i Samhällsbyggnadsnämnden" in page
        assert 'datetime="2026-08-25"' in page and "Presidiet stöder en dialog i frågan." in page
        assert "Beslut i presidiet i Kommunstyrelsen" in page
        assert "Internt utkast" not in page


class TestOfficialsInitiative:
    def test_officials_initiative_is_decided_by_ks_presidium(self, ks, committee):
        administration = AdministrationFactory(body=committee.body)
        dialogue = before_ks_decides(officials_initiative(ks, administration), ks)
        assert dialogue.responsible_body == ks.body
        # Not the presidium of the förvaltning's own nämnd.
        with pytest.raises(PermissionDenied):
            decide(dialogue, committee.chair, committee)
        assert "kommunstyrelsen som beslutande organ" in refusals(
            dialogue, ks.chair, ks, body=committee.body
        )
        decide(dialogue, ks.chair, ks)
        dialogue.refresh_from_db()
        assert (dialogue.status, dialogue.deciding_body) == (Status.DECIDED, ks.body)
        assert dialogue.process_leader == ks.leader

    def test_officials_initiative_cannot_be_decided_before_the_director_proposal(self, ks):
        dialogue = officials_initiative(ks, AdministrationFactory())
        refused = refusals(dialogue, ks.chair, ks)
        assert "kommundirektörens förslag" in refused
        assert "samrådet" not in refused  # the consultation is for a citizen's initiative
        with pytest.raises(services.DialogueError):
            services.consultation_add(
                dialogue=dialogue,
                actor=ks.official,
                body=BodyFactory(),
                held_on=datetime.date(2026, 8, 25),
                outcome="x",
            )


class TestPoliticalInitiative:
    def test_political_initiative_is_decided_by_the_presidium_that_took_it(self, ks, committee):
        dialogue = initiative(committee)
        with pytest.raises(PermissionDenied):
            decide(dialogue, ks.chair, committee)
        assert "presidiet som tog initiativet" in refusals(
            dialogue, committee.chair, committee, body=ks.body
        )
        # No director's proposal or consultation: the presidium decides on its own initiative.
        decide(dialogue, committee.chair, committee)
        dialogue.refresh_from_db()
        assert (dialogue.deciding_body, dialogue.process_leader) == (
            committee.body,
            committee.leader,
        )

    def test_a_vice_chair_of_the_presidium_may_decide_a_member_may_not(self, committee):
        dialogue = initiative(committee)
        member = MembershipFactory(body=committee.body).person
        with pytest.raises(PermissionDenied):
            decide(dialogue, member, committee)
        vice = MembershipFactory(body=committee.body, role=MemberRole.FIRST_VICE_CHAIR).person
        decide(dialogue, vice, committee)
        assert Dialogue.objects.get(pk=dialogue.pk).status == Status.DECIDED


class TestStaffPages:
    def plan_url(self, dialogue, action):
        return reverse("dialogues:staff_plan", args=[dialogue.pk, action])

    def test_staff_record_the_director_proposal_and_the_consultation_on_the_dialogue_page(
        self, client, ks, committee
    ):
        dialogue = citizen_request()
        client.force_login(ks.official)
        page = client.get(dialogue.staff_url()).content.decode()
        assert "Detta saknas innan beslutet om dialogen kan registreras:" in page
        assert "Registrera kommundirektörens förslag" in page
        assert "Registrera ett samråd" in page

        response = client.post(self.plan_url(dialogue, "director-proposal"), {})
        assert response.status_code == 400
        response = client.post(
            self.plan_url(dialogue, "director-proposal"),
            {"proposal-proposed_on": "2026-08-20", "proposal-text": "KD föreslår en dialog."},
        )
        assert response.status_code == 302 and response["Location"].endswith("#fore-beslut")
        response = client.post(
            self.plan_url(dialogue, "add-consultation"),
            {
                "consultation-body": committee.body.pk,
                "consultation-held_on": "2026-08-25",
                "consultation-outcome": "Presidiet stöder en dialog.",
            },
        )
        assert response.status_code == 302
        page = client.get(dialogue.staff_url())
        html = page.content.decode()
        assert [str(m) for m in page.context["messages"]] == [
            "Kommundirektörens förslag är registrerat.",
            "Samrådet med presidiet i Samhällsbyggnadsnämnden är registrerat.",
        ]
        assert "Detta saknas innan beslutet om dialogen kan registreras:" not in html
        assert "KD föreslår en dialog." in html and "Presidiet stöder en dialog." in html
        assert "Kommundirektörens förslag registrerat" in html  # the audit log

    def test_a_political_initiative_offers_no_director_proposal_or_consultation(
        self, client, committee
    ):
        dialogue = initiative(committee)
        client.force_login(committee.official)
        page = client.get(dialogue.staff_url()).content.decode()
        assert "Registrera kommundirektörens förslag" not in page
        assert "Registrera ett samråd" not in page
        response = client.post(
            self.plan_url(dialogue, "director-proposal"),
            {"proposal-proposed_on": "2026-08-20", "proposal-text": "x"},
        )
        assert response.status_code == 400
        assert Dialogue.objects.get(pk=dialogue.pk).director_proposal == ""
