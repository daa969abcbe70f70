from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Kompilera översättningarna (.po till .mo) utan GNU gettext."

    # Django's compilemessages needs GNU msgfmt, which a fresh machine may lack; Babel does
    # the same in pure Python, so `make run` has no hidden system dependency.

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file)
                errors = [(m.id, e) for m, e in catalog.check() if e]
                if errors:
                    raise CommandError(f"{po_path}: {errors[:3]}")
                mo_path = po_path.with_suffix(".mo")
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog)
                compiled += 1
        self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
