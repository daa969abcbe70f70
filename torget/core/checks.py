"""System checks for an installation's configuration (`manage.py check --deploy` runs them)."""

import importlib.util
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

REDIS_BACKENDS = frozenset(
    {"django.core.cache.backends.redis.RedisCache", "torget.core.cache.RedisCache"}
)


@register(Tags.caches)
def redis_client_installed(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """CACHE_URL=redis://… needs the redis package: without it every page would fail on its
    first cache read, long after `check --deploy` said all was well."""
    uses_redis = any(cache.get("BACKEND") in REDIS_BACKENDS for cache in settings.CACHES.values())
    if not uses_redis or importlib.util.find_spec("redis") is not None:
        return []
    return [
        Error(
            "CACHE_URL names a Redis server, but the Python package 'redis' is not installed.",
            hint="Install it in Torget's virtual environment: pip install 'redis>=5'.",
            id="torget.E001",
        )
    ]
