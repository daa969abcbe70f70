import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.dialogues import public_views, services
from torget.dialogues.models import Dialogue, LadderStep, Status
from torget.dialogues.tests.factories import (
    approved,
    before_ks_decides,
    cast,
    decide,
    decision_proposal_published,
    initiative,
    opened,
    summary_published,
)
from torget.geo.tests.factories import AreaFactory
from torget.notifications.models import Notification
from torget.organisation.models import BodyKind
from torget.organisation.tests.factories import BodyFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def step(dialogue, name, actor, **values):
    return services.dialogue_step(dialogue=dialogue, step=name, actor=actor, **values)


def declined(people, **values):
    dialogue = initiative(people, **values)
    return step(dialogue, "decline", people.chair, end_reason="Frågan är redan avgjord.")


def finished(people, **values):
    dialogue = opened(people, **values)
    return step(dialogue, "compile", people.official)


def decision_made(people, **values):
    dialogue = finished(people, **values)
    decision_proposal_published(dialogue, people)  # feedback point 3, before the decision
    return step(
        dialogue,
        "record_decision",
        people.official,
        results_summary="120 deltagare lämnade 45 förslag.",
        outcome_decision="Nämnden beslutade om en skolgård med klätterställning.",
        outcome_decided_on=datetime.date(2027, 3, 15),
        outcome_reference="BUN 2027/3",
    )


def section(html, heading_id):
    """The section a heading with this id opens, up to the next section."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def titles_in(response):
    return set(
        re.findall(
            r'class="proposal-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
        )
    )


# --- The list ----------------------------------------------------------------------------


class TestList:
    def test_shows_planned_ongoing_and_finished_in_sections(self, client, people):
        decide(initiative(people, title="Planerad dialog"), people)
        opened(people, title="Pågående dialog")
        finished(people, title="Avslutad dialog")
        html = client.get("/dialoger/").content.decode()
        assert titles_in(client.get("/dialoger/")) == {
            "Planerad dialog",
            "Pågående dialog",
            "Avslutad dialog",
        }
        # Ongoing first, then planned, then finished, each under its heading.
        assert (
            html.index("<h3>Pågående</h3>")
            < html.index("Pågående dialog")
            < html.index("<h3>Planerade</h3>")
            < html.index("Planerad dialog")
            < html.index("<h3>Avslutade</h3>")
            < html.index("Avslutad dialog")
        )
        assert "Du kan: resonera" in html  # the ladder step on the ongoing dialogue's card

    def test_never_shows_initiatives_or_declined_whatever_the_filter(self, client, people):
        area, topic = AreaFactory(slug="berga"), TopicFactory(slug="skola")
        initiative(people, title="Hemligt initiativ", areas=[area], topics=[topic])
        declined(people, title="Avslaget initiativ", areas=[area], topics=[topic])
        opened(people, title="Öppen dialog", areas=[area], topics=[topic])
        queries = [
            "",
            "?status=planerade",
            "?status=pagaende",
            "?status=avslutade",
            "?omrade=berga",
            "?amne=skola",
            "?steg=1",
            "?steg=3",
            "?status=initiativ",
            "?status=avslag",
        ]
        for query in queries:
            response = client.get("/dialoger/" + query)
            html = response.content.decode()
            assert response.status_code == 200
            assert "Hemligt initiativ" not in html and "Avslaget initiativ" not in html, query
        assert titles_in(client.get("/dialoger/?omrade=berga")) == {"Öppen dialog"}
        assert "1 dialog matchar" in client.get("/dialoger/?amne=skola").content.decode()

    def test_filters_by_status_area_topic_and_ladder_step(self, client, people):
        district = AreaFactory(slug="norra", name="Norra")
        village = AreaFactory(slug="by", name="Byn", parent=district)
        elsewhere = AreaFactory(slug="sodra")
        topic = TopicFactory(slug="trafik")
        decide(initiative(people, title="I byn", areas=[village]), people)
        opened(people, title="Om trafik", areas=[elsewhere], topics=[topic])
        finished(people, title="Avslutad i Norra", areas=[district])

        assert titles_in(client.get("/dialoger/?status=planerade")) == {"I byn"}
        assert titles_in(client.get("/dialoger/?status=pagaende")) == {"Om trafik"}
        assert titles_in(client.get("/dialoger/?status=avslutade")) == {"Avslutad i Norra"}
        # A dialogue in a part of the area is in the area.
        assert titles_in(client.get("/dialoger/?omrade=norra")) == {"I byn", "Avslutad i Norra"}
        assert titles_in(client.get("/dialoger/?omrade=by")) == {"I byn"}
        assert titles_in(client.get("/dialoger/?amne=trafik")) == {"Om trafik"}
        # The plan (ladder step 3) is set for the opened and finished ones only.
        assert titles_in(client.get("/dialoger/?steg=3")) == {"Om trafik", "Avslutad i Norra"}
        assert titles_in(client.get("/dialoger/?steg=5")) == set()
        assert titles_in(client.get("/dialoger/?status=pagaende&amne=trafik")) == {"Om trafik"}

    def test_an_unknown_filter_value_shows_the_page(self, client, people):
        opened(people, title="Öppen dialog")
        response = client.get("/dialoger/?omrade=finns-inte&steg=9&status=alla")
        assert response.status_code == 200

    def test_empty_list_invites_a_request(self, client):
        html = client.get("/dialoger/").content.decode()
        assert "Det finns inga planerade eller pågående dialoger just nu." in html
        assert 'href="/dialoger/foresla/"' in html
        assert 'href="/kalendarium/"' in html and 'href="/dialoger/arshjul/"' in html

    def test_no_match_says_so(self, client, people):
        opened(people)
        html = client.get("/dialoger/?status=avslutade").content.decode()
        assert "Inga dialoger matchar filtret." in html

    def test_pages(self, client, people, monkeypatch):
        monkeypatch.setattr(public_views, "PAGE_SIZE", 2)
        for n in range(3):
            decide(initiative(people, title=f"Dialog {n}"), people)
        first, second = client.get("/dialoger/"), client.get("/dialoger/?sida=2")
        assert len(titles_in(first)) == 2 and len(titles_in(second)) == 1
        assert titles_in(first) | titles_in(second) == {"Dialog 0", "Dialog 1", "Dialog 2"}
        assert 'rel="next"' in first.content.decode()

    def test_query_count_does_not_grow_with_the_dialogues(self, client, people):
        area, topic = AreaFactory(), TopicFactory()
        opened(people, areas=[area], topics=[topic])
        with CaptureQueriesContext(connection) as one:
            client.get("/dialoger/")
        for _ in range(4):
            decide(initiative(people, areas=[area, AreaFactory()], topics=[topic]), people)
        with CaptureQueriesContext(connection) as five:
            response = client.get("/dialoger/")
        assert response.content.decode().count('class="card dialogue-card"') == 5
        assert len(five) == len(one)

    def test_anonymous_visitors_may_get_a_cached_copy(self, client, people):
        response = client.get("/dialoger/")
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
        assert 'name="csrfmiddlewaretoken"' not in response.content.decode()
        client.force_login(user_with_role(Role.CITIZEN))
        assert "private" in client.get("/dialoger/")["Cache-Control"]


# --- One dialogue ------------------------------------------------------------------------


class TestDetail:
    def test_initiatives_and_declined_are_not_found(self, client, people):
        for dialogue in (initiative(people), declined(people)):
            assert client.get(f"/dialoger/{dialogue.pk}/").status_code == 404

    def test_before_the_plan_is_approved_only_the_decision_is_shown(self, client, people):
        dialogue = decide(initiative(people), people)
        services.dialogue_step(dialogue=dialogue, step="start_planning", actor=people.official)
        services.dialogue_update(
            dialogue=dialogue,
            actor=people.official,
            question="Ett utkast till frågan",
            open_to_influence="Utkast: det här går att påverka",
            ladder_step=LadderStep.DIALOGUE,
        )
        html = client.get(f"/dialoger/{dialogue.pk}/").content.decode()
        assert "Dialogen planeras" in html
        assert people.body.name in html and f"{people.body.abbreviation} 2026/12" in html
        assert "1 september 2026" in html
        assert "Ett utkast till frågan" not in html and "Utkast: det här" not in html
        assert "Du kan:" not in html

    def test_once_approved_the_question_and_the_plan_are_public(self, client, people):
        dialogue = approved(people)
        html = client.get(f"/dialoger/{dialogue.pk}/").content.decode()
        assert "Vad vill barnen och föräldrarna ha på skolgården?" in html
        assert "Utformningen och utrustningen. Inte budgeten eller platsen." in html
        assert "Kom till dialogmötet eller svara på enkäten." in html
        methods = section(html, "take-part-heading")
        # The information method comes first, then the dialogue meeting, with descriptions.
        assert methods.index("<strong>Dialogmöte</strong>") > methods.index("<ol")
        assert "<li>Barn</li>" in methods
        assert "Workshops på skoltid" not in html  # the effort is the staff's planning
        assert "Dialogen planeras" not in html

    def test_the_ladder_step_in_words(self, client, people):
        html = client.get(f"/dialoger/{approved(people).pk}/").content.decode()
        ladder = section(html, "ladder-heading")
        assert "Du kan: resonera" in ladder
        assert "Steg 3 av 5 på delaktighetstrappan. Medborgardialog: invånarna" in ladder
        assert "för dialog om en aktuell fråga" in ladder

    def test_the_decision_and_the_people_responsible(self, client, people):
        dialogue = opened(people)
        html = client.get(f"/dialoger/{dialogue.pk}/").content.decode()
        decision = section(html, "decision-heading")
        assert people.body.name in decision
        assert people.leader.public_name in decision
        assert "Nämndens presidium och förvaltningschefen" in decision
        assert "kronor" in decision

    def test_never_shows_the_requester(self, client):
        ks = cast(BodyFactory(kind=BodyKind.EXECUTIVE, name="Kommunstyrelsen", abbreviation="KS"))
        dialogue = services.dialogue_request(
            title="Trygghet vid stationen",
            summary="Det känns otryggt på kvällarna.",
            requester_name="Sara Sökande",
            requester_email="sara@example.se",
        )
        before_ks_decides(dialogue, ks, proposal="Internt förslag från KD")
        decide(dialogue, ks)
        html = client.get(f"/dialoger/{dialogue.pk}/").content.decode()
        assert "Trygghet vid stationen" in html
        assert "Sara Sökande" not in html and "sara@example.se" not in html
        assert "Internt förslag från KD" not in html

    def test_the_timeline_shows_the_public_steps(self, client, people):
        dialogue = opened(people)
        timeline = section(
            client.get(f"/dialoger/{dialogue.pk}/").content.decode(), "timeline-heading"
        )
        titles = re.findall(r'class="timeline__title">([^<]+)<', timeline)
        assert titles == ["Beslutad", "Planeras", "Plan godkänd", "Pågår"]
        assert timezone.localdate().strftime("%Y") in timeline

    def test_results_decision_feedback_and_evaluation(self, client, people):
        dialogue = finished(people)
        services.dialogue_update(
            dialogue=dialogue, actor=people.official, results_summary="Ett utkast till resultat"
        )
        assert (
            "Ett utkast till resultat"
            not in client.get(f"/dialoger/{dialogue.pk}/").content.decode()
        )

        dialogue = decision_made(people)
        summary_published(dialogue, people)
        step(dialogue, "give_feedback", people.official, feedback_text="Tack! Så här blev det.")
        step(dialogue, "evaluate", people.official, evaluation="Många barn deltog.")
        results = section(
            client.get(f"/dialoger/{dialogue.pk}/").content.decode(), "results-heading"
        )
        for text in (
            "120 deltagare lämnade 45 förslag.",
            "Nämnden beslutade om en skolgård med klätterställning.",
            "15 mars 2027",
            "BUN 2027/3",
            "Tack! Så här blev det.",
            "Många barn deltog.",
        ):
            assert text in results

    def test_a_cancelled_dialogue_says_why(self, client, people):
        dialogue = approved(people)
        step(dialogue, "cancel", people.leader, end_reason="Frågan avgörs av regeringen.")
        response = client.get(f"/dialoger/{dialogue.pk}/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Dialogen är inställd" in html and "Frågan avgörs av regeringen." in html

    def test_dates_with_place_and_area(self, client, people):
        dialogue = approved(people)
        area = AreaFactory(name="Berga")
        services.date_add(
            dialogue=dialogue,
            actor=people.official,
            title="Dialogmöte i skolans aula",
            starts_at=datetime.datetime(2026, 10, 5, 18, 0, tzinfo=timezone.get_current_timezone()),
            place="Bergaskolan",
            area=area,
        )
        dates = section(client.get(f"/dialoger/{dialogue.pk}/").content.decode(), "dates-heading")
        assert "Dialogmöte i skolans aula" in dates and "5 oktober 2026 18:00" in dates
        assert "Bergaskolan, Berga" in dates

    def test_follow_link(self, client, people):
        dialogue = opened(people)
        html = client.get(f"/dialoger/{dialogue.pk}/").content.decode()
        assert f'href="/bevaka/dialog/{dialogue.pk}/"' in html and "Bevaka dialogen" in html

    def test_staff_who_work_with_it_get_a_link_to_their_page(self, client, people):
        dialogue = opened(people)
        staff_link = f'href="{dialogue.staff_url()}"'
        response = client.get(f"/dialoger/{dialogue.pk}/")
        assert staff_link not in response.content.decode()
        assert "public" in response["Cache-Control"]
        client.force_login(user_with_role(Role.CITIZEN))
        assert staff_link not in client.get(f"/dialoger/{dialogue.pk}/").content.decode()
        client.force_login(people.official)
        response = client.get(f"/dialoger/{dialogue.pk}/")
        assert staff_link in response.content.decode()
        assert "private" in response["Cache-Control"]


# --- Föreslå en medborgardialog ----------------------------------------------------------


def request_post(**changes):
    data = {
        "title": "Trygghet vid stationen",
        "summary": "Det känns otryggt på kvällarna. Alla som pendlar berörs.",
        "requester_name": "Sara Sökande",
        "requester_email": "sara@example.se",
        "website": "",
    }
    data.update(changes)
    return data


class TestRequest:
    def test_the_form_renders_for_anyone(self, client):
        response = client.get("/dialoger/foresla/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Föreslå en medborgardialog</h1>" in html
        assert "Vad ska dialogen handla om?" in html
        assert "Kommunstyrelsens presidium beslutar" in html
        assert 'name="requester_email"' in html and 'class="hp"' in html
        assert "public" not in response["Cache-Control"]

    def test_a_logged_in_citizen_gets_name_and_email_filled_in(self, client):
        user = user_with_role(Role.CITIZEN, full_name="Kim Kvist", email="kim@example.se")
        client.force_login(user)
        html = client.get("/dialoger/foresla/").content.decode()
        assert 'value="Kim Kvist"' in html and 'value="kim@example.se"' in html

    def test_a_request_becomes_an_initiative_and_the_requester_gets_a_receipt(self, client):
        area = AreaFactory(name="Stationsområdet")
        response = client.post("/dialoger/foresla/", request_post(areas=[area.pk]))
        assert response.status_code == 302 and response["Location"] == "/dialoger/foresla/tack/"
        dialogue = Dialogue.objects.get()
        assert dialogue.status == Status.INITIATIVE and not dialogue.is_public
        assert dialogue.initiative_kind == "medborgare"
        assert dialogue.requester_email == "sara@example.se"
        assert list(dialogue.areas.all()) == [area]
        receipt = Notification.objects.get(template="dialogues.request_received")
        assert receipt.deliveries.get().to == "sara@example.se"
        # Not public until decided.
        assert client.get(f"/dialoger/{dialogue.pk}/").status_code == 404
        assert "Trygghet vid stationen" not in client.get("/dialoger/").content.decode()
        thanks = client.get(response["Location"])
        assert "Tack för ditt förslag" in thanks.content.decode()

    def test_a_logged_in_requester_is_linked_to_the_request(self, client, citizen):
        client.force_login(citizen)
        client.post("/dialoger/foresla/", request_post())
        assert Dialogue.objects.get().requested_by == citizen

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"title": "  "}, "title", "Detta fält måste fyllas i."),
            ({"summary": ""}, "summary", "Detta fält måste fyllas i."),
            ({"requester_email": "inte-en-adress"}, "requester_email", "giltig e-postadress"),
            ({"requester_email": ""}, "requester_email", "Detta fält måste fyllas i."),
        ],
    )
    def test_bad_input_is_shown_and_nothing_is_saved(self, client, changes, field, message):
        response = client.post("/dialoger/foresla/", request_post(**changes))
        html = response.content.decode()
        assert response.status_code == 400
        assert "Det finns fel i formuläret" in html
        assert f'id="id_{field}_error"' in html and message in html
        assert not Dialogue.objects.exists() and not Notification.objects.exists()

    def test_the_honeypot_saves_nothing(self, client):
        response = client.post("/dialoger/foresla/", request_post(website="http://spam.example"))
        assert response.status_code == 302
        assert not Dialogue.objects.exists() and not Notification.objects.exists()

    def test_requests_are_limited_per_address(self, client, settings):
        settings.DIALOGUE_REQUEST_RATE_PER_IP = 3
        for n in range(settings.DIALOGUE_REQUEST_RATE_PER_IP):
            assert (
                client.post("/dialoger/foresla/", request_post(title=f"Förslag {n}")).status_code
                == 302
            )
        response = client.post("/dialoger/foresla/", request_post(title="Ett för mycket"))
        assert response.status_code == 429
        assert Dialogue.objects.count() == settings.DIALOGUE_REQUEST_RATE_PER_IP


def test_the_areas_question_is_asked_only_where_there_are_areas(client):
    assert 'name="areas"' not in client.get("/dialoger/foresla/").content.decode()
    AreaFactory(name="Berga")
    html = client.get("/dialoger/foresla/").content.decode()
    assert 'name="areas"' in html and "Berga" in html


class TestHistory:
    def timeline(self, client, dialogue):
        html = section(client.get(f"/dialoger/{dialogue.pk}/").content.decode(), "timeline-heading")
        return re.findall(
            r'<time datetime="([\d-]+)">[^<]+</time></p>\s*<h3 class="timeline__title">([^<]+)</h3>',
            html,
        )

    def test_public_history_shows_date_as_entered(self, client, people):
        dialogue = approved(people)
        opened_on = timezone.localdate() - datetime.timedelta(days=12)
        client.force_login(people.official)
        url = f"/personal/dialoger/{dialogue.pk}/steg/open/"
        page = client.get(f"/personal/dialoger/{dialogue.pk}/").content.decode()
        assert 'name="open-happened_on"' in page  # asked for, today unless changed
        response = client.post(url, {"open-happened_on": opened_on.isoformat()})
        assert response.status_code == 302
        client.logout()
        timeline = dict((title, date) for date, title in self.timeline(client, dialogue))
        # The decision by its own date, the opening as entered; neither as recorded (today).
        assert timeline["Beslutad"] == "2026-09-01"
        assert timeline["Pågår"] == opened_on.isoformat()
        assert timeline["Plan godkänd"] == timezone.localdate().isoformat()
        event = dialogue.events.get(step="open")
        assert event.occurred_at.date() == timezone.now().date() != opened_on

    def test_the_decision_in_the_matter_is_dated_by_its_own_date(self, client, people):
        dialogue = decision_made(people)
        dates = {title: date for date, title in self.timeline(client, dialogue)}
        assert dates["Beslut fattat"] == "2027-03-15"

    def test_a_date_in_the_future_is_refused(self, client, people):
        dialogue = approved(people)
        client.force_login(people.official)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = client.post(
            f"/personal/dialoger/{dialogue.pk}/steg/open/",
            {"open-happened_on": tomorrow.isoformat()},
        )
        assert response.status_code == 400
        assert "Datumet då det hände kan inte ligga i framtiden." in response.content.decode()
        with pytest.raises(ValidationError):
            step(dialogue, "open", people.official, happened_on=tomorrow)
        assert Dialogue.objects.get(pk=dialogue.pk).status == Status.PLAN_APPROVED
