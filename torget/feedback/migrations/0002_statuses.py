from django.db import migrations

STATUSES = [
    ("mottaget", "Mottaget", "open", True, 10),
    ("pagar", "Pågår", "open", False, 20),
    ("besvarat", "Besvarat", "open", False, 30),
    ("atgardat", "Åtgärdat", "closed", False, 40),
    ("avslutat", "Avslutat", "closed", False, 50),
    ("vidarebefordrat", "Vidarebefordrat", "closed", False, 60),
]


def add_statuses(apps, schema_editor):
    CaseStatus = apps.get_model("feedback", "CaseStatus")
    for slug, name, group, is_initial, order in STATUSES:
        CaseStatus.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "group": group, "is_initial": is_initial, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(add_statuses, migrations.RunPython.noop)]
