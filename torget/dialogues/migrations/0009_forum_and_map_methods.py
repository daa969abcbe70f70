"""Adds the web forum and the interactive map to the method catalogue (seed 001, seed 002),
by their stable codes; an entry the administrator already made with the same name stays."""

from django.db import migrations

METHODS = [
    (
        "interaktiv-karta",
        2,
        "Interaktiv karta",
        "Invånarna markerar på en karta var något är otryggt, var en bänk behövs eller vad som är en bra plats, och kommenterar varandras markeringar.",
    ),
    (
        "webbforum",
        3,
        "Webbforum",
        "Ett modererat samtal på webben mellan invånare, politiker och tjänstepersoner under en bestämd period, för dem som inte kan komma på ett möte. Invånarna kan starta egna trådar.",
    ),
]


def add(apps, schema_editor):
    Method = apps.get_model("dialogues", "Method")
    for code, step, name, description in METHODS:
        if Method.objects.filter(name=name).exclude(code=code).exists():
            continue
        Method.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "ladder_step": step,
                "description": description,
                "order": 50,
            },
        )


def remove(apps, schema_editor):
    Method = apps.get_model("dialogues", "Method")
    Method.objects.filter(code__in=[code for code, *_ in METHODS]).delete()


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0008_method_decisions_fill")]

    operations = [migrations.RunPython(add, remove)]
