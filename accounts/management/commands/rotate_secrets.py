"""Re-encrypt every stored secret under the first key of MFA_ENCRYPTION_KEYS (docs/accounts.md#encryption-at-rest)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.services import secrets_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt second-factor secrets, calendar addresses and tokens and webhook secrets under the first "
        "key of MFA_ENCRYPTION_KEYS. Run after putting a new key first; remove the old keys only afterwards."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            counts = secrets_rotate(batch_size=batch_size)
        except RuntimeError as error:
            raise CommandError(f"{error} Nothing more was rewritten; fix the keys and run again.") from error
        for column, count in counts.items():
            self.stdout.write(f"{column}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {sum(counts.values())} secrets under the current key."))
