"""Searching proposals: Swedish full-text search on PostgreSQL (stemming, ranking, the GIN
index from migration 0002), and the word-by-word fallback elsewhere (SQLite)."""

import pytest
from django.db import connection
from django.utils import timezone

from torget.proposals import selectors
from torget.proposals.models import Proposal, Status
from torget.proposals.tests.factories import (
    ProposalFactory,
    SigningProposalFactory,
)

pytestmark = pytest.mark.django_db


def found(q, **kwargs):
    return [p.title for p in selectors.proposals_public(q=q, **kwargs)]


@pytest.fixture
def proposals(db):
    SigningProposalFactory(title="Cykelbana till skolan", body="Barnen behöver en säker väg.")
    SigningProposalFactory(title="Fler papperskorgar", body="Parken vid ån är full av skräp.")
    SigningProposalFactory(title="Belysning i parken", body="Det är mörkt på kvällarna.")


class TestOnEveryDatabase:
    def test_every_word_must_be_in_the_title_or_the_text(self, proposals):
        assert found("parken") == ["Belysning i parken", "Fler papperskorgar"]
        assert found("parken skräp") == ["Fler papperskorgar"]
        assert found("parken simhall") == []

    def test_search_ignores_letter_case(self, proposals):
        assert found("CYKELBANA") == ["Cykelbana till skolan"]

    def test_a_word_can_be_left_out_with_a_minus(self, proposals):
        assert found("parken -skräp") == ["Belysning i parken"]

    def test_search_combines_with_filters(self, proposals):
        SigningProposalFactory(title="Parken i beslut", status=Status.PREPARING)
        assert found("parken", status=Status.PREPARING) == ["Parken i beslut"]

    def test_unpublished_rejected_and_hidden_proposals_are_never_found(self, proposals):
        ProposalFactory(title="Parken granskas")
        SigningProposalFactory(title="Parken avvisad", status=Status.REJECTED)
        SigningProposalFactory(title="Parken dold", hidden_at=timezone.now())
        assert sorted(found("parken")) == ["Belysning i parken", "Fler papperskorgar"]

    def test_blank_search_lists_everything(self, proposals):
        assert len(found("   ")) == 3

    def test_search_through_the_list_page(self, client, proposals):
        html = client.get("/forslag/", {"q": "skräp"}).content.decode()
        assert "Fler papperskorgar" in html
        assert "Cykelbana till skolan" not in html
        assert "1 förslag matchar" in html
        assert 'value="skräp"' in html  # the search box keeps the words


class TestSQLiteFallback:
    @pytest.fixture(autouse=True)
    def _sqlite(self, db):
        if connection.vendor == "postgresql":
            pytest.skip("the fallback is for databases without full-text search")

    def test_title_matches_come_first(self):
        SigningProposalFactory(title="Lekplats", body="Vid skolan behövs en gunga.")
        SigningProposalFactory(title="Gunga vid badet", body="Barnen vill ha en.")
        assert found("gunga") == ["Gunga vid badet", "Lekplats"]

    def test_quoted_words_are_searched_as_words(self):
        SigningProposalFactory(title="Papperskorgar", body="Fler papperskorgar i parken")
        assert found('"papperskorgar i parken"') == ["Papperskorgar"]


class TestPostgresFullText:
    @pytest.fixture(autouse=True)
    def _postgres(self, postgres_only):
        pass

    def test_swedish_stemming_finds_other_forms_of_the_word(self):
        SigningProposalFactory(title="Cyklarna står överallt", body="Bygg ställ.")
        SigningProposalFactory(title="Trafik", body="Barnen vill cykla till skolan.")
        SigningProposalFactory(title="Parkering", body="Fler bilplatser.")
        assert sorted(found("cyklar")) == ["Cyklarna står överallt", "Trafik"]

    def test_words_in_the_title_rank_above_words_in_the_text(self):
        SigningProposalFactory(title="Lekplats", body="Vid skolan behövs en gunga.")
        SigningProposalFactory(title="Gungor vid badet", body="Barnen vill ha en.")
        assert found("gunga") == ["Gungor vid badet", "Lekplats"]

    def test_websearch_syntax(self):
        SigningProposalFactory(title="Papperskorgar i parken", body="Mycket skräp.")
        SigningProposalFactory(title="Parken behöver ljus", body="Mörkt.")
        assert found('"papperskorgar i parken"') == ["Papperskorgar i parken"]
        assert sorted(found("skräp or mörkt")) == ["Papperskorgar i parken", "Parken behöver ljus"]
        assert found("parken -skräp") == ["Parken behöver ljus"]

    def test_the_gin_index_is_used(self):
        """The query's expression must be the index's, or PostgreSQL reads every row."""
        topic = SigningProposalFactory().topic
        rows = [
            Proposal(
                title=f"Förslag {n} om {'gatubelysning' if n % 500 == 0 else 'bänkar'}",
                body="Ställ ut fler bänkar i parken. " * 5,
                topic=topic,
                author_name="Test",
                status=Status.SIGNING,
                published_at=timezone.now(),
                signing_ends_on=timezone.localdate(),
                threshold=50,
            )
            for n in range(5000)
        ]
        Proposal.objects.bulk_create(rows, batch_size=1000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE proposals_proposal")
        # The matches (ranked afterwards, by their numbers) are found on the index.
        plan = selectors.proposals_public(q="gatubelysning", sort=selectors.SORT_NEWEST).explain()
        assert "proposal_search_swedish" in plan, plan
        assert len(found("gatubelysning")) == 10
