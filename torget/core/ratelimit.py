"""A small fixed-window rate limiter on Django's cache.

Used against spam sign-ups and password guessing. With the default local-memory cache the
limit is per process; production uses a shared cache (CACHE_URL=redis://…) so it is global.
While Redis cannot be reached, counters are kept in the process's own memory instead (the
limits then apply per process, as with the local-memory cache) rather than failing with a
server error or not limiting at all; they go back to Redis as soon as it answers again.
"""

import hashlib
import ipaddress
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from torget.core.cache import UNREACHABLE, CacheUnavailable, warn_unreachable

# The counters while the shared cache is down: this process's own memory.
_local = LocMemCache("torget-ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})


def client_ip(request: HttpRequest) -> str:
    """The client's address, for rate limits.

    Behind CLIENT_IP_TRUSTED_PROXIES proxies, each appends the address it saw to
    CLIENT_IP_HEADER (nginx: ``proxy_add_x_forwarded_for``); whatever the client itself sent
    comes first. Only the entries our proxies added can be trusted, so the client is the
    entry that many places from the right, never the leftmost one, which anyone can forge to
    get a fresh rate-limit counter per request. Anything missing or not an IP address falls
    back to REMOTE_ADDR (the proxy: all such requests share one counter, which fails safe).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.CLIENT_IP_HEADER
    if not header:
        return remote
    forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    entries = [entry.strip() for entry in str(forwarded).split(",")]
    trusted = settings.CLIENT_IP_TRUSTED_PROXIES
    if not forwarded or trusted < 1 or len(entries) < trusted:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-trusted]))
    except ValueError:
        return remote


def _key(scope: str, ident: str, window: int) -> str:
    # Hash the identifier: cache keys must not carry e-mail or IP addresses in clear.
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{int(time.time() // window)}"


def hit(scope: str, ident: str, *, limit: int, window: int = 3600) -> bool:
    """Count one attempt; True while the caller is within the limit."""
    key = _key(scope, ident, window)
    try:
        count = _count(cache, key, window)
    except CacheUnavailable:
        count = _count(_local, key, window)
    return count <= limit


def _count(counters: Any, key: str, window: int) -> int:
    counters.add(key, 0, timeout=window)
    try:
        return int(counters.incr(key))
    except ValueError:  # evicted between add and incr
        counters.set(key, 1, timeout=window)
        return 1


# Each counter as cache.add(key, 0, window) then cache.incr(key): the window starts at the
# first hit. KEYS: the counters, then cache entries to delete; ARGV: the window, how many
# counters.
_HIT_ALL = """
local n = tonumber(ARGV[2])
local counts = {}
for i = 1, n do
    counts[i] = redis.call("INCR", KEYS[i])
    if counts[i] == 1 then redis.call("EXPIRE", KEYS[i], ARGV[1]) end
end
if #KEYS > n then redis.call("DEL", unpack(KEYS, n + 1)) end
return counts
"""


def hit_all(
    hits: Sequence[tuple[str, str, int]], *, window: int = 3600, forget: Sequence[str] = ()
) -> bool:
    """Count one attempt in each (scope, identifier, limit); True while every one is within
    its limit. Every counter counts, whichever is over. The same counters as `hit`, but on
    Redis in one command for all of them (`hit` takes three round trips for each).

    `forget`: cache keys to delete in the same command, for a busy path that would otherwise
    spend a round trip of its own on them.
    """
    default = caches["default"]
    if not isinstance(default, RedisCache):  # torget.core.cache.RedisCache is one too
        if forget:
            default.delete_many(forget)
        return all([hit(scope, ident, limit=limit, window=window) for scope, ident, limit in hits])
    global _script
    client = default._cache.get_client(write=True)  # type: ignore[attr-defined]
    if _script is None:
        _script = client.register_script(_HIT_ALL)
    keys = [default.make_and_validate_key(_key(scope, ident, window)) for scope, ident, _ in hits]
    keys += [default.make_and_validate_key(key) for key in forget]
    # EVALSHA; the script is loaded into a Redis that doesn't know it yet.
    try:
        counts = _script(keys=keys, args=[window, len(hits)], client=client)
    except UNREACHABLE as error:
        warn_unreachable("rate limit", error)
        counts = [_count(_local, _key(scope, ident, window), window) for scope, ident, _ in hits]
    return all(count <= limit for count, (_s, _i, limit) in zip(counts, hits, strict=True))


_script: Any = None


def is_limited(scope: str, ident: str, *, limit: int, window: int = 3600) -> bool:
    """True if the attempts counted so far already reached the limit (does not count)."""
    key = _key(scope, ident, window)
    return max(cache.get(key) or 0, _local.get(key) or 0) >= limit
