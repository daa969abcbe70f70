import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from torget.feedback import services
from torget.feedback.models import Case
from torget.organisation.selectors import municipality_get


def _expired(now: datetime.datetime) -> int:
    """How many cases the retention service would anonymise now. It mirrors the service's
    choice (closed longer ago than the retention period, not yet anonymised); the tests check
    that the two agree."""
    months = municipality_get().feedback_retention_months
    cutoff = now - datetime.timedelta(days=round(months * 30.44))
    return Case.objects.filter(
        is_open=False, closed_at__lt=cutoff, anonymized_at__isnull=True
    ).count()


class Command(BaseCommand):
    help = (
        "Gallra synpunkter och felanmälningar: ta bort personuppgifter (namn, kontaktuppgifter, "
        "fritext, foton) ur ärenden som har varit avslutade längre än kommunens gallringstid. "
        "Statistiken finns kvar. Arbetaren gör det varje dygn; kommandot finns för drift och test."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa bara hur många ärenden som skulle gallras; ändra ingenting.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            count = _expired(timezone.now())
            self.stdout.write(f"{count} case(s) would be anonymised (dry run, nothing changed).")
            return
        count = services.cases_anonymize_expired()
        self.stdout.write(f"Anonymised {count} case(s).")
