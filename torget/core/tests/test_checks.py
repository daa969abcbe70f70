"""`manage.py check` (and `check --deploy`) fails when CACHE_URL names Redis and the redis
package is missing, instead of every page failing later on its first cache read."""

import importlib.util

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from torget.core import checks

REDIS_CACHE = {"default": {"BACKEND": "torget.core.cache.RedisCache", "LOCATION": "redis://x"}}


@pytest.fixture
def without_redis(monkeypatch):
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == "redis" else real(name, *args, **kwargs)

    monkeypatch.setattr(checks.importlib.util, "find_spec", find_spec)


def test_redis_cache_without_the_package_fails_the_deploy_check(settings, without_redis):
    settings.CACHES = REDIS_CACHE

    with pytest.raises(SystemCheckError, match="'redis' is not installed"):
        call_command("check", "--deploy", "--tag", "caches")


def test_redis_cache_without_the_package_is_an_error(settings, without_redis):
    settings.CACHES = REDIS_CACHE

    (error,) = checks.redis_client_installed()

    assert error.id == "torget.E001"
    assert "pip install" in error.hint


def test_redis_cache_with_the_package_passes(settings):
    settings.CACHES = REDIS_CACHE

    assert checks.redis_client_installed() == []


def test_another_cache_needs_no_redis_package(settings, without_redis):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert checks.redis_client_installed() == []
