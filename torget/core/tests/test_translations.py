"""The English catalogue must be complete: every Swedish source string has a usable translation."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")


@pytest.fixture(scope="module")
def messages():
    po_path = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    return [message for message in catalog if message.id]


def _pairs(message):
    """(source, translation) for each form; plural forms after the first use msgid_plural."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [(ids[min(i, len(ids) - 1)], string) for i, string in enumerate(strings)]


def test_catalogue_is_not_empty(messages):
    assert len(messages) > 100


def test_every_entry_is_translated_and_not_fuzzy(messages):
    problems = [
        message.id
        for message in messages
        if message.fuzzy or not all(string for _, string in _pairs(message))
    ]
    assert problems == [], f"Untranslated or fuzzy entries: {problems}"


def test_placeholders_are_kept(messages):
    problems = []
    for message in messages:
        if "python-format" not in message.flags:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        allowed = {p for source in ids for p in PLACEHOLDER.findall(source)}
        for source, string in _pairs(message):
            found = set(PLACEHOLDER.findall(string or ""))
            if not set(PLACEHOLDER.findall(source)) <= found <= allowed:
                problems.append((source, string))
    assert problems == [], f"Placeholders differ between msgid and msgstr: {problems}"
