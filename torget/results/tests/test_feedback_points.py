"""The two dialogue-level feedback points (004 §9) and the workflow rules they guard: the
summary before feedback is given, the decision proposal before the decision is registered."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from torget.audit.models import AuditEntry
from torget.dialogues import services as dialogues
from torget.dialogues import workflow
from torget.dialogues.models import Status
from torget.notifications.models import Notification, Subscription
from torget.results import selectors, services
from torget.results.models import FeedbackPoint, Kind
from torget.results.tests.factories import (
    item,
    meeting,
    register,
    to_compiling,
    to_decision_made,
    world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def step(w, name, **values):
    return dialogues.dialogue_step(
        dialogue=w.dialogue, step=name, actor=w.people.official, **values
    )


def record_decision(w):
    return step(
        w,
        "record_decision",
        results_summary="120 deltagare.",
        outcome_decision="Nämnden beslutade om en ny skolgård.",
        outcome_decided_on=datetime.date(2027, 3, 15),
    )


def publish_summary(w):
    return services.summary_publish(dialogue=w.dialogue, actor=w.people.official, text="Tack!")


def publish_proposal(w):
    return services.decision_proposal_publish(
        dialogue=w.dialogue,
        actor=w.people.official,
        text="Förvaltningen föreslår en ny skolgård.",
        deciding_body=w.namnd,
        expected_on=datetime.date(2027, 3, 15),
    )


class TestWorkflowRules:
    def test_feedback_is_refused_before_the_summary_is_published(self, w):
        to_decision_made(w)
        with pytest.raises(workflow.TransitionRefused) as refused:
            step(w, "give_feedback", feedback_text="Tack")
        assert "Sammanställningen av resultaten ska vara publicerad" in str(refused.value)
        publish_summary(w)
        step(w, "give_feedback", feedback_text="Tack")
        w.dialogue.refresh_from_db()
        assert w.dialogue.status == Status.FEEDBACK_GIVEN

    def test_decision_checklist_requires_point_three_or_a_skip_reason(self, w):
        to_compiling(w)
        with pytest.raises(workflow.TransitionRefused) as refused:
            record_decision(w)
        assert "Beslutsförslaget ska publiceras och skickas till deltagarna innan beslutet" in str(
            refused.value
        )
        # The staff page's checklist asks for it before the decision step.
        missing = workflow.added_rules_broken(workflow.STEPS["record_decision"], w.dialogue)
        assert len(missing) == 1 and "Beslutsförslaget ska publiceras" in missing[0]
        with pytest.raises(services.ResultError) as no_reason:
            services.decision_proposal_skip(
                dialogue=w.dialogue, actor=w.people.official, reason=" "
            )
        assert "Skriv varför" in str(no_reason.value)
        services.decision_proposal_skip(
            dialogue=w.dialogue,
            actor=w.people.official,
            reason="Nämnden tog upp ärendet på ett extra sammanträde med två dagars varsel.",
        )
        assert AuditEntry.objects.filter(
            action="result.decision_proposal_skipped", object_id=str(w.dialogue.pk)
        ).exists()
        record_decision(w)
        w.dialogue.refresh_from_db()
        assert w.dialogue.status == Status.DECISION_MADE
        assert selectors.decision_proposal_state(w.dialogue) == selectors.PointState.SKIPPED

    def test_the_decision_is_registered_once_point_three_is_published(self, w):
        to_compiling(w)
        publish_proposal(w)
        assert workflow.added_rules_broken(workflow.STEPS["record_decision"], w.dialogue) == []
        record_decision(w)
        w.dialogue.refresh_from_db()
        assert w.dialogue.status == Status.DECISION_MADE

    def test_point_three_is_refused_after_the_decision(self, w, client):
        to_compiling(w)
        services.decision_proposal_skip(
            dialogue=w.dialogue, actor=w.people.official, reason="Extra sammanträde."
        )
        record_decision(w)
        with pytest.raises(services.ResultError) as refused:
            publish_proposal(w)
        message = str(refused.value)
        assert "Beslutet i frågan är redan registrerat (2027-03-15)" in message
        assert "innan beslutet fattas" in message
        assert not FeedbackPoint.objects.filter(dialogue=w.dialogue).exists()
        # The page says the same, and the checklist shows the point as missed.
        client.force_login(w.people.official)
        url = f"/personal/dialoger/{w.dialogue.pk}/beslutsforslag/"
        response = client.post(
            url,
            {"text": "För sent", "deciding_body": w.namnd.pk, "expected_on": "2027-03-15"},
        )
        assert response.status_code == 400
        assert "Beslutet i frågan är redan registrerat" in response.content.decode()
        page = client.get(f"/personal/dialoger/{w.dialogue.pk}/").content.decode()
        assert "Missad" in page and "Extra sammanträde." in page
        assert url not in page  # no link to publish it any more

    def test_point_three_is_shown_missed_when_the_decision_came_without_it(self, w, client):
        to_decision_made(w)
        FeedbackPoint.objects.filter(dialogue=w.dialogue).delete()  # as recorded before the rule
        assert selectors.decision_proposal_state(w.dialogue) == selectors.PointState.MISSED
        client.force_login(w.people.official)
        page = client.get(f"/personal/dialoger/{w.dialogue.pk}/").content.decode()
        assert "Missad" in page and "Det kan inte skickas i efterhand." in page

    def test_closing_no_longer_waits_for_point_three(self, w):
        to_decision_made(w)
        publish_summary(w)
        step(w, "give_feedback", feedback_text="Tack")
        step(w, "evaluate", evaluation="Bra")
        step(w, "close")
        w.dialogue.refresh_from_db()
        assert w.dialogue.status == Status.CLOSED

    def test_the_summary_is_published_once_and_not_while_the_dialogue_is_open(self, w):
        with pytest.raises(services.ResultError):
            publish_summary(w)
        to_decision_made(w)
        publish_summary(w)
        with pytest.raises(services.ResultError) as refused:
            publish_summary(w)
        assert "redan publicerad" in str(refused.value)


class TestSending:
    def test_summary_goes_to_registered_participants_and_followers(self, w, citizen, drain):
        at = meeting(w.dialogue)
        register(at, "anna@example.se")
        second = meeting(w.dialogue, title="Andra mötet")
        register(second, "anna@example.se")  # at two meetings: one e-mail
        register(second, "bo@example.se")
        register(at, "cecilia@example.se", status="avanmald")
        Subscription.objects.create(
            user=citizen,
            target_type=ContentType.objects.get_for_model(w.dialogue),
            target_id=w.dialogue.pk,
            confirmed_at=timezone.now(),
        )
        item(w, Kind.SIMPLE, title="Soptunnorna")
        item(w, Kind.COMMITTEE, title="Ny förskola")
        to_decision_made(w)
        point = publish_summary(w)
        assert point.recipients == 2
        assert point.counts == {"partipolitisk": 0, "namnd": 1, "enkel": 1, "forslag": 0}
        drain()
        notification = Notification.objects.get(template="results.summary")
        sent_to = set(notification.deliveries.values_list("to", flat=True))
        assert {"anna@example.se", "bo@example.se", citizen.email} <= sent_to
        assert "cecilia@example.se" not in sent_to

    def test_decision_proposal_goes_to_the_same_people(self, w, citizen, drain):
        register(meeting(w.dialogue), "anna@example.se")
        Subscription.objects.create(
            user=citizen,
            target_type=ContentType.objects.get_for_model(w.dialogue),
            target_id=w.dialogue.pk,
            confirmed_at=timezone.now(),
        )
        to_compiling(w)
        publish_proposal(w)
        drain()
        notification = Notification.objects.get(template="results.decision_proposal")
        sent_to = set(notification.deliveries.values_list("to", flat=True))
        assert {"anna@example.se", citizen.email} <= sent_to
        assert notification.context["deciding_body"] == w.namnd.name
