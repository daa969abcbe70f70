"""One Swedish wording on every form, whatever the installed libraries translate."""

import gettext
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.utils import translation


def _catalogue(locale_dir: Path) -> dict[str, str]:
    mo_path = locale_dir / "sv" / "LC_MESSAGES" / "django.mo"
    if not mo_path.exists():
        return {}
    with mo_path.open("rb") as mo_file:
        return {k: v for k, v in gettext.GNUTranslations(mo_file)._catalog.items() if k}


def test_django_s_swedish_form_messages_win_over_every_library_s():
    djangos = _catalogue(Path(django.__file__).parent / "conf" / "locale")
    overridden = {
        msgid
        for config in apps.get_app_configs()
        if not config.name.startswith(("django.", "torget"))
        for msgid, text in _catalogue(Path(config.path) / "locale").items()
        if msgid in djangos and djangos[msgid] != text
    }
    assert "This field is required." in overridden  # the check sees what it guards against
    with translation.override("sv"):
        assert {m: translation.gettext(m) for m in overridden} == {
            m: djangos[m] for m in overridden
        }


@pytest.mark.parametrize(
    ("msgid", "swedish"),
    [
        ("This field is required.", "Detta fält måste fyllas i."),
        ("Enter a valid email address.", "Fyll i en giltig e-postadress."),
    ],
)
def test_the_form_messages_citizens_see(msgid, swedish):
    with translation.override("sv"):
        assert translation.gettext(msgid) == swedish
