"""The register of personal data (GDPR art. 30), declared next to the models it describes.

Each app that stores anything about a person says so in its own `personal_data.py`:

    # torget/<app>/personal_data.py
    from torget.core import personal_data as pd

    pd.declare(
        Registration,
        kind=_("Anmälningar till möten"),
        fields={"name": _("namn"), "email": _("e-postadress")},
        purpose=_("Att planera mötet och kunna nå den anmälda."),
        basis=pd.Basis.PUBLIC_TASK,
        retention=_("Gallras efter mötet (gallringsplanen: mötesanmälningar)."),
        find=lambda subject: Registration.objects.filter(subject.email_q("email")),
        erasure=pd.Erasure.DELETE,
    )
    pd.not_personal(Meeting, politician=_("Förtroendevalda i sitt uppdrag: offentligt."))

The register page, the rights tool (torget.privacy) and the test that no field with personal
data goes undeclared (torget/privacy/tests/test_register.py) all read from here. The toolbox
knows no domain model: a declaration holds the model class the app hands it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

Text = str | Promise


class Basis(models.TextChoices):
    """Rättslig grund (GDPR art. 6.1 and, for health data, art. 9.2)."""

    PUBLIC_TASK = "6.1e", _("Allmänt intresse och myndighetsutövning (art. 6.1 e)")
    CONSENT = "6.1a", _("Samtycke (art. 6.1 a)")
    LEGAL_OBLIGATION = "6.1c", _("Rättslig förpliktelse (art. 6.1 c)")
    # Health data (a need for support at a meeting): explicit consent, art. 9.2 a.
    HEALTH_CONSENT = "9.2a", _("Uttryckligt samtycke till uppgift om hälsa (art. 9.2 a)")


class Erasure(models.TextChoices):
    """What the rights tool may do with a person's rows of one kind."""

    DELETE = "delete", _("Raderas")
    ANONYMISE = (
        "anonymise",
        _("Avidentifieras: uppgifterna om personen tas bort, resten finns kvar"),
    )
    KEEP = "keep", _("Sparas: får inte raderas")


@dataclass(frozen=True)
class Subject:
    """The person the rights tool looks for: everything that identifies them, already
    normalised (e-mail addresses in lower case, phone numbers as +46…, identities as the
    keyed hash the identity app stores, never the personnummer itself)."""

    user_ids: frozenset[int] = frozenset()
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    person_keys: frozenset[str] = frozenset()

    def is_empty(self) -> bool:
        return not (self.user_ids or self.emails or self.phones or self.person_keys)

    def email_q(self, field: str) -> Q:
        """`field` holds one of the person's e-mail addresses, in any letter case (older rows
        and other channels may not have stored the address lower-cased)."""
        condition = Q(pk__in=[])
        for email in sorted(self.emails):
            condition |= Q(**{f"{field}__iexact": email})
        return condition


Finder = Callable[[Subject], "models.QuerySet[Any]"]
# (the rows, the staff user acting) → how many rows were changed.
Eraser = Callable[["models.QuerySet[Any]", Any], int]


@dataclass(frozen=True)
class Declaration:
    """One record kind with personal data: a model, the fields that hold it and why."""

    model: type[models.Model]
    kind: Text
    fields: Mapping[str, Text]
    purpose: Text
    basis: Basis
    retention: Text
    # Fields of the model the heuristics would take for personal, with the reason they aren't.
    not_personal: Mapping[str, Text] = field(default_factory=dict)
    # The person's rows of this kind (None: the kind is found through another, e.g. a
    # revision through its post, or holds no one who can ask).
    find: Finder | None = None
    erasure: Erasure = Erasure.KEEP
    # Erasure.ANONYMISE: the value each field gets (a callable gets the row).
    anonymise: Mapping[str, Any] = field(default_factory=dict)
    # Erasure.KEEP (and the kept part of ANONYMISE): the reason the law requires keeping it.
    keep_reason: Text = ""
    # An allmän handling (public record): the record stays, whatever the person asks.
    public_record: bool = False
    # Replaces the default DELETE/ANONYMISE for this kind; returns the rows changed.
    erase: Eraser | None = None
    # Fields shown in the export besides the personal ones (what the row is about).
    context: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    def export_fields(self) -> list[str]:
        return ["pk", *self.context, *[name for name in self.fields if name not in self.context]]


_declarations: dict[str, Declaration] = {}
_not_personal: dict[str, dict[str, Text]] = {}
_discovered = False


def declare(
    model: type[models.Model],
    *,
    kind: Text,
    fields: Mapping[str, Text],
    purpose: Text,
    basis: Basis,
    retention: Text,
    **options: Any,
) -> Declaration:
    """Declare a model's personal data (see the module docstring)."""
    label = model._meta.label
    if label in _declarations and _declarations[label].model is not model:
        raise ImproperlyConfigured(f"{label} is declared twice in the register of personal data.")
    declaration = Declaration(
        model=model,
        kind=kind,
        fields=dict(fields),
        purpose=purpose,
        basis=basis,
        retention=retention,
        **options,
    )
    if declaration.erasure == Erasure.ANONYMISE and not (
        declaration.anonymise or declaration.erase
    ):
        raise ImproperlyConfigured(f"{label}: anonymisation without the values to anonymise to.")
    _declarations[label] = declaration
    return declaration


def not_personal(model: type[models.Model], **reasons: Text) -> None:
    """Fields that look personal (by name or type) but hold no personal data, with why."""
    _not_personal.setdefault(model._meta.label, {}).update(reasons)


def discover() -> None:
    """Import every installed app's `personal_data` module (once)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("personal_data")
        _discovered = True


def declarations() -> list[Declaration]:
    """Every declaration, in the order of INSTALLED_APPS and then of declaration."""
    discover()
    from django.apps import apps

    position = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(
        _declarations.values(), key=lambda d: position.get(d.model._meta.app_label, len(position))
    )


def declaration_for(model: type[models.Model]) -> Declaration | None:
    discover()
    return _declarations.get(model._meta.label)


def exempt_fields(model: type[models.Model]) -> dict[str, Text]:
    """The fields declared not personal, on the model itself or in its declaration."""
    discover()
    reasons = dict(_not_personal.get(model._meta.label, {}))
    declaration = _declarations.get(model._meta.label)
    if declaration is not None:
        reasons.update(declaration.not_personal)
    return reasons


# Names that usually hold something about a person; matched as whole words of a field name.
_PERSONAL_WORDS = (
    "name|email|phone|mobile|pin|personnummer|person|address|ip|user|author|requester"
    "|reporter|contact|actor|voter|respondent|submitter|signature|birth|born|health|support"
    "|needs|by"
)
_PERSONAL_NAME = re.compile(rf"(^|_)({_PERSONAL_WORDS})($|_)")


def possibly_personal(model_field: models.Field[Any, Any]) -> bool:
    """Whether a field looks as if it could hold personal data (by type or name)."""
    if isinstance(model_field, models.EmailField | models.GenericIPAddressField):
        return True
    if "phone" in type(model_field).__name__.lower():
        return True
    if model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model
        if not isinstance(related, str) and related._meta.label == settings.AUTH_USER_MODEL:
            return True
    return bool(_PERSONAL_NAME.search(model_field.name))


def undeclared_fields(models_to_check: Iterable[type[models.Model]]) -> list[str]:
    """`app.Model.field` for every possibly personal field that is neither declared personal
    nor declared not personal."""
    missing = []
    for model in models_to_check:
        declaration = declaration_for(model)
        declared = set(declaration.fields) if declaration else set()
        exempt = set(exempt_fields(model))
        for model_field in model._meta.concrete_fields:
            if model_field.primary_key or not possibly_personal(model_field):
                continue
            if model_field.name not in declared | exempt:
                missing.append(f"{model._meta.label}.{model_field.name}")
    return missing


def unknown_fields() -> list[str]:
    """`app.Model.field` for every declared name that the model has no field of."""
    discover()
    unknown = []
    labels = set(_declarations) | set(_not_personal)
    from django.apps import apps

    for label in sorted(labels):
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields()}
        declared: set[str] = set(exempt_fields(model))
        declaration = _declarations.get(label)
        if declaration is not None:
            declared |= set(declaration.fields) | set(declaration.anonymise)
            declared |= {name for name in declaration.context if name != "pk"}
        unknown += [f"{label}.{name}" for name in sorted(declared - names)]
    return unknown


# Reasons shared by the apps' `not_personal` declarations.
STAFF = _(
    "Den anställda eller förtroendevalda som handlade i tjänsten; uppgiften hör till "
    "handlingen och bevaras eller gallras med den."
)
ORGANISATION = _("Namn eller kontaktuppgift för en verksamhet eller ett organ, inte för en person.")
NOT_ABOUT_A_PERSON = _("En räknare, en inställning eller en tidpunkt, ingen uppgift om en person.")
SYSTEM = _("Namnet på en process i systemet, inte på en person.")
