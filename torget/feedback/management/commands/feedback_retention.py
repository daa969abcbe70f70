from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from torget.feedback import services


class Command(BaseCommand):
    help = (
        "Gallra synpunkter och felanmälningar: ta bort personuppgifter (namn, kontaktuppgifter, "
        "fritext, foton) ur ärenden som har varit avslutade längre än kommunens gallringstid. "
        "Statistiken finns kvar. Gallringsplanen gör det varje natt med sin egen frist "
        "(run_retention --kind feedback.requesters); det här kommandot använder kommunens "
        "inställning."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa bara hur många ärenden som skulle gallras; ändra ingenting.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            count = services.cases_expired(timezone.now()).count()
            self.stdout.write(f"{count} case(s) would be anonymised (dry run, nothing changed).")
            return
        count = services.cases_anonymize_expired()
        self.stdout.write(f"Anonymised {count} case(s).")
