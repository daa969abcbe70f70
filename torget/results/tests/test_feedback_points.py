"""The two dialogue-level feedback points (004 §9) and the workflow rules they guard."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from torget.dialogues import services as dialogues
from torget.dialogues import workflow
from torget.dialogues.models import Status
from torget.notifications.models import Notification, Subscription
from torget.results import services
from torget.results.models import Kind
from torget.results.tests.factories import item, meeting, register, to_decision_made, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def step(w, name, **values):
    return dialogues.dialogue_step(
        dialogue=w.dialogue, step=name, actor=w.people.official, **values
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

    def test_close_is_refused_before_the_decision_proposal_is_published(self, w):
        to_decision_made(w)
        publish_summary(w)
        step(w, "give_feedback", feedback_text="Tack")
        step(w, "evaluate", evaluation="Bra")
        with pytest.raises(workflow.TransitionRefused) as refused:
            step(w, "close")
        assert "Beslutsförslaget ska vara publicerat" in str(refused.value)
        publish_proposal(w)
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
        to_decision_made(w)
        publish_proposal(w)
        drain()
        notification = Notification.objects.get(template="results.decision_proposal")
        sent_to = set(notification.deliveries.values_list("to", flat=True))
        assert {"anna@example.se", citizen.email} <= sent_to
        assert notification.context["deciding_body"] == w.namnd.name
