"""``manage.py outbox_drain``: run the outbox messages that are due, once (what the worker's job does)."""

from django.core.management.base import BaseCommand

from core.outbox import outbox_drain


class Command(BaseCommand):
    help = "Run the outbox messages that are due once, and say how many were done, retried or gave up."

    def handle(self, *args, **options):
        result = outbox_drain()
        self.stdout.write(f"done {result.done}, retried {result.retried}, failed {result.failed}")
