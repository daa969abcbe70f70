"""Recount a citizen budget round from its stored ballots and compare with the published
result: `manage.py budget_recount <round id>`. Prints the result; exits with an error when the
recount differs from what was published (the ballots or the counting changed)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torget.budget import counting
from torget.budget.models import BudgetRound


class Command(BaseCommand):
    help = "Räknar om en medborgarbudgets röster från de sparade röstsedlarna och jämför med det publicerade resultatet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", type=int, help="Omgångens id")
        parser.add_argument(
            "--method",
            choices=["girig", "lika-andelar"],
            help="Räkna med en annan metod än omgångens (jämförs inte med resultatet).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        round = BudgetRound.objects.filter(pk=options["round"]).first()
        if round is None:
            raise CommandError(f"Det finns ingen medborgarbudgetomgång med id {options['round']}.")
        result = counting.count(round, method=options.get("method"))
        self.stdout.write(f"{round.title} (id {round.pk})")
        self.stdout.write(f"Metod: {result['method_label']}")
        self.stdout.write(
            f"Röstsedlar: {result['ballots']} (med hjälp av personal: {result['assisted']})"
        )
        self.stdout.write(
            f"Budget: {result['budget']} kr, fördelat {result['spent']} kr, kvar {result['left']} kr"
        )
        for row in result["projects"]:
            mark = "JA " if row["funded"] else "NEJ"
            self.stdout.write(
                f"{mark} idé {row['number']:>4} {row['votes']:>8} röster {row['cost']:>12} kr  "
                f"{row['title']}: {row['reason_text']}"
            )
        if options.get("method"):
            return
        if not round.result:
            self.stdout.write("Resultatet är inte publicerat; inget att jämföra med.")
            return
        problems = counting.differences(round.result, result)
        if problems:
            raise CommandError(
                "Omräkningen skiljer sig från det publicerade resultatet:\n" + "\n".join(problems)
            )
        self.stdout.write(self.style.SUCCESS("Omräkningen ger exakt det publicerade resultatet."))
