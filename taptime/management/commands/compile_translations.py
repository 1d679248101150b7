"""Compile every locale/*/LC_MESSAGES/*.po into .mo with polib (no gettext tools needed).

msgfmt is missing on fresh machines, and the .mo files are build output, so
they are not committed: `make migrate`, scripts/test.sh and the SQLite smoke
run call this command first.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po translation files to .mo files."

    def handle(self, *args, **options) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                po = polib.pofile(str(po_path))
                po.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"{po_path}: {po.percent_translated()}% translated")
        self.stdout.write(f"Compiled {compiled} translation file(s).")
