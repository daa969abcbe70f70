"""The rate limiter: one attempt counted per call, in every counter, on any cache."""

import ipaddress

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

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


# --- The client's address ----------------------------------------------------------------------

REAL = "203.0.113.7"
PROXY = "10.0.0.2"


def _request(rf, forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


@pytest.fixture
def behind_nginx(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.CLIENT_IP_TRUSTED_PROXIES = 1
    return settings


class TestClientIp:
    def test_without_a_header_setting_the_peer_address_is_used(self, rf, settings):
        settings.CLIENT_IP_HEADER = ""
        assert ratelimit.client_ip(_request(rf, f"1.2.3.4, {REAL}")) == PROXY

    def test_the_address_nginx_appended_is_used(self, rf, behind_nginx):
        assert ratelimit.client_ip(_request(rf, REAL)) == REAL

    def test_an_address_sent_by_the_client_is_not_trusted(self, rf, behind_nginx):
        # The client sends X-Forwarded-For: 1.2.3.4; proxy_add_x_forwarded_for appends the
        # address nginx saw.
        assert ratelimit.client_ip(_request(rf, f"1.2.3.4, {REAL}")) == REAL

    def test_behind_two_proxies_the_address_the_outer_one_saw_is_used(self, rf, behind_nginx):
        behind_nginx.CLIENT_IP_TRUSTED_PROXIES = 2
        assert ratelimit.client_ip(_request(rf, f"1.2.3.4, {REAL}, 10.0.0.1")) == REAL

    def test_fewer_entries_than_trusted_proxies_falls_back_to_the_peer(self, rf, behind_nginx):
        behind_nginx.CLIENT_IP_TRUSTED_PROXIES = 2
        assert ratelimit.client_ip(_request(rf, REAL)) == PROXY

    def test_a_missing_header_falls_back_to_the_peer(self, rf, behind_nginx):
        assert ratelimit.client_ip(_request(rf)) == PROXY

    @pytest.mark.parametrize("value", ["unknown", "", "1.2.3.4, ", "300.1.1.1", "1.2.3.4:80"])
    def test_an_entry_that_is_not_an_ip_address_falls_back_to_the_peer(
        self, rf, behind_nginx, value
    ):
        assert ratelimit.client_ip(_request(rf, value)) == PROXY

    def test_ipv6_addresses_are_normalised(self, rf, behind_nginx):
        assert ratelimit.client_ip(_request(rf, "2001:DB8:0:0::1")) == "2001:db8::1"


_forwarded = st.text(
    alphabet=st.sampled_from("0123456789abcdef.:,; []%unknow\t"), max_size=60
) | st.text(max_size=60)


@settings_hypothesis(max_examples=300, deadline=None)
@given(sent=_forwarded)
def test_no_value_the_client_sends_is_taken_as_its_address(sent):
    # Behind nginx with proxy_add_x_forwarded_for: whatever the client sent, then the
    # address nginx saw.
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{sent}, {REAL}")
    with override_settings(CLIENT_IP_HEADER="X-Forwarded-For", CLIENT_IP_TRUSTED_PROXIES=1):
        assert ratelimit.client_ip(request) == REAL


@settings_hypothesis(max_examples=300, deadline=None)
@given(value=_forwarded, trusted=st.integers(min_value=1, max_value=3))
def test_client_ip_never_raises_and_returns_an_ip_or_the_peer(value, trusted):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=value)
    with override_settings(CLIENT_IP_HEADER="X-Forwarded-For", CLIENT_IP_TRUSTED_PROXIES=trusted):
        result = ratelimit.client_ip(request)
    entries = [entry.strip() for entry in value.split(",")]
    if result != PROXY:
        ipaddress.ip_address(result)
        # Never the leftmost entry the client controls, unless our proxies vouched for it.
        assert len(entries) >= trusted
        assert ipaddress.ip_address(entries[-trusted]) == ipaddress.ip_address(result)
