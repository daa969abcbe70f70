import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own SVG

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.dialogues import selectors, services, yearwheel
from torget.dialogues.models import Dialogue, InitiativeKind, Status
from torget.dialogues.tests.factories import cast, decide, initiative, opened
from torget.geo.tests.factories import AreaFactory
from torget.organisation.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
WHEEL_URL = reverse("dialogues:year_wheel")
PLANS_URL = reverse("dialogues:annual_plans")


@pytest.fixture
def people():
    return cast()


def dated(people, title, start=None, end=None, *, expected=None, **values):
    """A decided (so public) dialogue of special weight, with its dates set in planning."""
    values.setdefault("special_weight", True)
    dialogue = decide(initiative(people, title=title, **values), people)
    dates = {"starts_on": start, "ends_on": end, "decision_expected_on": expected}
    if any(dates.values()):
        services.dialogue_update(dialogue=dialogue, actor=people.official, **dates)
    dialogue.refresh_from_db()
    return dialogue


def wheel(year, dialogues=None, **kwargs):
    return yearwheel.year_wheel(
        dialogues if dialogues is not None else selectors.dialogues_public(), year=year, **kwargs
    )


def months_of(w, dialogue):
    return [m.number for m in w.months if any(e.dialogue == dialogue for e in m.entries)]


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - our own output


def svg_of(page):
    """The wheel's SVG as the page has it, parsed as XML (so it must be well-formed)."""
    match = re.search(r'<svg class="chart year-wheel__svg".*?</svg>', page, re.S)
    assert match, "no year wheel on the page"
    return parse(match[0])


def arcs(svg):
    """The dialogues drawn in the wheel. They are not links: an image (role="img") must not
    hold interactive elements (axe: nested-interactive); the list below has the links."""
    return [g for g in svg.iter(f"{SVG}g") if g.get("data-href")]


def month_section(page, name):
    """The HTML of one month's list, from its heading to the next heading of that level."""
    start = page.index(f">{name}</h3>")
    end = page.find("<h3", start)
    return page[start : end if end != -1 else len(page)]


class TestPlacement:
    def test_a_dialogue_is_on_each_month_it_runs(self, people):
        dialogue = dated(people, "Parkplan", datetime.date(2027, 3, 10), datetime.date(2027, 5, 20))
        w = wheel(2027)
        assert months_of(w, dialogue) == [3, 4, 5]
        assert w.entries[0].period_text() == "10 mars 2027–20 maj 2027"

    def test_a_dialogue_over_new_year_is_in_both_years(self, people):
        dialogue = dated(
            people, "Vinterväghållning", datetime.date(2026, 11, 1), datetime.date(2027, 2, 28)
        )
        autumn, spring = wheel(2026), wheel(2027)
        assert months_of(autumn, dialogue) == [11, 12]
        assert autumn.entries[0].continues_after and not autumn.entries[0].starts_before
        assert months_of(spring, dialogue) == [1, 2]
        assert spring.entries[0].starts_before and not spring.entries[0].continues_after
        assert wheel(2025).count == 0
        assert wheel(2028).count == 0

    def test_without_an_end_it_runs_until_the_decision_is_expected(self, people):
        dialogue = dated(
            people,
            "Ny idrottshall",
            datetime.date(2027, 10, 5),
            expected=datetime.date(2028, 1, 20),
        )
        assert months_of(wheel(2027), dialogue) == [10, 11, 12]
        assert months_of(wheel(2028), dialogue) == [1]

    def test_a_dialogue_over_the_whole_year_is_a_full_ring(self, people):
        dated(people, "Översiktsplan", datetime.date(2026, 12, 1), datetime.date(2028, 1, 31))
        w = wheel(2027)
        assert (w.entries[0].first_month, w.entries[0].last_month) == (1, 12)
        svg = parse(w.svg())
        assert arcs(svg)[0].find(f"{SVG}path").get("fill-rule") == "evenodd"

    def test_one_without_dates_is_listed_as_not_scheduled_in_its_plan_year(self, client, people):
        dated(people, "Dialog utan datum", plan_year=2027)
        w = wheel(2027)
        assert [e.dialogue.title for e in w.undated] == ["Dialog utan datum"] and not w.entries
        assert wheel(2028).count == 0
        page = client.get(WHEEL_URL, {"ar": 2027}).content.decode()
        assert "Dialog utan datum" in month_section(page, "Ej tidsatt")
        assert arcs(svg_of(page)) == []

    def test_only_dialogues_of_special_weight(self, people):
        dated(
            people,
            "Vanlig dialog",
            datetime.date(2027, 4, 1),
            datetime.date(2027, 4, 30),
            special_weight=False,
        )
        assert wheel(2027).count == 0

    def test_overlapping_dialogues_get_rings_of_their_own_and_others_share(self, people):
        a = dated(people, "A", datetime.date(2027, 1, 1), datetime.date(2027, 4, 30))
        b = dated(people, "B", datetime.date(2027, 3, 1), datetime.date(2027, 6, 30))
        c = dated(people, "C", datetime.date(2027, 5, 1), datetime.date(2027, 8, 31))
        rings = {e.dialogue: e.ring for e in wheel(2027).entries}
        assert rings[a] != rings[b] and rings[b] != rings[c]
        assert rings[a] == rings[c]  # A ends in April, C starts in May
        assert wheel(2027).rings == 2

    def test_the_default_year_is_this_year(self, client, people):
        this_year = timezone.localdate().year
        dated(people, "I år", datetime.date(this_year, 6, 1), datetime.date(this_year, 6, 30))
        response = client.get(WHEEL_URL)
        assert response.context["wheel"].year == this_year
        assert "I år" in month_section(response.content.decode(), "Juni")


class TestPublicWheel:
    def test_the_page_shows_the_wheel_and_the_list_by_month(self, client, people):
        dialogue = dated(people, "Parkplan", datetime.date(2027, 3, 10), datetime.date(2027, 5, 20))
        response = client.get(WHEEL_URL, {"ar": 2027})
        assert response.status_code == 200
        page = response.content.decode()
        for month in ("Mars", "April", "Maj"):
            assert dialogue.get_absolute_url() in month_section(page, month)
        for month in ("Februari", "Juni"):
            assert "Parkplan" not in month_section(page, month)

    def test_drafts_and_declined_initiatives_never_appear(self, client, people):
        initiative(people, title="Hemligt initiativ", special_weight=True, plan_year=2027)
        declined = initiative(
            people, title="Avslaget initiativ", special_weight=True, plan_year=2027
        )
        services.dialogue_step(
            dialogue=declined, step="decline", actor=people.chair, end_reason="Nej"
        )
        dated(people, "Beslutad dialog", plan_year=2027)
        page = client.get(WHEEL_URL, {"ar": 2027}).content.decode()
        assert "Beslutad dialog" in page
        assert "Hemligt initiativ" not in page and "Avslaget initiativ" not in page
        # …and not to a member of staff on the public page either.
        client.force_login(people.official)
        page = client.get(WHEEL_URL, {"ar": 2027}).content.decode()
        assert "Hemligt initiativ" not in page and "Beslutad dialog" in page

    def test_the_svg_is_well_formed_with_a_title_and_link_per_arc(self, client, people):
        dialogues = [
            dated(
                people, "Parkplan & torg", datetime.date(2027, 3, 10), datetime.date(2027, 5, 20)
            ),
            dated(
                people, "Skolstruktur <ny>", datetime.date(2027, 4, 1), datetime.date(2027, 9, 30)
            ),
            dated(
                people, "Vinterväghållning", datetime.date(2026, 11, 1), datetime.date(2027, 2, 1)
            ),
        ]
        svg = svg_of(client.get(WHEEL_URL, {"ar": 2027}).content.decode())
        assert svg.get("role") == "img"
        labelled_by = svg.get("aria-labelledby").split()
        assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == labelled_by
        assert "3 tidsatta dialoger" in svg.find(f"{SVG}desc").text
        links = arcs(svg)
        assert len(links) == 3
        titles = {a.find(f"{SVG}title").text: a.get("data-href") for a in links}
        for dialogue in dialogues:
            (title,) = [t for t in titles if dialogue.title in t]
            assert titles[title] == dialogue.get_absolute_url()
            assert "Beslutad" in title
        labels = [t.text for t in svg.findall(f".//{SVG}g[@class='year-wheel__months']/{SVG}text")]
        assert labels == [
            "2027",
            "jan",
            "feb",
            "mar",
            "apr",
            "maj",
            "jun",
            "jul",
            "aug",
            "sep",
            "okt",
            "nov",
            "dec",
        ]

    def test_the_list_has_the_same_dialogues_as_the_wheel(self, client, people):
        for n, month in enumerate((2, 5, 5, 9), start=1):
            dated(
                people, f"Dialog {n}", datetime.date(2027, month, 1), datetime.date(2027, month, 28)
            )
        dated(people, "Ännu ej tidsatt", plan_year=2027)
        page = client.get(WHEEL_URL, {"ar": 2027}).content.decode()
        in_wheel = {a.get("data-href") for a in arcs(svg_of(page))}
        listed = set(
            re.findall(
                r'<li data-dialogue="\d+">\s*(?:<span[^>]*>\d+\.</span>\s*)?<a href="([^"]+)"', page
            )
        )
        undated = Dialogue.objects.get(title="Ännu ej tidsatt").get_absolute_url()
        assert len(in_wheel) == 4
        assert listed == in_wheel | {undated}

    def test_colour_is_not_the_only_cue(self, people):
        dated(people, "Planerad", datetime.date(2027, 3, 1), datetime.date(2027, 4, 1))
        opened(people, title="Pågående", special_weight=True)  # factory dates: Oct–Nov 2026
        svg = parse(wheel(2026).svg())
        patterns = {p.get("id") for p in svg.findall(f".//{SVG}pattern")}
        assert patterns == {"arshjul-pagar"}
        (number,) = [t.text for t in arcs(svg)[0].findall(f"{SVG}text")]
        assert number == "1"

    def test_filter_by_body(self, client, people):
        other = cast()
        dated(people, "Vårt organs dialog", datetime.date(2027, 3, 1), datetime.date(2027, 4, 1))
        dated(other, "Andra organets dialog", datetime.date(2027, 3, 1), datetime.date(2027, 4, 1))
        page = client.get(WHEEL_URL, {"ar": 2027, "organ": people.body.slug}).content.decode()
        assert "Vårt organs dialog" in page and "Andra organets dialog" not in page

    def test_filter_by_area_includes_the_areas_within(self, client, people):
        town = AreaFactory()
        district = AreaFactory(parent=town)
        block = AreaFactory(parent=district)
        elsewhere = AreaFactory()
        when = (datetime.date(2027, 3, 1), datetime.date(2027, 4, 1))
        dated(people, "I kvarteret", *when, areas=[block])
        dated(people, "I staden", *when, areas=[town])
        dated(people, "Någon annanstans", *when, areas=[elsewhere])
        page = client.get(WHEEL_URL, {"ar": 2027, "omrade": town.slug}).content.decode()
        assert "I kvarteret" in page and "I staden" in page and "Någon annanstans" not in page
        page = client.get(WHEEL_URL, {"ar": 2027, "omrade": district.slug}).content.decode()
        assert "I kvarteret" in page and "I staden" not in page

    def test_a_bad_filter_is_explained(self, client):
        response = client.get(WHEEL_URL, {"ar": "tjugo", "organ": "finns-inte"})
        assert response.status_code == 200
        assert response.context["wheel"] is None
        assert 'class="error-summary"' in response.content.decode()

    def test_the_print_stylesheet_is_linked_for_print(self, client):
        page = client.get(WHEEL_URL).content.decode()
        assert re.search(
            r'<link rel="stylesheet" href="[^"]*dialogues/print\.css" media="print">', page
        )
        css = open(finders.find("dialogues/print.css")).read()  # noqa: SIM115
        assert ".site-header" in css and "form" in css

    def test_queries_do_not_grow_with_the_number_of_dialogues(self, client, people):
        area = AreaFactory()
        dated(people, "Första", datetime.date(2027, 3, 1), datetime.date(2027, 4, 1), areas=[area])
        with CaptureQueriesContext(connection) as one:
            client.get(WHEEL_URL, {"ar": 2027})
        for n in range(4):
            dated(
                cast(),
                f"Fler {n}",
                datetime.date(2027, 5, 1),
                datetime.date(2027, 6, 1),
                areas=[area],
            )
        with CaptureQueriesContext(connection) as five:
            client.get(WHEEL_URL, {"ar": 2027})
        assert len(five) == len(one)


# --- Annual plans ----------------------------------------------------------------------------


@pytest.fixture
def administration():
    return AdministrationFactory()


def planned(people, administration, title, priority, year=2027, **values):
    return services.dialogue_initiate(
        actor=people.official,
        title=title,
        summary="En dialog i verksamhetsplanen.",
        initiative_kind=InitiativeKind.OFFICIALS,
        administration=administration,
        plan_year=year,
        plan_priority=priority,
        **values,
    )


class TestAnnualPlans:
    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.get(PLANS_URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_citizens_are_refused(self, client):
        client.force_login(CitizenFactory())
        assert client.get(PLANS_URL).status_code == 403

    @pytest.mark.parametrize("role", [Role.OFFICIAL, Role.ELECTED, Role.CONTACT_CENTRE])
    def test_staff_see_the_plans(self, client, role):
        client.force_login(user_with_role(role))
        assert client.get(PLANS_URL).status_code == 200

    def test_each_administrations_dialogues_by_priority(self, client, people, administration):
        other = AdministrationFactory()
        planned(people, administration, "Tredje", 3)
        planned(people, administration, "Utan prioritet", None)
        planned(people, administration, "Första", 1)
        planned(people, administration, "Andra", 2, special_weight=True)
        planned(people, other, "Annan förvaltnings", 1)
        planned(people, administration, "Nästa år", 1, year=2028)
        client.force_login(people.official)
        response = client.get(PLANS_URL, {"ar": 2027, "forvaltning": administration.slug})
        (plan,) = response.context["plans"]
        assert plan.administration == administration
        assert [d.title for d in plan.dialogues] == ["Första", "Andra", "Tredje", "Utan prioritet"]
        page = response.content.decode()
        assert page.index(">Första</a>") < page.index(">Andra</a>") < page.index(">Tredje</a>")
        assert "Annan förvaltnings" not in page and "Nästa år" not in page
        assert "Initiativ" in page and "Ja, i årshjulet" in page

    def test_all_administrations_by_default(self, client, people, administration):
        planned(people, administration, "Vår", 1)
        planned(people, AdministrationFactory(), "Deras", 1)
        client.force_login(people.official)
        page = client.get(PLANS_URL, {"ar": 2027}).content.decode()
        assert "Vår" in page and "Deras" in page

    def test_the_staff_wheel_shows_initiatives_too(self, client, people, administration):
        planned(people, administration, "Ett initiativ", 1, special_weight=True)
        client.force_login(people.official)
        page = client.get(PLANS_URL, {"ar": 2027}).content.decode()
        assert "year-wheel__svg" not in page  # only on request
        response = client.get(PLANS_URL, {"ar": 2027, "hjul": "1"})
        wheel_html = response.content.decode().split('id="wheel-heading"')[1]
        assert "Ett initiativ" in month_section(wheel_html, "Ej tidsatt")
        assert Dialogue.objects.get(title="Ett initiativ").staff_url() in wheel_html
        assert "Ett initiativ" not in client.get(WHEEL_URL, {"ar": 2027}).content.decode()

    def test_the_staff_wheel_filters_by_initiating_body(self, client, people):
        initiative(people, title="Organets initiativ", special_weight=True, plan_year=2027)
        initiative(cast(), title="Annat organ", special_weight=True, plan_year=2027)
        client.force_login(people.official)
        response = client.get(PLANS_URL, {"ar": 2027, "hjul": "1", "organ": people.body.slug})
        titles = [e.dialogue.title for e in response.context["wheel"].undated]
        assert titles == ["Organets initiativ"]

    def test_csv_export_in_priority_order(self, client, people, administration):
        planned(people, administration, "=Andra", 2)
        planned(people, administration, "Första", 1)
        client.force_login(people.official)
        response = client.get(PLANS_URL, {"ar": 2027, "format": "csv"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][:3] == ["Förvaltning", "Prioritet", "Dialog"]
        assert [row[2] for row in rows[1:]] == ["Första", "'=Andra"]
        assert rows[1][4] == Status.INITIATIVE.label

    def test_the_csv_is_for_staff_only(self, client):
        client.force_login(CitizenFactory())
        assert client.get(PLANS_URL, {"format": "csv"}).status_code == 403
