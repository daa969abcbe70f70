"""Fixtures shared by the whole suite."""

import pytest

pytest_plugins = ["torget.testing.fixtures"]


@pytest.fixture(autouse=True)
def _swedish_by_default():
    # A request in English leaves English active in the thread; the next test starts Swedish.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits live in the cache; one test's attempts must not limit the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
