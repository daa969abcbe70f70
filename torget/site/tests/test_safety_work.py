"""The safety inspections on the public pages: /trygghet/ invites to the coming walks and
lists the actions done, an area's page shows its latest and next walk, and nothing about a
person reaches any of them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from torget.councils.tests.factories import coordinator, member, place, safety_council
from torget.inspections import services
from torget.inspections.models import ActionStatus
from torget.inspections.tests.factories import inspection
from torget.inspections.tests.test_protocol import _done

pytestmark = pytest.mark.django_db

SAFETY = reverse("core:safety")
# What the fixtures hold about persons: none of it may reach a public page.
PERSONAL = (
    "Samordnarsson",
    "Boendesson",
    "bengt.boende@example.se",
    "070-123 45 67",
    "Anna Berg",
    "Olle Ansvarig",
)


def _assert_nothing_personal(html, actor):
    for personal in (*PERSONAL, actor.email):
        assert personal not in html, personal


def _section(html, key):
    """The text of one safety work section of /trygghet/."""
    start = html.index(f'id="{key}"')
    return html[start : html.index("</section>", start)]


def _council():
    actor = coordinator()
    where = place()
    council = safety_council(where, actor)
    member(council, actor)  # Anna Berg, Polisen
    member(
        council,
        actor,
        name="Bengt Boendesson",
        organisation="Bostadsrättsföreningen Gläntan",
        role="Boende",
        represents="boende",
        email="bengt.boende@example.se",
        phone="070-123 45 67",
    )
    return actor, where, council


class TestComingInspections:
    def test_a_planned_walk_invites_with_time_place_description_and_route(self, client):
        actor, where, council = _council()
        day = timezone.localdate() + datetime.timedelta(days=5)
        inspection(
            council,
            day,
            actor,
            starts_at=datetime.time(18, 30),
            meeting_point="Utanför biblioteket",
            description="Vi går förbi skolan och gångtunneln.",
            route={"type": "LineString", "coordinates": [[15.6, 58.4], [15.7, 58.5]]},
        )
        html = client.get(SAFETY).content.decode()
        coming = _section(html, "coming-inspections")
        assert "Gå med oss!" in coming
        for text in (
            where.district.name,
            council.name,
            day.isoformat(),
            "18:30",
            "Utanför biblioteket",
            "Vi går förbi skolan och gångtunneln.",
            "58.4, 15.6 → 58.5, 15.7",
        ):
            assert text in coming, text
        assert "Här kommer du att se när och var" not in coming
        _assert_nothing_personal(html, actor)

    def test_past_walks_and_cancelled_ones_far_ahead_are_not_shown(self, client):
        actor, _where, council = _council()
        today = timezone.localdate()
        inspection(council, today - datetime.timedelta(days=1), actor, meeting_point="Igår")
        far = inspection(council, today + datetime.timedelta(days=40), actor, meeting_point="Sen")
        services.inspection_cancel(actor=actor, inspection=far, reason="Flyttad")
        coming = _section(client.get(SAFETY).content.decode(), "coming-inspections")
        assert "Igår" not in coming and "Sen" not in coming
        assert "Här kommer du att se när och var" in coming

    def test_a_walk_cancelled_in_the_coming_days_is_marked_without_its_reason(self, client):
        actor, _where, council = _council()
        soon = inspection(
            council,
            timezone.localdate() + datetime.timedelta(days=3),
            actor,
            meeting_point="Torget",
        )
        services.inspection_cancel(actor=actor, inspection=soon, reason="Bengt är sjuk")
        coming = _section(client.get(SAFETY).content.decode(), "coming-inspections")
        assert "Torget" in coming
        assert "Besiktningen är inställd." in coming
        assert "sjuk" not in coming


class TestActionsDone:
    def _done_action(self, name="Centrum", *, publish=True, status="complete"):
        actor, where, walk, finding = _done(place(name))
        action = finding.actions.get()
        action.responsible = "Olle Ansvarig"
        action.save()
        services.action_step(actor=actor, action=action, step=status)
        if publish:
            services.protocol_publish(actor=actor, inspection=walk)
        return actor, walk, action

    def test_a_done_action_of_a_published_protocol_is_listed_without_who(self, client):
        actor, walk, action = self._done_action()
        assert action.status == ActionStatus.DONE
        html = client.get(SAFETY).content.decode()
        done = _section(html, "actions-done")
        for text in ("Belysning", "Gångtunneln", "Byt lamporna", "förvaltning", walk.public_url()):
            assert text in done, text
        _assert_nothing_personal(html, actor)

    def test_actions_not_done_or_not_published_are_not_listed(self, client):
        self._done_action(publish=False)
        self._done_action("Norr", status="agree")
        done = _section(client.get(SAFETY).content.decode(), "actions-done")
        assert "Byt lamporna" not in done
        assert "Här kommer du att se åtgärderna" in done


class TestAreaPage:
    def test_the_latest_walk_links_its_public_protocol_and_the_next_invites(self, client):
        actor, where, walk, _finding = _done()
        url = where.district.get_absolute_url()
        html = client.get(url).content.decode()
        assert "Protokollet publiceras när det är klart." in html
        assert walk.public_url() not in html
        services.protocol_publish(actor=actor, inspection=walk)
        coming = inspection(
            walk.council,
            timezone.localdate() + datetime.timedelta(days=9),
            actor,
            meeting_point="Vid skolan",
        )
        html = client.get(url).content.decode()
        assert walk.public_url() in html
        assert "Vid skolan" in html
        assert f"{SAFETY}#besiktning-{coming.pk}" in html
        _assert_nothing_personal(html, actor)

    def test_an_area_without_walks_says_what_will_come(self, client):
        _actor, where, _ = _council()
        html = client.get(where.district.get_absolute_url()).content.decode()
        assert "Här kommer områdets senaste trygghetsbesiktning att visas" in html

    def test_another_areas_walk_is_not_shown(self, client):
        _actor, _where, walk, _finding = _done()
        other = place("Söder")
        safety_council(other)
        html = client.get(other.district.get_absolute_url()).content.decode()
        assert "Den senaste trygghetsbesiktningen" not in html


def test_the_council_body_page_shows_members_as_organisation_and_role(client):
    actor, _where, council = _council()
    html = client.get(council.body.get_absolute_url()).content.decode()
    assert "Vilka som är med i rådet" in html
    for text in ("Polisen", "Områdespolis", "Bostadsrättsföreningen Gläntan"):
        assert text in html, text
    assert council.get_absolute_url() in html
    # The body has no elected seats: no empty "Ledamöter och ersättare" for a council.
    assert "Inga ledamöter är inlagda ännu." not in html
    _assert_nothing_personal(html, actor)


def test_the_body_page_of_an_utskott_has_no_council_section(client):
    where = place()
    html = client.get(where.utskott.get_absolute_url()).content.decode()
    assert "Vilka som är med i rådet" not in html
    assert "Ledamöter och ersättare" in html


def test_walks_are_in_the_calendar_feed_and_a_cancelled_one_is_marked(client):
    import icalendar

    actor, where, council = _council()
    today = timezone.localdate()
    walk = inspection(
        council, today + datetime.timedelta(days=5), actor, starts_at=datetime.time(18, 30)
    )
    off = inspection(council, today + datetime.timedelta(days=6), actor, meeting_point="Torget")
    services.inspection_cancel(actor=actor, inspection=off, reason="Bengt Boendesson är sjuk")
    response = client.get(reverse("dialogues:ical"))
    events = {
        str(event["uid"]).split("@")[0]: event
        for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    entry = events[f"inspection-{walk.pk}"]
    assert str(entry["summary"]) == f"Trygghetsbesiktning i {where.district.name}"
    assert str(entry["location"]) == "Vid centrumtorget"
    assert entry.decoded("dtstart").hour == 18
    assert str(events[f"inspection-{off.pk}"]["status"]) == "CANCELLED"
    _assert_nothing_personal(response.content.decode(), actor)
    # /trygghet/ points to the feed.
    assert reverse("dialogues:ical") in _section(
        client.get(SAFETY).content.decode(), "coming-inspections"
    )


def test_the_demo_invites_to_walks_and_shows_actions_done(client, demo):
    html = client.get(SAFETY).content.decode()
    assert 'id="besiktning-' in _section(html, "coming-inspections")
    done = _section(html, "actions-done")
    assert "Här kommer du att se åtgärderna" not in done
    assert "/trygghet/besiktningar/" in done
