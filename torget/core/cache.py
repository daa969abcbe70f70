"""Django's Redis cache, keeping its Redis clients, and failing safe when Redis is down.

Django's RedisCacheClient makes a new redis.Redis for every operation, and redis-py's
constructor fills a table of some 170 response callbacks each time: on a busy page that costs
about as much CPU as the round trip itself. A redis.Redis is safe to share (it takes a
connection from its pool for each command), so one per pool is made and kept. Settings use
this backend for CACHE_URL=redis://…; everything else is Django's.

When Redis cannot be reached, the cache is only a cache: a read is a miss, a write or a
delete is skipped, and a warning is logged (at most once a minute per process, so the log is
not flooded). `incr` raises CacheUnavailable instead, so that the rate limiter
(torget/core/ratelimit.py) can count in the process's own memory meanwhile. The next
operation tries Redis again: everything returns to it by itself when it is back.
"""

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: What a Redis that is down, restarting or out of reach raises.
UNREACHABLE: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError, OSError)

WARN_EVERY_SECONDS = 60.0

_warned_at = 0.0
_warn_lock = threading.Lock()

F = TypeVar("F", bound=Callable[..., Any])


class CacheUnavailable(Exception):
    """The shared cache cannot be reached (raised by `incr` only)."""


def warn_unreachable(operation: str, error: BaseException) -> None:
    """Log that Redis cannot be reached, at most once every WARN_EVERY_SECONDS per process."""
    global _warned_at
    now = time.monotonic()
    with _warn_lock:
        if _warned_at and now - _warned_at < WARN_EVERY_SECONDS:
            return
        _warned_at = now
    logger.warning(
        "Redis cannot be reached (%s: %s); the cache is skipped and rate limits count in "
        "this process's memory until it is back.",
        operation,
        error,
    )


def _fail_safe(default: Any) -> Callable[[F], F]:
    def decorate(method: F) -> F:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except UNREACHABLE as error:
                warn_unreachable(method.__name__, error)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper  # type: ignore[return-value]

    return decorate


def _default_of_get(_self: Any, _key: Any, default: Any = None, *_args: Any, **kwargs: Any) -> Any:
    return default


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    # Reads: a miss.
    get = _fail_safe(_default_of_get)(redis.RedisCache.get)
    get_many = _fail_safe({})(redis.RedisCache.get_many)
    has_key = _fail_safe(False)(redis.RedisCache.has_key)
    # Writes and deletes: skipped.
    add = _fail_safe(False)(redis.RedisCache.add)
    set = _fail_safe(None)(redis.RedisCache.set)
    set_many = _fail_safe(lambda _self, data, *_a, **_k: list(data))(redis.RedisCache.set_many)
    touch = _fail_safe(False)(redis.RedisCache.touch)
    delete = _fail_safe(False)(redis.RedisCache.delete)
    delete_many = _fail_safe(None)(redis.RedisCache.delete_many)
    clear = _fail_safe(None)(redis.RedisCache.clear)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            warn_unreachable("incr", error)
            raise CacheUnavailable(str(error)) from error
