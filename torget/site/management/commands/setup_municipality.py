from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torget.site.municipality_setup import (
    SetupError,
    config_read,
    municipality_exists,
    municipality_setup,
)


class Command(BaseCommand):
    help = (
        "Set up your own municipality from a TOML file (instead of the demo): the "
        "municipality, its areas, bodies, first staff users and their roles. See README."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("config", type=Path, help="the municipality's TOML file")
        parser.add_argument(
            "--update",
            action="store_true",
            help="change a municipality that is already set up (running twice changes nothing)",
        )
        parser.add_argument(
            "--send-email",
            action="store_true",
            help="e-mail each new user their set-password link (through the outbox) "
            "instead of only printing it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["config"]
        if municipality_exists() and not options["update"]:
            raise CommandError(
                "This database already has a municipality. Run with --update to change it "
                "from the file."
            )
        try:
            config = config_read(path)
            report = municipality_setup(
                config=config,
                base_dir=path.parent,
                update=options["update"],
                send_email=options["send_email"],
            )
        except SetupError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{config['municipality']['name']}: {report.areas_created} areas created, "
                f"{report.areas_updated} updated; {report.bodies_created} bodies created; "
                f"{report.users_created} users created; "
                f"{report.memberships_created} seats created."
            )
        )
        if report.retention == "set":
            self.stdout.write("Retention plan set from the file.")
        if report.new_users:
            how = "e-mailed to" if options["send_email"] else "for"
            self.stdout.write(
                f"One-time links to choose a password ({how} each user who has not chosen one "
                "yet; each works once, until the password-reset timeout passes):"
            )
            for new in report.new_users:
                self.stdout.write(f"  {new.user.email}: {new.link}")
