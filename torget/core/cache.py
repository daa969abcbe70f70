"""Django's Redis cache, keeping its Redis clients.

Django's RedisCacheClient makes a new redis.Redis for every operation, and redis-py's
constructor fills a table of some 170 response callbacks each time: on a busy page that costs
about as much CPU as the round trip itself. A redis.Redis is safe to share (it takes a
connection from its pool for each command), so one per pool is made and kept. Settings use
this backend for CACHE_URL=redis://…; everything else is Django's.
"""

from typing import Any

from django.core.cache.backends import redis


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
