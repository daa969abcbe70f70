from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from torget.retention import services
from torget.retention.models import RunTrigger


class Command(BaseCommand):
    help = (
        "Gallra enligt gallringsplanen nu, som arbetaren gör varje natt. Varje körning loggas "
        "med antal per handlingstyp."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Räkna bara vad som skulle gallras; ändra ingenting (och logga ingen körning).",
        )
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="KIND",
            help="Gallra bara den här handlingstypen (kan anges flera gånger).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = services.plan_run(
                trigger=RunTrigger.MANUAL, dry_run=options["dry_run"], kinds=options["kinds"]
            )
        except services.UnknownKindError as error:
            raise CommandError(f"Unknown record kind: {error}") from error
        verb = "would change" if run.dry_run else "changed"
        for key, result in run.results.items():
            counts = ", ".join(f"{name} {n}" for name, n in result["counts"].items())
            self.stdout.write(f"{key}: {verb} {counts} (before {result['cutoff']})")
        for key, message in run.errors.items():
            self.stderr.write(f"{key}: FAILED {message}")
        suffix = " (dry run, nothing changed)" if run.dry_run else ""
        self.stdout.write(f"Total: {run.total}{suffix}.")
        if run.errors:
            raise CommandError(f"{len(run.errors)} kind(s) failed.")
