from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torget.geo.services import PopulationFileError, population_import


class Command(BaseCommand):
    help = (
        "Läs in befolkningsstatistik (CSV: område;åldersgrupp;antal[;målgrupp]) och ersätt "
        "den gällande. Filen läses in helt eller inte alls."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="CSV file, UTF-8, ; or , between columns")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            with path.open("rb") as file:
                source = population_import(file=file, actor=None, file_name=path.name)
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error}") from error
        except PopulationFileError as error:
            raise CommandError(
                f"{path.name} was not imported:\n" + "\n".join(error.messages)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(f"{source.row_count} population figures imported from {path.name}.")
        )
