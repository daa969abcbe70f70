"""Issue 15: keys stored from a personnummer typed in another digit script are recomputed
from its canonical form (see `torget.identity.personnummer_repair`)."""

from django.db import migrations


def canonical_person_keys(apps, schema_editor):
    from torget.identity.personnummer_repair import person_keys_repair

    if not apps.get_model("identity", "Verification").objects.exists():
        return
    report = person_keys_repair(apps)
    print(
        "\n  Personnummer keys: "
        + ", ".join(f"{name} {count}" for name, count in report.as_dict().items())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_initial"),
        ("audit", "0002_append_only_trigger"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    # proposals 0004 (Support.duplicate_of) runs before this one: see its run_before.

    operations = [
        migrations.RunPython(canonical_person_keys, migrations.RunPython.noop, elidable=True),
    ]
