"""Kalendarium: what the calendar page and the iCalendar feed show, and what they never show."""

import datetime
import zoneinfo

import icalendar
import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from vobject.icalendar import stringToDurations

from torget.dialogues import services
from torget.dialogues.calendar import Kind, calendar_entries
from torget.dialogues.models import Method
from torget.dialogues.tests.factories import (
    approved,
    cast,
    decide,
    decision_proposal_published,
    initiative,
    opened,
    plan,
)
from torget.geo.tests.factories import AreaFactory
from torget.organisation.models import Municipality

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# The factories plan a dialogue for 1 Oct – 30 Nov 2026 with the decision expected 15 Mar 2027;
# the feed's window (a year back, two ahead) is counted from this day.
TODAY = "2026-09-15 10:00:00+02:00"


def at(day: int, hour: int, month: int = 10, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=STOCKHOLM)


def add_date(dialogue, people, title="Informationsmöte", **values):
    values.setdefault("starts_at", at(5, 18))
    values.setdefault("ends_at", at(5, 20))
    return services.date_add(dialogue=dialogue, actor=people.official, title=title, **values)


def dialogue_with_dated_method(people, **values):
    """An approved dialogue whose plan has a survey open 12–25 October."""
    dialogue = plan(decide(initiative(people, **values), people), people)
    services.method_add(
        dialogue=dialogue,
        actor=people.official,
        method=Method.objects.get(code="dialogmote"),
        starts_on=datetime.date(2026, 10, 12),
        ends_on=datetime.date(2026, 10, 25),
        note="Tre kvällsmöten i skolans matsal.",
    )
    return services.dialogue_step(dialogue=dialogue, step="approve_plan", actor=people.leader)


def cancel(dialogue, people):
    return services.dialogue_step(
        dialogue=dialogue, step="cancel", actor=people.leader, end_reason="Skolan byggs inte."
    )


def page(client, **params):
    return client.get(reverse("dialogues:calendar"), params)


def feed(client, **params):
    response = client.get(reverse("dialogues:ical"), params)
    assert response.status_code == 200
    return response, icalendar.Calendar.from_ical(response.content)


def events_by_uid(cal):
    return {str(event["uid"]): event for event in cal.walk("VEVENT")}


@pytest.fixture
def people():
    return cast()


class TestCalendarEntries:
    def test_a_public_dialogue_gives_its_dates_period_methods_and_decision(self, people):
        dialogue = dialogue_with_dated_method(people)
        date = add_date(dialogue, people, place="Berga skola, matsalen")
        entries = calendar_entries(start=datetime.date(2026, 9, 1), end=datetime.date(2027, 6, 30))
        by_kind = {entry.kind: entry for entry in entries}
        assert set(by_kind) == {Kind.DATE, Kind.PERIOD, Kind.METHOD, Kind.DECISION}

        assert by_kind[Kind.DATE].uid == f"dialog-date-{date.pk}"
        assert by_kind[Kind.DATE].starts_at == at(5, 18)
        assert by_kind[Kind.DATE].place == "Berga skola, matsalen"
        assert by_kind[Kind.PERIOD].title == "Dialogen pågår"
        assert (by_kind[Kind.PERIOD].first, by_kind[Kind.PERIOD].last) == (
            datetime.date(2026, 10, 1),
            datetime.date(2026, 11, 30),
        )
        assert by_kind[Kind.PERIOD].all_day
        assert by_kind[Kind.METHOD].title == "Dialogmöte"
        assert by_kind[Kind.METHOD].last == datetime.date(2026, 10, 25)
        assert by_kind[Kind.DECISION].title == "Beslut väntas"
        assert by_kind[Kind.DECISION].first == datetime.date(2027, 3, 15)
        assert all(entry.dialogue == dialogue for entry in entries)
        # In order of time: the period (1 Oct), the date (5 Oct), the method (12 Oct), the
        # decision (15 Mar).
        assert [entry.kind for entry in entries] == [
            Kind.PERIOD,
            Kind.DATE,
            Kind.METHOD,
            Kind.DECISION,
        ]

    def test_only_entries_that_touch_the_window_are_returned(self, people):
        dialogue = approved(people)
        add_date(dialogue, people, starts_at=at(5, 18, month=12), ends_at=None)
        november = calendar_entries(
            start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30)
        )
        # The period runs into November; the December date and the March decision do not.
        assert [entry.kind for entry in november] == [Kind.PERIOD]

    def test_the_period_and_plan_are_not_shown_before_the_plan_is_approved(self, people):
        dialogue = plan(decide(initiative(people), people), people)
        add_date(dialogue, people, title="Öppet hus")
        entries = calendar_entries(start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31))
        # The dialogue is public (decided), so its dates are; the draft plan's period is not.
        assert [(entry.kind, entry.title) for entry in entries] == [(Kind.DATE, "Öppet hus")]

    def test_a_decision_made_replaces_the_expected_day(self, people):
        dialogue = opened(people)
        services.dialogue_step(dialogue=dialogue, step="compile", actor=people.official)
        decision_proposal_published(dialogue, people)  # feedback point 3, before the decision
        services.dialogue_step(
            dialogue=dialogue,
            step="record_decision",
            actor=people.official,
            results_summary="120 deltagare.",
            outcome_decision="Nämnden beslutade om en klätterställning.",
            outcome_decided_on=datetime.date(2027, 2, 20),
        )
        entries = calendar_entries(start=datetime.date(2027, 1, 1), end=datetime.date(2027, 12, 31))
        assert [(entry.title, entry.first) for entry in entries] == [
            ("Beslut fattat", datetime.date(2027, 2, 20))
        ]
        assert entries[0].uid == f"dialog-decision-{dialogue.pk}"

    def test_initiatives_and_declined_dialogues_never_appear(self, people):
        waiting = initiative(people, title="Hemligt initiativ")
        add_date(waiting, people, title="Internt möte")
        declined = initiative(people, title="Avslaget initiativ")
        add_date(declined, people, title="Avslaget möte")
        services.dialogue_step(
            dialogue=declined, step="decline", actor=people.chair, end_reason="Ingen budget."
        )
        assert (
            calendar_entries(start=datetime.date(2026, 1, 1), end=datetime.date(2028, 1, 1)) == []
        )

    def test_a_cancelled_dialogue_keeps_its_entries_marked_cancelled(self, people):
        dialogue = approved(people)
        add_date(dialogue, people)
        cancel(dialogue, people)
        entries = calendar_entries(start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31))
        assert {entry.kind for entry in entries} == {Kind.DATE, Kind.PERIOD, Kind.DECISION}
        assert all(entry.cancelled for entry in entries)

    def test_a_dialogue_cancelled_while_planning_shows_no_plan(self, people):
        dialogue = plan(decide(initiative(people), people), people)
        cancel(dialogue, people)
        assert (
            calendar_entries(start=datetime.date(2026, 1, 1), end=datetime.date(2028, 1, 1)) == []
        )


class TestAreaFilter:
    @pytest.fixture
    def places(self):
        south = AreaFactory(name="Söder")
        berga = AreaFactory(name="Berga", parent=south)
        north = AreaFactory(name="Norr")
        return south, berga, north

    def test_an_area_includes_the_areas_inside_it(self, people, places):
        south, berga, north = places
        in_berga = approved(people, title="Skolgård i Berga", areas=[berga])
        in_north = approved(people, title="Park i Norr", areas=[north])
        add_date(in_berga, people, title="Möte i Berga")
        add_date(in_north, people, title="Möte i Norr")
        window = {"start": datetime.date(2026, 10, 1), "end": datetime.date(2026, 10, 31)}

        def dialogues(area):
            return {entry.dialogue.title for entry in calendar_entries(area=area, **window)}

        assert dialogues(south) == {"Skolgård i Berga"}
        assert dialogues(berga) == {"Skolgård i Berga"}
        assert dialogues(north) == {"Park i Norr"}
        assert dialogues(None) == {"Skolgård i Berga", "Park i Norr"}

    def test_a_date_with_its_own_area_belongs_to_that_area(self, people, places):
        south, berga, north = places
        dialogue = approved(people, title="Hela kommunens budget", areas=[north])
        add_date(dialogue, people, title="Möte i Berga", area=berga)
        add_date(dialogue, people, title="Möte i Norr")
        window = {"start": datetime.date(2026, 10, 5), "end": datetime.date(2026, 10, 5)}
        in_south = calendar_entries(area=south, **window)
        assert [entry.title for entry in in_south] == ["Möte i Berga"]
        assert in_south[0].areas == ("Berga", "Norr")
        assert [entry.title for entry in calendar_entries(area=north, **window)] == [
            "Dialogen pågår",
            "Möte i Berga",
            "Möte i Norr",
        ]


class TestCalendarPage:
    def test_the_month_shows_a_grid_and_the_same_entries_as_a_list(self, client, people):
        dialogue = approved(people)
        add_date(dialogue, people, place="Berga skola")
        response = page(client, manad="2026-10")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<caption>Översikt över oktober 2026</caption>" in html
        assert '<th scope="col"><span aria-hidden="true">Mån</span>' in html
        assert '<span class="visually-hidden">måndag</span>' in html
        assert "Alla datum i oktober 2026" in html
        assert html.count("Informationsmöte – Ny skolgård i Berga") == 2  # grid and list
        assert "Måndag 5 oktober" in html
        assert "kl. 18:00–20:00" in html
        assert "Plats: Berga skola" in html
        assert "Dialogen pågår – Ny skolgård i Berga" in html
        assert f'href="{dialogue.get_absolute_url()}"' in html

    def test_month_navigation(self, client, people):
        html = page(client, manad="2026-12").content.decode()
        assert "December 2026" in html
        assert 'href="/kalendarium/?manad=2026-11" rel="prev"' in html
        assert 'href="/kalendarium/?manad=2027-01" rel="next"' in html

    def test_month_navigation_keeps_the_area(self, client, people):
        AreaFactory(name="Berga", slug="berga")
        html = page(client, manad="2027-01", omrade="berga").content.decode()
        assert 'href="/kalendarium/?manad=2026-12&amp;omrade=berga" rel="prev"' in html

    @freeze_time(TODAY)
    def test_without_a_month_the_current_month_is_shown(self, client, people):
        add_date(approved(people), people, title="Öppet hus", starts_at=at(15, 17, month=9))
        html = page(client).content.decode()
        assert "Översikt över september 2026" in html
        assert html.count('aria-current="date"') == 1
        assert 'Tisdag 15 september <span class="meta">(i dag)</span>' in html
        assert 'href="/kalendarium/?manad=2026-08" rel="prev"' in html
        assert "Denna månad" not in html
        assert (
            'href="/kalendarium/?manad=2026-09">Denna månad'
            in page(client, manad="2027-01").content.decode()
        )

    def test_a_month_that_is_not_a_month_shows_the_current_one(self, client):
        for value in ("2026-13", "nästa", "99999-01"):
            assert page(client, manad=value).status_code == 200

    def test_an_empty_month_says_so_and_where_to_look(self, client):
        html = page(client, manad="2030-02").content.decode()
        assert "Det finns inga datum i kalendariet i februari 2030." in html
        assert "Visa alla kommande datum" in html
        assert "<caption>" not in html

    @freeze_time(TODAY)
    def test_the_list_shows_upcoming_entries_grouped_by_month(self, client, people):
        dialogue = dialogue_with_dated_method(people)
        add_date(dialogue, people)
        add_date(dialogue, people, starts_at=at(1, 12, month=9), ends_at=None, title="Förra mötet")
        html = page(client, visa="lista").content.decode()
        assert "Förra mötet" not in html
        positions = [
            html.index(text)
            for text in (
                '<h2 id="manad-2026-10">Oktober 2026</h2>',
                "Dialogen pågår – Ny skolgård i Berga",
                "Informationsmöte – Ny skolgård i Berga",
                "Dialogmöte – Ny skolgård i Berga",
                '<h2 id="manad-2027-03">Mars 2027</h2>',
                "Beslut väntas – Ny skolgård i Berga",
            )
        ]
        assert positions == sorted(positions)
        assert "1 oktober 2026 – 30 november 2026" in html
        assert "<caption>" not in html

    @freeze_time(TODAY)
    def test_an_empty_list_says_so(self, client):
        html = page(client, visa="lista").content.decode()
        assert "Det finns inga kommande datum just nu." in html

    def test_the_area_filter_shows_only_that_area_and_offers_its_feed(self, client, people):
        berga = AreaFactory(name="Berga", slug="berga")
        north = AreaFactory(name="Norr", slug="norr")
        add_date(approved(people, title="Skolgård", areas=[berga]), people, title="Möte A")
        add_date(approved(people, title="Park", areas=[north]), people, title="Möte B")
        html = page(client, manad="2026-10", omrade="berga").content.decode()
        assert "Möte A – Skolgård" in html
        assert "Möte B" not in html
        assert '<option value="berga" selected>Berga</option>' in html
        assert "http://testserver/kalendarium.ics?omrade=berga" in html
        assert "webcal://testserver/kalendarium.ics?omrade=berga" in html
        assert 'value="http://testserver/kalendarium.ics"' in html

    def test_an_unknown_area_shows_everything_and_says_the_choice_is_not_valid(
        self, client, people
    ):
        add_date(approved(people), people)
        response = page(client, manad="2026-10", omrade="finns-inte")
        assert response.status_code == 200
        assert "Informationsmöte" in response.content.decode()
        assert response.context["filter_form"].errors

    def test_the_page_explains_how_to_subscribe(self, client):
        html = page(client).content.decode()
        assert "Prenumerera i din egen kalender" in html
        for client_name in ("Outlook", "Google Kalender", "Apple Kalender"):
            assert client_name in html
        assert "webcal://testserver/kalendarium.ics" in html

    def test_non_public_dialogues_never_appear_on_the_page(self, client, people):
        waiting = initiative(people, title="Hemligt initiativ")
        add_date(waiting, people, title="Internt möte")
        declined = initiative(people, title="Avslaget initiativ")
        add_date(declined, people, title="Avslaget möte")
        services.dialogue_step(
            dialogue=declined, step="decline", actor=people.chair, end_reason="Ingen budget."
        )
        for params in ({"manad": "2026-10"}, {"visa": "lista"}):
            html = page(client, **params).content.decode()
            for secret in ("Hemligt", "Internt möte", "Avslaget"):
                assert secret not in html

    def test_a_cancelled_dialogue_is_marked_on_the_page(self, client, people):
        dialogue = approved(people)
        add_date(dialogue, people)
        cancel(dialogue, people)
        html = page(client, manad="2026-10").content.decode()
        assert "<strong>Inställt:</strong>" in html

    def test_the_number_of_queries_does_not_grow_with_the_entries(self, client, people):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert page(client, manad="2026-10").status_code == 200
            return len(queries)

        area = AreaFactory()
        add_date(dialogue_with_dated_method(people, areas=[area]), people, area=AreaFactory())
        few = count()
        for n in range(3):
            dialogue = dialogue_with_dated_method(people, title=f"Dialog {n}", areas=[area])
            add_date(dialogue, people, area=AreaFactory())
        assert count() == few


class TestFeed:
    @freeze_time(TODAY)
    def test_the_feed_is_a_valid_published_calendar(self, client, people):
        Municipality.objects.create(pk=Municipality.SINGLETON_PK, name="Linköpings kommun")
        response, cal = feed(client)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == 'inline; filename="kalendarium.ics"'
        assert "public" in response["Cache-Control"]
        assert "max-age=300" in response["Cache-Control"]
        assert cal["VERSION"] == "2.0"
        assert cal["PRODID"]
        assert cal["CALSCALE"] == "GREGORIAN"
        assert cal["METHOD"] == "PUBLISH"
        assert cal["X-WR-CALNAME"] == "Kalendarium – Linköpings kommun"
        assert cal["X-WR-TIMEZONE"] == "Europe/Stockholm"
        assert cal.walk("VEVENT") == []
        # RFC 5545: lines end in CRLF.
        assert response.content.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")

    @freeze_time(TODAY)
    def test_calendar_feed_refresh_interval_is_rfc7986_duration(self, client, people):
        # RFC 7986 §5.7: REFRESH-INTERVAL;VALUE=DURATION takes an RFC 5545 duration (PT1H),
        # never Python's "1:00:00". Read by a second parser besides icalendar (vobject), as
        # a subscribing client would.
        add_date(dialogue_with_dated_method(people), people)
        response, _cal = feed(client)
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
        parsed = vobject.readOne(response.content.decode())
        refresh = parsed.contents["refresh-interval"][0]
        assert refresh.params["VALUE"] == ["DURATION"]
        assert stringToDurations(refresh.value) == [datetime.timedelta(hours=1)]
        assert parsed.contents["x-published-ttl"][0].value == "PT1H"
        assert len(parsed.contents["vevent"]) >= 1
        assert parsed.vevent.uid.value

    @freeze_time(TODAY)
    def test_the_feed_has_one_event_per_entry_with_stable_unique_uids(self, client, people):
        dialogue = dialogue_with_dated_method(people)
        date = add_date(dialogue, people, place="Berga skola")
        _response, cal = feed(client)
        events = events_by_uid(cal)
        assert len(events) == len(cal.walk("VEVENT")) == 4
        assert set(events) == {
            f"dialog-date-{date.pk}@testserver",
            f"dialog-period-{dialogue.pk}@testserver",
            f"dialog-method-{dialogue.methods.get(starts_on__isnull=False).pk}@testserver",
            f"dialog-decision-{dialogue.pk}@testserver",
        }
        # The same UIDs the next time the client looks.
        assert set(events_by_uid(feed(client)[1])) == set(events)

        meeting = events[f"dialog-date-{date.pk}@testserver"]
        assert str(meeting["SUMMARY"]) == "Informationsmöte – Ny skolgård i Berga"
        assert str(meeting["LOCATION"]) == "Berga skola"
        assert str(meeting["URL"]) == f"http://testserver{dialogue.get_absolute_url()}"
        assert f"http://testserver{dialogue.get_absolute_url()}" in str(meeting["DESCRIPTION"])
        assert meeting["STATUS"] == "CONFIRMED"
        assert meeting["DTSTAMP"].dt.tzinfo is not None
        assert meeting["LAST-MODIFIED"].dt.tzinfo is not None

    @freeze_time(TODAY)
    def test_times_carry_the_stockholm_time_zone_and_the_zone_is_defined(self, client, people):
        dialogue = approved(people)
        date = add_date(dialogue, people)
        response, cal = feed(client)
        meeting = events_by_uid(cal)[f"dialog-date-{date.pk}@testserver"]
        assert meeting["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert meeting["DTSTART"].dt == at(5, 18)
        assert meeting["DTSTART"].dt.tzinfo.key == "Europe/Stockholm"
        assert meeting["DTEND"].dt == at(5, 20)
        assert b"DTSTART;TZID=Europe/Stockholm:20261005T180000" in response.content
        zones = cal.walk("VTIMEZONE")
        assert [str(zone["TZID"]) for zone in zones] == ["Europe/Stockholm"]

    @freeze_time(TODAY)
    def test_whole_days_are_dates_with_the_end_the_day_after(self, client, people):
        dialogue = approved(people)
        response, cal = feed(client)
        period = events_by_uid(cal)[f"dialog-period-{dialogue.pk}@testserver"]
        assert period["DTSTART"].params["VALUE"] == "DATE"
        assert period["DTSTART"].dt == datetime.date(2026, 10, 1)
        assert period["DTEND"].dt == datetime.date(2026, 12, 1)  # the period ends 30 Nov
        decision = events_by_uid(cal)[f"dialog-decision-{dialogue.pk}@testserver"]
        assert decision["DTSTART"].dt == datetime.date(2027, 3, 15)
        assert decision["DTEND"].dt == datetime.date(2027, 3, 16)
        assert b"DTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261201" in response.content

    @freeze_time(TODAY)
    def test_swedish_letters_commas_and_semicolons_survive_folding(self, client, people):
        title = "Trafik på Ågatan, Östra Ängen; år" + " å, ä; ö" * 8
        dialogue = approved(people, title=title)
        date = add_date(
            dialogue, people, title="Möte", place="Café Ängen, Storgatan 1; övervåningen"
        )
        response, cal = feed(client)
        assert b"\\, " in response.content and b"\\;" in response.content
        lines = response.content.split(b"\r\n")
        assert max(len(line) for line in lines) <= 75  # octets, RFC 5545 §3.1
        meeting = events_by_uid(cal)[f"dialog-date-{date.pk}@testserver"]
        assert str(meeting["SUMMARY"]) == f"Möte – {title}"
        assert str(meeting["LOCATION"]) == "Café Ängen, Storgatan 1; övervåningen"
        assert f"Medborgardialog: {title}" in str(meeting["DESCRIPTION"])

    @freeze_time(TODAY)
    def test_a_cancelled_dialogues_events_are_cancelled(self, client, people):
        dialogue = approved(people)
        date = add_date(dialogue, people)
        cancel(dialogue, people)
        _response, cal = feed(client)
        events = cal.walk("VEVENT")
        assert len(events) == 3
        assert {event["STATUS"] for event in events} == {"CANCELLED"}
        meeting = events_by_uid(cal)[f"dialog-date-{date.pk}@testserver"]
        assert str(meeting["SUMMARY"]).startswith("Inställt: ")

    @freeze_time(TODAY)
    def test_the_area_feed_has_only_that_areas_entries(self, client, people):
        south = AreaFactory(name="Söder", slug="soder")
        berga = AreaFactory(name="Berga", slug="berga", parent=south)
        north = AreaFactory(name="Norr", slug="norr")
        in_berga = approved(people, title="Skolgård", areas=[berga])
        in_north = approved(people, title="Park", areas=[north])
        add_date(in_north, people, title="Möte i Berga", area=berga)
        add_date(in_north, people, title="Möte i Norr")
        response, cal = feed(client, omrade="soder")
        assert response["Content-Disposition"] == 'inline; filename="kalendarium-soder.ics"'
        assert "Söder" in str(cal["X-WR-CALNAME"])
        summaries = sorted(str(event["SUMMARY"]) for event in cal.walk("VEVENT"))
        assert summaries == [
            "Beslut väntas – Skolgård",
            "Dialogen pågår – Skolgård",
            "Möte i Berga – Park",
        ]
        assert in_berga.pk and in_north.pk

    def test_an_unknown_area_is_not_found(self, client):
        assert client.get(reverse("dialogues:ical"), {"omrade": "finns-inte"}).status_code == 404

    @freeze_time(TODAY)
    def test_non_public_dialogues_never_appear_in_the_feed(self, client, people):
        waiting = initiative(people, title="Hemligt initiativ")
        add_date(waiting, people, title="Internt möte")
        declined = initiative(people, title="Avslaget initiativ")
        add_date(declined, people, title="Avslaget möte")
        services.dialogue_step(
            dialogue=declined, step="decline", actor=people.chair, end_reason="Ingen budget."
        )
        response, cal = feed(client)
        assert cal.walk("VEVENT") == []
        for secret in ("Hemligt", "Internt", "Avslaget"):
            assert secret.encode() not in response.content

    @freeze_time(TODAY)
    def test_the_feed_reaches_a_year_back_and_two_years_ahead(self, client, people):
        dialogue = approved(people)
        for title, starts_at in (
            ("För länge sedan", at(1, 12, month=9, year=2025)),
            ("Förra hösten", at(20, 12, month=9, year=2025)),
            ("Om två år", at(1, 12, month=9, year=2028)),
            ("För långt fram", at(1, 12, month=10, year=2028)),
        ):
            add_date(dialogue, people, title=title, starts_at=starts_at, ends_at=None)
        summaries = {str(event["SUMMARY"]) for event in feed(client)[1].walk("VEVENT")}
        assert "Förra hösten – Ny skolgård i Berga" in summaries
        assert "Om två år – Ny skolgård i Berga" in summaries
        assert not any(s.startswith(("För länge sedan", "För långt fram")) for s in summaries)
