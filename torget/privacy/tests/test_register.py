"""The register of personal data is complete: no field that may hold personal data goes
undeclared, and every declaration names fields that exist."""

import pytest
from django.apps import apps
from django.db import models

from torget.core import personal_data as pd


def torget_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("torget.") and not model._meta.proxy
    ]


def test_every_possibly_personal_field_is_declared_personal_or_not() -> None:
    undeclared = pd.undeclared_fields(torget_models())
    assert undeclared == [], (
        "Fields that may hold personal data but are not in the register; declare them in the "
        "app's personal_data.py (pd.declare, or pd.not_personal with the reason):\n"
        + "\n".join(undeclared)
    )


def test_declarations_name_existing_fields() -> None:
    assert pd.unknown_fields() == []


def test_every_declaration_says_why_on_what_basis_and_for_how_long() -> None:
    for declaration in pd.declarations():
        assert declaration.fields, declaration.label
        assert str(declaration.purpose).strip(), declaration.label
        assert str(declaration.retention).strip(), declaration.label
        if declaration.erasure == pd.Erasure.KEEP or declaration.public_record:
            assert str(declaration.keep_reason).strip(), declaration.label


@pytest.mark.parametrize(
    ("field", "personal"),
    [
        (models.EmailField(name="work"), True),
        (models.CharField(name="reporter_phone"), True),
        (models.CharField(name="full_name"), True),
        (models.CharField(name="ip_hash"), True),
        (models.CharField(name="created_by"), True),
        (models.CharField(name="title"), False),
        (models.TextField(name="description"), False),
    ],
)
def test_heuristics_take_names_and_types_that_hold_persons(
    field: models.Field, personal: bool
) -> None:
    assert pd.possibly_personal(field) is personal


def test_a_new_undeclared_field_is_named() -> None:
    """A model with a new e-mail field and a foreign key to the user model, declared
    nowhere, is caught field by field."""

    class Signup(models.Model):
        title = models.CharField(max_length=10)
        email = models.EmailField()
        owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return self.title

    try:
        assert pd.undeclared_fields([Signup]) == ["privacy.Signup.email", "privacy.Signup.owner"]
        pd.not_personal(Signup, owner=pd.STAFF)
        assert pd.undeclared_fields([Signup]) == ["privacy.Signup.email"]
    finally:
        apps.all_models["privacy"].pop("signup", None)
        pd._not_personal.pop("privacy.Signup", None)
        apps.clear_cache()
