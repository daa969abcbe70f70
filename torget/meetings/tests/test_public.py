"""The public meeting pages: what citizens see, register for, and ask."""

import pytest
from django.urls import reverse

from torget.dialogues.tests.factories import cast, initiative
from torget.meetings import selectors, services
from torget.meetings.models import Registration, RegistrationStatus
from torget.meetings.tests.factories import meeting_for, published, start_in_the_past
from torget.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def text(response):
    return response.content.decode()


def detail(meeting):
    return reverse("meetings:detail", kwargs={"pk": meeting.pk})


def register_url(meeting):
    return reverse("meetings:register", kwargs={"pk": meeting.pk})


def registration_data(name="Anna Berg", email="anna@example.se", **extra):
    return {"anmalan-name": name, "anmalan-email": email, **extra}


class TestVisibility:
    def test_a_draft_meeting_is_not_found(self, client, people):
        assert client.get(detail(meeting_for(people))).status_code == 404

    def test_a_meeting_of_a_dialogue_that_is_not_public_is_not_found(self, client, people):
        meeting = published(people, dialogue=initiative(people))
        assert client.get(detail(meeting)).status_code == 404

    def test_a_published_meeting_shows_what_people_need_to_come(self, client, people):
        meeting = published(
            people,
            accessibility="Hörslinga och rullstolsplatser.",
            politician=people.leader,
            official=people.official,
        )
        response = client.get(detail(meeting))
        page = text(response)
        assert response.status_code == 200
        for shown in (
            "Dialogmöte om skolgården",
            "Samla idéer om skolgården.",
            "Bergaskolans matsal, Skolvägen 4",
            "Hörslinga och rullstolsplatser.",
            "Era frågor",
            "30 av 90 minuter (33 %) är till för invånarnas frågor",
        ):
            assert shown in page, shown
        assert "no-store" in response["Cache-Control"]

    def test_the_dialogue_page_lists_its_public_meetings_but_not_drafts(self, client, people):
        meeting = published(people, capacity=10)
        draft = meeting_for(people, dialogue=meeting.dialogue, title="Hemligt utkast")
        page = text(client.get(meeting.dialogue.get_absolute_url()))
        assert "Möten" in page and detail(meeting) in page
        assert "10 platser kvar" in page
        assert draft.title not in page and detail(draft) not in page

    def test_a_cancelled_meeting_says_so(self, client, people):
        meeting = published(people)
        services.meeting_cancel(meeting=meeting, actor=people.official, reason="Sjukdom.")
        page = text(client.get(detail(meeting)))
        assert "Mötet är inställt." in page and "Sjukdom." in page
        assert "Skicka frågan" not in page


class TestRegistration:
    def test_registering_gives_a_confirmation_page_and_an_email(self, client, people):
        meeting = published(people, capacity=10)
        assert "Anmäl mig" in text(client.get(detail(meeting)))
        response = client.post(register_url(meeting), registration_data(), follow=True)
        registration = Registration.objects.get()
        assert response.redirect_chain[-1][0] == reverse(
            "meetings:registration", kwargs={"token": registration.token}
        )
        assert "Du är anmäld till mötet" in text(response)
        assert "no-store" in response["Cache-Control"]
        note = Notification.objects.get(template="meetings.registered")
        assert note.deliveries.get().to == "anna@example.se"
        assert note.context["waiting"] is False

    def test_a_full_meeting_says_you_will_be_on_the_waiting_list(self, client, people):
        meeting = published(people, capacity=1)
        services.registration_create(meeting=meeting, name="Bo", email="bo@example.se")
        page = text(client.get(detail(meeting)))
        assert "Mötet är fullt" in page and "Anmäl mig till reservlistan" in page
        response = client.post(register_url(meeting), registration_data(), follow=True)
        assert "du står på reservlistan" in text(response)
        assert Registration.objects.get(email="anna@example.se").status == (
            RegistrationStatus.WAITING
        )

    def test_too_many_from_one_address_are_refused_with_a_clear_message(
        self, client, people, settings
    ):
        settings.MEETINGS_POST_RATE_PER_IP = 2
        meeting = published(people, capacity=10)
        for number in range(2):
            client.post(register_url(meeting), registration_data(email=f"p{number}@example.se"))
        response = client.post(register_url(meeting), registration_data(email="p3@example.se"))
        assert response.status_code == 429
        assert "för många anmälningar och frågor från din uppkoppling" in text(response)
        assert Registration.objects.count() == 2
        # Questions count against the same limit.
        response = client.post(
            reverse("meetings:question", kwargs={"pk": meeting.pk}), {"fraga-text": "Hur blir det?"}
        )
        assert response.status_code == 429 and not meeting.questions.exists()

    def test_the_same_address_twice_is_refused_on_the_form(self, client, people):
        meeting = published(people, capacity=10)
        client.post(register_url(meeting), registration_data())
        response = client.post(register_url(meeting), registration_data(email="ANNA@example.se"))
        assert response.status_code == 400
        assert "Den e-postadressen är redan anmäld till mötet." in text(response)
        assert "Det finns fel i formuläret" in text(response)
        assert Registration.objects.count() == 1

    def test_no_registration_form_once_the_meeting_has_started(self, client, people):
        meeting = start_in_the_past(published(people, capacity=10))
        assert "Anmäl mig" not in text(client.get(detail(meeting)))
        client.post(register_url(meeting), registration_data())
        assert not Registration.objects.exists()

    def test_cancelling_through_the_link_needs_confirmation_and_promotes_the_first_waiting(
        self, client, people
    ):
        meeting = published(people, capacity=1)
        anna = services.registration_create(meeting=meeting, name="Anna", email="anna@ex.se")
        bo = services.registration_create(meeting=meeting, name="Bo", email="bo@ex.se")
        services.registration_create(meeting=meeting, name="Cia", email="cia@ex.se")
        url = reverse("meetings:registration", kwargs={"token": anna.token})
        assert "Avanmäl mig" in text(client.get(url))

        unconfirmed = client.post(url, {})
        assert unconfirmed.status_code == 400
        assert "Kryssa i rutan" in text(unconfirmed)
        anna.refresh_from_db()
        assert anna.status == RegistrationStatus.REGISTERED

        response = client.post(url, {"confirm": "on"}, follow=True)
        assert "Du är avanmäld" in text(response)
        bo.refresh_from_db()
        assert bo.status == RegistrationStatus.REGISTERED
        bo_page = text(client.get(reverse("meetings:registration", kwargs={"token": bo.token})))
        assert "Du är anmäld till mötet" in bo_page
        promoted = Notification.objects.get(template="meetings.promoted")
        assert promoted.deliveries.get().to == "bo@ex.se"

    def test_an_unknown_token_is_not_found(self, client):
        assert client.get(reverse("meetings:registration", args=["nej"])).status_code == 404

    def test_registered_emails_are_the_distinct_active_registrations_of_the_dialogue(self, people):
        first = published(people, capacity=1)
        second = published(people, capacity=5, dialogue=first.dialogue)
        services.registration_create(meeting=first, name="A", email="a@ex.se")
        services.registration_create(meeting=first, name="W", email="waiting@ex.se")
        services.registration_create(meeting=second, name="A", email="a@ex.se")
        gone = services.registration_create(meeting=second, name="C", email="c@ex.se")
        services.registration_cancel(registration=gone)
        other = published(cast(), capacity=5)
        services.registration_create(meeting=other, name="O", email="other@ex.se")
        assert selectors.registered_emails(first.dialogue) == ["a@ex.se"]


class TestQuestions:
    def test_a_question_is_shown_only_once_accepted(self, client, people):
        meeting = published(people)
        response = client.post(
            reverse("meetings:question", kwargs={"pk": meeting.pk}),
            {"fraga-text": "Kan vi få ett pingisbord?"},
            follow=True,
        )
        assert "Tack för din fråga" in text(response)
        assert "Kan vi få ett pingisbord?" not in text(client.get(detail(meeting)))
        question = meeting.questions.get()
        services.question_moderate(question=question, actor=people.official, accept=True)
        assert "Kan vi få ett pingisbord?" in text(client.get(detail(meeting)))

    def test_an_empty_question_is_refused_with_an_error(self, client, people):
        meeting = published(people)
        response = client.post(
            reverse("meetings:question", kwargs={"pk": meeting.pk}), {"fraga-text": ""}
        )
        assert response.status_code == 400 and "Det finns fel i formuläret" in text(response)
        assert not meeting.questions.exists()

    def test_no_questions_once_the_meeting_has_started(self, client, people):
        meeting = start_in_the_past(published(people))
        assert "Skicka frågan" not in text(client.get(detail(meeting)))
        client.post(
            reverse("meetings:question", kwargs={"pk": meeting.pk}), {"fraga-text": "Sent?"}
        )
        assert not meeting.questions.exists()
