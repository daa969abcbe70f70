"""Marks the catalogue's focus group and social lighthouses with the decision each needs
before it is used (seed 004 §5), by the methods' stable codes."""

from django.db import migrations

DECISIONS = {"fokusgrupp": "fokusgrupp", "sociala-fyrtorn": "sociala-fyrtorn"}


def fill(apps, schema_editor):
    Method = apps.get_model("dialogues", "Method")
    for code, decision in DECISIONS.items():
        Method.objects.filter(code=code, decision="").update(decision=decision)


def unfill(apps, schema_editor):
    Method = apps.get_model("dialogues", "Method")
    Method.objects.filter(code__in=DECISIONS).update(decision="")


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0007_who_decides_consultation_service_dialogue_method_decisions")]

    operations = [migrations.RunPython(fill, unfill)]
