"""The rate limiter: one attempt counted per call, in every counter, on any cache."""

import pytest
from django.core.cache import cache

from torget.core import ratelimit


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


def test_hit_all_counts_every_counter_and_refuses_over_any_limit(any_cache):
    hits = [("ip", "10.0.0.1", 3), ("person", "abc", 2)]
    assert ratelimit.hit_all(hits)
    assert ratelimit.hit_all(hits)
    # The person's third attempt is over their limit of 2 (the IP is still within 3) ...
    assert not ratelimit.hit_all(hits)
    # ... and was counted for the IP too: its fourth is over as well.
    assert not ratelimit.hit_all([("ip", "10.0.0.1", 3)])
    assert ratelimit.is_limited("ip", "10.0.0.1", limit=3)
    assert ratelimit.is_limited("person", "abc", limit=2)
    # Another person from another address is not affected.
    assert ratelimit.hit_all([("ip", "10.0.0.2", 3), ("person", "def", 2)])


def test_hit_all_and_hit_share_their_counters(any_cache):
    assert ratelimit.hit("person", "abc", limit=2)
    assert ratelimit.hit_all([("person", "abc", 2)])
    assert not ratelimit.hit("person", "abc", limit=2)


def test_the_window_expires_on_redis(redis_cache):
    ratelimit.hit_all([("person", "abc", 5)], window=60)
    key = cache.make_and_validate_key(ratelimit._key("person", "abc", 60))
    ttl = cache._cache.get_client(write=True).ttl(key)
    assert 0 < ttl <= 60


def test_the_redis_cache_keeps_its_client(redis_cache):
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads and writes alike
    cache.set("greeting", {"hej": 1})
    assert cache.get("greeting") == {"hej": 1}
    assert cache.add("n", 1)
    assert cache.incr("n") == 2


def test_hit_all_forgets_cache_entries_in_the_same_command(any_cache):
    cache.set("count:1", 41)
    cache.set("count:2", 7)
    assert ratelimit.hit_all([("person", "abc", 2)], forget=["count:1"])
    assert cache.get("count:1") is None
    assert cache.get("count:2") == 7  # only what was named
    assert ratelimit.hit_all([("person", "abc", 2)], forget=["count:1"])
    # Over the limit: still counted, and still forgotten.
    cache.set("count:1", 42)
    assert not ratelimit.hit_all([("person", "abc", 2)], forget=["count:1"])
    assert cache.get("count:1") is None
    assert ratelimit.is_limited("person", "abc", limit=2)
