"""`torget <command>` (or `python -m torget <command>`): Django's manage.py for an installed
Torget, where there is no checkout and so no manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torget.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
