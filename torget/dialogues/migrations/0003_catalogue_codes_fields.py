"""Codes and rule data for the catalogue: added empty here, filled by 0004, made required
and unique by 0005 (three steps, so PostgreSQL never alters a table with pending row
changes in the same transaction)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0002_catalogue")]

    operations = [
        migrations.AddField(
            model_name="method",
            name="code",
            field=models.SlugField(max_length=60, null=True, verbose_name="kod"),
        ),
        migrations.AddField(
            model_name="method",
            name="is_information",
            field=models.BooleanField(
                default=False,
                help_text="En dialogplan börjar alltid med en informationsmetod, även när en högre grad av inflytande är beslutad.",
                verbose_name="är en informationsmetod",
            ),
        ),
        migrations.AddField(
            model_name="method",
            name="min_participants",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Ett möte med metoden måste ha ett deltagartak inom gränserna. Tomt: ingen gräns.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="minsta antal deltagare",
            ),
        ),
        migrations.AddField(
            model_name="method",
            name="max_participants",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Till exempel 12 för en fokusgrupp. Tomt: ingen gräns.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="högsta antal deltagare",
            ),
        ),
        migrations.AddField(
            model_name="targetgroup",
            name="code",
            field=models.SlugField(max_length=60, null=True, verbose_name="kod"),
        ),
    ]
