# The date each step of a dialogue was decided or happened, as entered; until now the history
# showed when it was recorded.

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone

# Steps whose own date field says when it was decided.
DATED_BY = {"decide": "decided_on", "record_decision": "outcome_decided_on"}


def fill(apps, schema_editor):
    Event = apps.get_model("dialogues", "Event")
    for event in Event.objects.select_related("dialogue").iterator():
        own = DATED_BY.get(event.step)
        date = getattr(event.dialogue, own) if own else None
        event.happened_on = date or timezone.localdate(event.occurred_at)
        event.save(update_fields=["happened_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0005_catalogue_codes_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="happened_on",
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name="datum"),
        ),
        migrations.AlterField(
            model_name="event",
            name="occurred_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="registrerad"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
