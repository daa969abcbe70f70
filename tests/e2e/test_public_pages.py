"""Every public page of the demo municipality meets WCAG 2.1 A/AA as far as axe-core can tell,
reflows at 320 px and can be skipped through by keyboard."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from e2e_helpers import assert_accessible

from torget.site.tests.test_views import PUBLIC_PAGES as ALL_PUBLIC_PAGES

# The unit tests' list of public pages, plus pages that need the demo's data.
PUBLIC_PAGES = [
    *ALL_PUBLIC_PAGES,
    "/om/organisation/kommunstyrelsen/",
    "/omraden/berga/",
    # An area with its utskott, its members and meetings, and an utskott's own page.
    "/omraden/utskottsomrade-centrum/",
    "/om/organisation/utskott-for-medborgardialog-centrum/",
    "/trygghet/rad/",
    "/trygghet/rad/trygghetsradet-innerstaden/",
    "/trygghet/rad/ljungsbro-narrad/",
    # The survey trends and the citizens' promise (/trygghet/ is in the unit tests' list);
    # an area with its council and survey trends.
    "/omraden/skaggetorp/",
    "/trygghet/medborgarlofte/",
    # A council's own body, with the council's members as organisation and role.
    "/om/organisation/rad-trygghetsradet-innerstaden/",
]


def _demo_survey():
    from torget.surveys.demo import TITLE
    from torget.surveys.models import Survey

    return Survey.objects.get(title=TITLE)


def _demo_consultation_path() -> str:
    from torget.consultations.models import Consultation

    consultation = Consultation.objects.get(title="Vilken lekplats ska byggas på skolgården?")
    return reverse("consultations:detail", args=[consultation.dialogue_id, consultation.pk])


def _demo_forum():
    from torget.forum.demo import TITLE
    from torget.forum.models import Forum

    return Forum.objects.get(title=TITLE)


def _demo_forum_thread_path() -> str:
    # The citizen's own thread, with a quote, a hidden post and agrees.
    return _demo_forum().threads.get(title="Cykelställ med tak").get_absolute_url()


def _demo_map():
    from torget.mapinput.demo import TITLE
    from torget.mapinput.models import Map

    return Map.objects.get(title=TITLE)


def _demo_map_point_path() -> str:
    return (
        _demo_map()
        .points.filter(status="publicerad")
        .order_by("-agree_count")[0]
        .get_absolute_url()
    )


def _demo_budget_round(which: str):
    from torget.budget.demo import ROUND_DONE, ROUND_VOTING
    from torget.budget.models import BudgetRound

    return BudgetRound.objects.get(title=ROUND_VOTING if which == "voting" else ROUND_DONE)


# Pages whose address holds a demo object's id: resolved once the demo is loaded.
DEMO_OBJECT_PAGES: dict[str, Callable[[], str]] = {
    # The demo's published survey, open now, and its results page (not public until the
    # survey has closed and its summary is published: the page says so).
    "survey": lambda: reverse("surveys:public_detail", args=[_demo_survey().pk]),
    "survey-results": lambda: reverse("surveys:results_public", args=[_demo_survey().pk]),
    # The demo's open consultation between three playgrounds.
    "consultation": _demo_consultation_path,
    # The demo's web forum, a thread in it, and the forum's rules.
    "forum": lambda: _demo_forum().get_absolute_url(),
    "forum-thread": _demo_forum_thread_path,
    "forum-rules": lambda: reverse("forum:rules"),
    # The demo's map, its accessible list and its most agreed point.
    "map": lambda: _demo_map().get_absolute_url(),
    "map-list": lambda: reverse("mapinput:list", args=[_demo_map().dialogue_id, _demo_map().pk]),
    "map-point": _demo_map_point_path,
    # The demo's citizen budget in Berga: the round open for voting and its ideas, and the
    # decided round's result and its projects in every state of implementation.
    "budget-round": lambda: _demo_budget_round("voting").get_absolute_url(),
    "budget-ideas": lambda: reverse("budget:ideas", args=[_demo_budget_round("voting").pk]),
    "budget-result": lambda: reverse("budget:result", args=[_demo_budget_round("done").pk]),
    "budget-projects": lambda: reverse("budget:projects", args=[_demo_budget_round("done").pk]),
}


def _resolve(path: str | Callable[[], str]) -> str:
    return path() if callable(path) else path


# A page with a known violation waiting for its template fix: path -> "rule: element; fix".
# Its case becomes xfail(strict=True), so the fix makes it fail until the entry is removed.
KNOWN_VIOLATIONS: dict[str, str] = {}


def _cases():
    for path in PUBLIC_PAGES:
        if path in KNOWN_VIOLATIONS:
            yield pytest.param(
                path, marks=pytest.mark.xfail(strict=True, reason=KNOWN_VIOLATIONS[path])
            )
        else:
            yield path
    for name, resolve in DEMO_OBJECT_PAGES.items():
        yield pytest.param(resolve, id=name)


@pytest.mark.parametrize("path", list(_cases()))
def test_public_page_is_accessible(page, base_url, demo, path):
    path = _resolve(path)
    response = page.goto(base_url + path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1, f"{path} should have exactly one h1"
    assert page.title().strip(), f"{path} has no title"
    assert_accessible(page)


def test_the_not_found_page_is_accessible_and_in_swedish(page, base_url, demo):
    response = page.goto(base_url + "/finns-inte/")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Sidan finns inte"
    assert_accessible(page)


def test_signup_form_with_errors_is_accessible(page, base_url, demo):
    page.goto(base_url + "/konto/registrera/")
    page.get_by_role("button", name="Skapa konto").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Det finns fel i formuläret" in summary.inner_text()
    assert "fel i formuläret" in page.title()
    assert_accessible(page)


class TestReflow:
    """WCAG 1.4.10: content reflows to 320 CSS pixels without scrolling sideways."""

    @pytest.fixture
    def browser_context_args(self):
        return {"locale": "sv-SE", "viewport": {"width": 320, "height": 640}}

    def test_home_page_has_no_horizontal_scrolling_at_320_px(self, page, base_url, demo):
        page.goto(base_url + "/")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320, (
            f"The home page is {scroll_width} px wide at a 320 px viewport: it scrolls "
            f"sideways. Widest elements: {_widest_elements(page)}"
        )
        assert page.get_by_role("link", name="Hoppa till innehållet").count() == 1
        assert_accessible(page)

    def test_no_public_page_scrolls_sideways_at_320_px(self, page, base_url, demo):
        # One browser visit per page under one demo load: cheap enough to cover them all.
        too_wide = {}
        for path in [*PUBLIC_PAGES, *map(_resolve, DEMO_OBJECT_PAGES.values())]:
            page.goto(base_url + path)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > 320:
                too_wide[path] = f"{scroll_width} px; {_widest_elements(page)}"
        page.goto(base_url + "/konto/registrera/")
        page.get_by_role("button", name="Skapa konto").click()
        page.get_by_role("alert").wait_for()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > 320:
            too_wide["/konto/registrera/ (with errors)"] = (
                f"{scroll_width} px; {_widest_elements(page)}"
            )
        assert not too_wide, f"Pages wider than a 320 px viewport: {too_wide}"


def _widest_elements(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .slice(0, 5)
            .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`)"""
    )


class TestKeyboard:
    def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(self, page, base_url, demo):
        page.goto(base_url + "/")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})"
        )
        assert focused == {"text": "Hoppa till innehållet", "href": "#main"}
        # WCAG 2.4.7: the focused skip link is on screen, not only in the accessibility tree.
        box = page.get_by_role("link", name="Hoppa till innehållet").bounding_box()
        assert box is not None and box["y"] >= 0 and box["x"] >= 0, f"skip link off screen: {box}"
        assert box["width"] > 1 and box["height"] > 1, f"skip link too small to see: {box}"

        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
        assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_language_switch_sets_html_lang(page, base_url, demo):
    page.goto(base_url + "/om/")
    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url == base_url + "/om/"
    assert_accessible(page)
