from typing import Any

from django.core.management.base import BaseCommand

from torget.opendata import exports


class Command(BaseCommand):
    help = "Bygg exporterna av öppna data (CSV, JSON och README per datamängd) under MEDIA_ROOT/opendata/."

    def handle(self, *args: Any, **options: Any) -> None:
        built = exports.build_all()
        for slug, entry in built["datasets"].items():
            self.stdout.write(f"  {slug:<30} {entry['rows']:>8} rader {entry['bytes']:>10} byte")
        self.stdout.write(
            self.style.SUCCESS(f"{len(built['datasets'])} datamängder byggda i {exports.folder()}.")
        )
