"""Redis down: the cache is skipped, pages and forms keep working, rate limits still count."""

import logging

import pytest
from django.core.cache import cache

from torget.core import cache as torget_cache
from torget.core import ratelimit
from torget.feedback.models import Case
from torget.feedback.tests.factories import CategoryFactory
from torget.feedback.tests.test_views import fault_post, town  # noqa: F401
from torget.proposals.tests.factories import SigningProposalFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "torget.core.cache.RedisCache",
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    ratelimit._local.clear()
    yield
    ratelimit._local.clear()


def test_a_read_is_a_miss_and_a_write_is_skipped(redis_down):
    assert cache.set("a", 1) is None
    assert cache.get("a") is None
    assert cache.get("a", "default") == "default"
    assert cache.get_or_set("b", lambda: 2) == 2
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.delete("a") is False
    with pytest.raises(torget_cache.CacheUnavailable):
        cache.incr("a")


def test_the_warning_is_logged_once_not_for_every_operation(redis_down, caplog, monkeypatch):
    monkeypatch.setattr(torget_cache, "_warned_at", 0.0)
    with caplog.at_level(logging.WARNING, logger="torget.core.cache"):
        for _ in range(5):
            cache.get("a")
    assert len([r for r in caplog.records if "Redis cannot be reached" in r.message]) == 1


def test_proposal_pages_and_the_areas_geojson_answer(redis_down, client):
    proposal = SigningProposalFactory()
    for url in [
        "/forslag/",
        "/forslag/?sortera=mest-stod",
        f"/forslag/{proposal.pk}/",
        "/api/v1/omraden/geojson/",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("counter", ["hit", "hit_all"])
def test_rate_limits_count_in_memory_and_still_refuse(redis_down, counter):
    def attempt():
        if counter == "hit":
            return ratelimit.hit("scope", "10.0.0.1", limit=3)
        return ratelimit.hit_all([("scope", "10.0.0.1", 3)])

    assert [attempt() for _ in range(4)] == [True, True, True, False]
    assert ratelimit.is_limited("scope", "10.0.0.1", limit=3)
    assert not ratelimit.is_limited("scope", "10.0.0.2", limit=3)


def test_a_fault_report_is_accepted_then_refused_over_the_limit(
    redis_down,
    client,
    town,  # noqa: F811
    settings,
):
    settings.FEEDBACK_SUBMIT_RATE_PER_IP = 2
    category = CategoryFactory()
    statuses = [
        client.post("/felanmalan/", fault_post(category, not_duplicate="on")).status_code
        for _ in range(3)
    ]
    assert statuses[:2] == [302, 302]
    assert statuses[2] == 429
    assert Case.objects.count() == 2
