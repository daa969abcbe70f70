"""Svarsmallar (rutiner för återkoppling): the placeholders a reply template may use and how a
template is filled in for one case.

The syntax is deliberately small and explicit: a placeholder is a name from PLACEHOLDERS in
curly braces, `{ärendenummer}`. Filling in is plain text replacement, never `str.format` or a
template engine, so a template can reach nothing but these values; an unknown name or a stray
brace is refused when the template is saved, with the names it may use.
"""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# name → what it is replaced with (shown to administrators).
PLACEHOLDERS: dict[str, object] = {
    "ärendenummer": _("ärendets nummer, till exempel 2026-00042"),
    "namn": _("namnet på den som hörde av sig (tomt om inget namn lämnades)"),
    "enhet": _("enheten som handlägger ärendet (förvaltningen om ingen enhet är vald)"),
    "förvaltning": _("förvaltningen som handlägger ärendet"),
    "kategori": _("ärendets kategori"),
    "inkom": _("dagen ärendet kom in"),
    "handläggare": _("ditt namn, som svarar"),
    "kommun": _("kommunens namn"),
}

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders_help() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def check(text: str) -> None:
    """Refuse unknown placeholders and braces that make none, naming what is allowed."""
    unknown = [name for name in PLACEHOLDER.findall(text) if name.strip() not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            _("Okänd platshållare: %(unknown)s. Mallen kan använda %(allowed)s."),
            code="unknown_placeholder",
            params={
                "unknown": ", ".join("{" + name + "}" for name in dict.fromkeys(unknown)),
                "allowed": placeholders_help(),
            },
        )
    if "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
        raise ValidationError(
            _(
                "En klammerparentes saknar sin motsvarighet. Platshållare skrivs med "
                "klamrar runt namnet, till exempel {ärendenummer}."
            ),
            code="stray_brace",
        )


# A placeholder with the space before it and the character after it (to tidy an empty value).
_IN_TEXT = re.compile(r"( ?)\{([^{}]*)\}(?=(.?))", re.DOTALL)


def fill(text: str, values: Mapping[str, str]) -> str:
    """The template's text with each placeholder replaced by its value for one case. An empty
    value before punctuation takes its space along: "Hej {namn}!" is "Hej!" without a name."""

    def replace(match: re.Match[str]) -> str:
        space, name, after = match.groups()
        value = values.get(name.strip())
        if value is None:
            return match.group(0)
        if not value and (after == "" or after in "!,.?:;\n"):
            return ""
        return space + value

    return _IN_TEXT.sub(replace, text)
