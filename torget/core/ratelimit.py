"""A small fixed-window rate limiter on Django's cache.

Used against spam sign-ups and password guessing. With the default local-memory cache the
limit is per process; production uses a shared cache (CACHE_URL=redis://…) so it is global.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, ident: str, window: int) -> str:
    # Hash the identifier: cache keys must not carry e-mail or IP addresses in clear.
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{int(time.time() // window)}"


def hit(scope: str, ident: str, *, limit: int, window: int = 3600) -> bool:
    """Count one attempt; True while the caller is within the limit."""
    key = _key(scope, ident, window)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def is_limited(scope: str, ident: str, *, limit: int, window: int = 3600) -> bool:
    """True if the attempts counted so far already reached the limit (does not count)."""
    return (cache.get(_key(scope, ident, window)) or 0) >= limit
