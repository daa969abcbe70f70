"""Loaded by pytest before Django (``-p torget.testing.env`` in pyproject.toml): the suite
runs with the test profile unless the caller chose another."""

import os

os.environ.setdefault("TORGET_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torget.settings")
