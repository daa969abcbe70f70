"""Builds the fictional demo municipality, Storeby kommun, modelled on the seeds.

Each app keeps its part in its own `demo.py` and registers it with `torget.core.demo`; this
command runs every part in one transaction, in the order they depend on each other.

Idempotent: every object is looked up by a natural key and only written when it is missing
or differs, so a second run changes nothing (no rows, no audit entries).
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from torget.core import demo
from torget.core.demo import DEMO_PASSWORD

# Only these profiles use the README's published password (see `handle`).
DEMO_PROFILES = {"dev", "test"}


class Command(BaseCommand):
    help = "Läs in demokommunen Storeby kommun (kan köras flera gånger)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force-in-production",
            action="store_true",
            help=(
                "Läs in demon även med TORGET_ENV=production, till exempel på en testserver. "
                "Inloggningarna får då ett slumpat lösenord som skrivs ut en gång."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TORGET_ENV == "production" and not options["force_in_production"]:
            # The demo creates staff log-ins, an administrator among them: on a real site
            # that is a way in for anyone who has read the README.
            raise CommandError(
                "load_demo refuses to run with TORGET_ENV=production: it creates demo staff "
                "accounts, an administrator among them. Use --force-in-production to load "
                "the demo anyway (the log-ins then get a random password, printed once)."
            )
        # Outside dev and test the published password would work on a reachable site, so each
        # run draws its own; dev keeps the README's so its demo log-ins work.
        if settings.TORGET_ENV in DEMO_PROFILES:
            password = DEMO_PASSWORD
        else:
            password = secrets.token_urlsafe(12)
        context = demo.DemoContext(password=password)
        with transaction.atomic():
            demo.load_all(context)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo municipality loaded ({context.changes} objects created or changed)."
            )
        )
        if password == DEMO_PASSWORD:
            self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        elif context.password_used:
            self.stdout.write(
                self.style.WARNING(
                    "Demo log-ins (password of those created or reset in this run, shown "
                    f"only now: {password}):"
                )
            )
        else:
            self.stdout.write(
                "Demo log-ins (their password is the one printed when they were created):"
            )
        for role, email in context.logins:
            self.stdout.write(f"  {role:<22} {email}")
