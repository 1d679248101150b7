"""Build the demo: ``manage.py seed_demo``. Safe to run any number of times.

The seeders live in the ``demo`` app, which only the dev and test settings
install. Under any other settings (production) the command refuses, unless it
is given ``--allow-production`` on purpose (a sales demo on a real server):
then the staff account gets no password at all, never the one printed in the
README, and the log says how to set one.
"""

import importlib
import logging
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.base import SEEDERS, seeding_for_production


class Command(BaseCommand):
    help = "Create the demo site, accounts and content. Deterministic and idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even though the demo app is not installed (production settings). "
            "The staff account is then created without a password.",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        demo_installed = apps.is_installed("demo")
        if not demo_installed and not allow_production:
            raise CommandError(
                "The demo app is not installed in these settings, which look like production. "
                "Seeding would add demo accounts and content. "
                "Use the dev settings (manage.py's default), or pass --allow-production if you mean it."
            )
        # Wagtail logs every page it creates; the progress lines below say enough.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        started = time.monotonic()
        total = len(SEEDERS)
        with seeding_for_production(not demo_installed):
            for index, dotted in enumerate(SEEDERS, start=1):
                module = importlib.import_module(dotted)
                step_started = time.monotonic()
                self.stdout.write(f"[{index}/{total}] {module.__doc__.strip().splitlines()[0]}")
                with transaction.atomic():
                    summary = module.seed(log=lambda line: self.stdout.write(f"      {line}"))
                elapsed = time.monotonic() - step_started
                self.stdout.write(self.style.SUCCESS(f"      done in {elapsed:.1f}s — {summary}"))
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {time.monotonic() - started:.1f}s."))
