"""Migration 0004 gives the catalogue that existed before codes its codes and rule data."""

import importlib

import pytest
from django.apps import apps

from torget.dialogues.catalogue import METHODS, TARGET_GROUPS, catalogue_ensure
from torget.dialogues.models import Method, TargetGroup

pytestmark = pytest.mark.django_db

fill = importlib.import_module("torget.dialogues.migrations.0004_catalogue_codes_fill")


def _as_before_codes() -> None:
    """The rows as 0003 left them: no codes (placeholders here, the column is required now),
    no flags, no bounds."""
    for model in (Method, TargetGroup):
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(code=f"utan-kod-{row.pk}")
    Method.objects.update(is_information=False, min_participants=None, max_participants=None)


class TestFillingCodes:
    def test_the_migration_gives_the_seed_entries_their_codes_and_rule_data(self):
        _as_before_codes()
        fill.fill_codes(apps, None)
        focus_group = Method.objects.get(name="Fokusgrupp")
        assert focus_group.code == "fokusgrupp"
        assert (focus_group.min_participants, focus_group.max_participants) == (8, 12)
        assert Method.objects.get(name="Dialogmöte").code == "dialogmote"
        assert TargetGroup.objects.get(name="Barn").code == "barn"
        assert set(
            Method.objects.filter(is_information=True).values_list("ladder_step", flat=True)
        ) == {1}
        assert not Method.objects.filter(code__startswith="utan-kod").exists()
        assert not TargetGroup.objects.filter(code__startswith="utan-kod").exists()

    def test_entries_the_administrator_added_get_a_code_from_their_name(self):
        Method.objects.create(code="x", name="SMS", ladder_step=1, description="Egen.")
        Method.objects.create(code="y", name="Medborgarpanel", ladder_step=3, description="Egen.")
        TargetGroup.objects.create(code="z", name="Föräldrar")
        _as_before_codes()
        fill.fill_codes(apps, None)
        # "sms" belongs to the seed's Sms-utskick, so the administrator's gets another.
        assert Method.objects.get(name="SMS").code == "sms-2"
        assert Method.objects.get(name="Sms-utskick").code == "sms"
        assert Method.objects.get(name="Medborgarpanel").code == "medborgarpanel"
        assert TargetGroup.objects.get(name="Föräldrar").code == "foraldrar"
        # Not a seed focus group, so no bounds however it is used.
        assert Method.objects.get(name="Medborgarpanel").has_group_size is False


def test_the_migrated_catalogue_matches_what_catalogue_ensure_makes():
    """A migrated installation and a flushed one (catalogue_ensure) have the same codes and
    rule data, so code that refers to a code finds it in both."""
    migrated = {
        m.code: (m.name, m.ladder_step, m.is_information, m.min_participants, m.max_participants)
        for m in Method.objects.all()
    }
    groups = dict(TargetGroup.objects.values_list("code", "name"))
    Method.objects.all().delete()
    TargetGroup.objects.all().delete()
    catalogue_ensure()
    ensured = {
        m.code: (m.name, m.ladder_step, m.is_information, m.min_participants, m.max_participants)
        for m in Method.objects.all()
    }
    assert migrated == ensured and len(ensured) == len(METHODS)
    assert groups == dict(TargetGroup.objects.values_list("code", "name"))
    assert len(groups) == len(TARGET_GROUPS)
