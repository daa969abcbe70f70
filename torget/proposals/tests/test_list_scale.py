"""The public proposal list at scale (issue 22): pages that neither skip nor repeat in every
order, a list at most LIST_MAX_ROWS deep with an estimated count beyond it, a fixed number of
queries whatever the page size, and the cached counts and pages dropped when a proposal
changes. bench/proposal_list.py measures the same list at 100,000 proposals."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from torget.geo.tests.factories import AreaFactory
from torget.organisation.tests.factories import TopicFactory
from torget.proposals import selectors, services
from torget.proposals.models import PUBLIC_STATUSES, Outcome, Proposal, Status
from torget.proposals.tests.factories import ProposalFactory, SigningProposalFactory, SupportFactory

pytestmark = pytest.mark.django_db

LIST = "/forslag/"
CARD = 'class="card proposal-card"'


def analyze() -> None:
    """Fresh statistics for PostgreSQL's estimates (autovacuum's job in production)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE proposals_proposal")


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def many():
    """47 public proposals in every public status, with ties in every sort key, in two
    categories and two areas; some hidden, one under review (none of those listed)."""
    now = timezone.now()
    today = timezone.localdate()
    topics = [TopicFactory(slug="parker"), TopicFactory(slug="trafik")]
    areas = [AreaFactory(slug="norr"), AreaFactory(slug="soder")]
    statuses = sorted(PUBLIC_STATUSES)
    for n in range(47):
        SigningProposalFactory(
            title=f"Förslag om cykelbana {n:02d}" if n % 3 else f"Parkbänk {n:02d}",
            body="Bygg en cykelbana." if n % 2 else "Fler bänkar i parken.",
            status=Status.SIGNING if n % 2 else statuses[n % len(statuses)],
            outcome=Outcome.ANSWERED,
            topic=topics[n % 2],
            area=areas[n % 3 % 2] if n % 5 else None,
            published_at=now - datetime.timedelta(hours=n * 7 % 5),  # many ties
            support_count=n * 13 % 4,  # many ties
            signing_ends_on=today + datetime.timedelta(days=n % 3),  # many ties
            hidden_at=now if n % 11 == 0 else None,
        )
    ProposalFactory(title="Förslag om cykelbana under granskning")
    return {"topic": topics[0], "area": areas[0]}


KINDS = {
    "newest": {},
    "most supported": {"sort": selectors.SORT_SUPPORTS},
    "closing soon": {"sort": selectors.SORT_ENDING},
    "one status": {"status": Status.SIGNING},
    "one category": {"topic": "topic"},
    "one category, most supported": {"topic": "topic", "sort": selectors.SORT_SUPPORTS},
    "one area": {"area": "area"},
    "search": {"q": "cykelbana"},
    "search, newest": {"q": "cykelbana", "sort": selectors.SORT_NEWEST},
}


def filters_of(kind: str, many) -> dict:
    return {
        key: many[value] if key in ("topic", "area") else value
        for key, value in KINDS[kind].items()
    }


def titles(items) -> list[str]:
    return [proposal.title for proposal in items]


class TestPages:
    @pytest.mark.parametrize("kind", KINDS)
    def test_pages_neither_skip_nor_repeat_ties_included(self, many, kind):
        filters = filters_of(kind, many)
        expected = titles(selectors.proposals_public(**filters))
        assert expected and "Förslag om cykelbana under granskning" not in expected
        seen: list[str] = []
        first = selectors.proposals_public_page(number=1, per_page=7, **filters)
        for number in first.paginator.page_range:
            page = selectors.proposals_public_page(number=number, per_page=7, **filters)
            seen.extend(titles(page))
        assert seen == expected
        assert len(set(seen)) == len(seen)
        assert first.paginator.total == len(expected) and not first.paginator.estimated

    def test_each_order(self, many):
        newest = list(selectors.proposals_public())
        assert all(
            (a.published_at, a.pk) > (b.published_at, b.pk)
            for a, b in zip(newest, newest[1:], strict=False)
        )
        supported = list(selectors.proposals_public(sort=selectors.SORT_SUPPORTS))
        keys = [(p.support_count, p.published_at, p.pk) for p in supported]
        assert keys == sorted(keys, reverse=True)
        ending = list(selectors.proposals_public(sort=selectors.SORT_ENDING))
        assert {p.status for p in ending} == {Status.SIGNING}
        keys = [(p.signing_ends_on, -p.pk) for p in ending]
        assert keys == sorted(keys)

    def test_the_list_goes_no_deeper_than_its_cap(self, many, monkeypatch):
        monkeypatch.setattr(selectors, "LIST_MAX_ROWS", 12)
        analyze()
        everything = titles(selectors.proposals_public())
        assert len(everything) == 42
        first = selectors.proposals_public_page(number=1, per_page=5)
        paginator = first.paginator
        assert (paginator.count, paginator.num_pages) == (12, 3)
        assert paginator.capped and paginator.estimated
        # SQLite counts; PostgreSQL's planner estimates (never below the rows the list shows).
        assert paginator.total == 42 if connection.vendor == "sqlite" else 12 <= paginator.total
        pages = [selectors.proposals_public_page(number=n, per_page=5) for n in (1, 2, 3)]
        assert [t for page in pages for t in titles(page)] == everything[:12]
        # A page beyond the cap (an old link to page 2000) is the last page.
        deep = selectors.proposals_public_page(number=2000, per_page=5)
        assert deep.number == 3 and titles(deep) == everything[10:12]

    def test_rounded_estimates(self):
        assert [selectors._rounded(n) for n in (7, 42, 999, 1234, 90_123, 123_456)] == [
            7,
            42,
            1000,
            1200,
            90_000,
            120_000,
        ]


class TestPage:
    def test_counts_and_pages(self, client, many):
        html = html_of(client.get(LIST))
        assert "42 förslag" in html and "Cirka" not in html
        assert html.count(CARD) == 20
        assert "Sida 1 av 3" in html
        assert 'aria-label="Sidor"' in html and 'rel="next"' in html
        html = html_of(client.get(LIST, {"sida": 3}))
        assert html.count(CARD) == 2 and 'rel="prev"' in html and 'rel="next"' not in html
        assert 'id="list-depth"' not in html

    def test_beyond_the_cap_an_estimate_and_a_prompt_to_search(self, client, many, monkeypatch):
        monkeypatch.setattr(selectors, "LIST_MAX_ROWS", 30)
        analyze()
        html = html_of(client.get(LIST))
        assert re.search(r"Cirka \d+ förslag", html)
        if connection.vendor == "sqlite":
            assert "Cirka 42 förslag" in html
        assert "Sida 1 av 2" in html and 'id="list-depth"' not in html
        for old_link in ("2", "2000"):
            html = html_of(client.get(LIST, {"sida": old_link}))
            assert html.count(CARD) == 10
            assert 'id="list-depth"' in html and "Sök eller filtrera för att hitta fler." in html
            assert 'href="#id_q"' in html and 'id="id_q"' in html
        html = html_of(client.get(LIST, {"q": "cykelbana"}))
        assert "förslag matchar" in html

    @pytest.mark.parametrize(
        "bad", ["abc", "-3", "0", "9" * 40, "1.5", "1e9", "2;DROP", "sida", " "]
    )
    def test_bad_page_numbers_give_a_page_never_an_error(self, client, many, bad):
        html = html_of(client.get(LIST, {"sida": bad, "sortera": "mest-stod"}))
        assert html.count(CARD) in (20, 2)

    def test_a_null_byte_is_a_clear_400(self, client, many):
        assert client.get(LIST, {"sida": "\x00"}).status_code == 400

    @override_settings(PROPOSALS_LIST_CACHE_SECONDS=0)
    @pytest.mark.parametrize("kind", KINDS)
    def test_at_most_ten_queries_for_every_kind_of_list(self, client, many, kind):
        params = {
            {"topic": "kategori", "area": "omrade", "sort": "sortera"}.get(key, key): (
                value.slug if hasattr(value, "slug") else value
            )
            for key, value in filters_of(kind, many).items()
        }
        for number in ("1", "2"):
            with CaptureQueriesContext(connection) as captured:
                html_of(client.get(LIST, {**params, "sida": number}))
            assert len(captured) <= 10, [q["sql"][:120] for q in captured.captured_queries]

    def test_a_cached_page_needs_few_queries(self, client, many):
        client.get(LIST, {"kategori": "parker", "sortera": "mest-stod"})
        with CaptureQueriesContext(connection) as captured:
            html = html_of(client.get(LIST, {"kategori": "parker", "sortera": "mest-stod"}))
        assert html.count(CARD) == 20
        # The municipality, the category named in the address, the filters' choices.
        assert len(captured) <= 4


class TestQueriesConstantInPageSize:
    @pytest.mark.parametrize("kind", KINDS)
    def test_same_queries_for_20_and_100_per_page(self, many, kind):
        filters = filters_of(kind, many)

        def queries(per_page: int) -> int:
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                page = selectors.proposals_public_page(number=1, per_page=per_page, **filters)
                [(p.title, p.topic.name, p.area and p.area.name) for p in page]
                assert page.paginator.total > 0
            return len(captured)

        small, large = queries(20), queries(100)
        assert small == large <= 6


class TestCache:
    def test_a_new_proposal_shows_at_once(self, client):
        SigningProposalFactory(title="Första förslaget")
        html = html_of(client.get(LIST))
        assert "1 förslag" in html
        SigningProposalFactory(title="Andra förslaget")
        html = html_of(client.get(LIST))
        assert "Andra förslaget" in html and "2 förslag" in html

    def test_the_page_is_cached_until_something_changes(self, client):
        proposal = SigningProposalFactory(title="Ett förslag")
        assert "Ett förslag" in html_of(client.get(LIST))
        # An UPDATE sends no signal: the cached page still shows the old title...
        Proposal.objects.filter(pk=proposal.pk).update(title="Nytt namn")
        assert "Ett förslag" in html_of(client.get(LIST))
        # ...until a proposal is saved (here another one is hidden).
        other = SigningProposalFactory(title="Ett annat")
        other.hidden_at = timezone.now()
        other.save()
        html = html_of(client.get(LIST))
        assert "Nytt namn" in html and "Ett annat" not in html

    def test_counted_supports_show_after_the_periodic_count(self, client):
        proposal = SigningProposalFactory(title="Stöd mig")
        assert "0 av 50 stöd" in html_of(client.get(LIST))
        SupportFactory(proposal=proposal)
        SupportFactory(proposal=proposal)
        services.support_counts_refresh()
        assert "2 av 50 stöd" in html_of(client.get(LIST, {}))
        assert "2 av 50 stöd" in html_of(client.get(LIST, {"sortera": "mest-stod"}))

    def test_a_deleted_proposal_goes(self, client):
        proposal = SigningProposalFactory(title="Borta snart")
        assert "Borta snart" in html_of(client.get(LIST))
        proposal.delete()
        assert "Borta snart" not in html_of(client.get(LIST))

    @override_settings(PROPOSALS_LIST_CACHE_SECONDS=0)
    def test_without_the_cache_every_request_reads(self, client):
        proposal = SigningProposalFactory(title="Ett förslag")
        assert "Ett förslag" in html_of(client.get(LIST))
        Proposal.objects.filter(pk=proposal.pk).update(title="Nytt namn")
        assert "Nytt namn" in html_of(client.get(LIST))

    def test_a_cached_page_is_never_another_visitors_language(self, client):
        SigningProposalFactory(title="Ett förslag")
        assert "1 förslag" in html_of(client.get(LIST))
        client.cookies["torget_language"] = "en"
        html = html_of(client.get(LIST))
        assert 'lang="en"' in html
        assert "1 förslag" not in html


class TestPostgres:
    @pytest.fixture(autouse=True)
    def _postgres(self, postgres_only):
        pass

    def test_the_estimate_comes_from_the_planner(self, many):
        analyze()
        estimate = selectors._estimate(selectors._matching())
        assert 1 <= estimate <= 200

    def test_search_ranks_only_the_newest_matches(self, many, monkeypatch):
        monkeypatch.setattr(selectors, "LIST_MAX_ROWS", 5)
        ranked = list(selectors.proposals_public(q="cykelbana"))
        newest = list(selectors.proposals_public(q="cykelbana", sort=selectors.SORT_NEWEST)[:5])
        assert {p.pk for p in ranked} == {p.pk for p in newest}
