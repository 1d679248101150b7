"""Build the demo: ``manage.py seed_demo``. Safe to run any number of times."""

import importlib
import logging
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from taptime.demo import SEEDERS


class Command(BaseCommand):
    help = "Create the demo site, accounts and content. Deterministic and idempotent."

    def handle(self, *args, **options) -> None:
        # Wagtail logs every page it creates; the progress lines below say enough.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        started = time.monotonic()
        total = len(SEEDERS)
        for index, dotted in enumerate(SEEDERS, start=1):
            module = importlib.import_module(dotted)
            step_started = time.monotonic()
            self.stdout.write(f"[{index}/{total}] {module.__doc__.strip().splitlines()[0]}")
            with transaction.atomic():
                summary = module.seed(log=lambda line: self.stdout.write(f"      {line}"))
            self.stdout.write(self.style.SUCCESS(f"      done in {time.monotonic() - step_started:.1f}s — {summary}"))
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {time.monotonic() - started:.1f}s."))
