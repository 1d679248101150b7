"""Helpers shared by the apps' demo seeders (``<app>/demo.py``).

Each seeder exposes ``seed(*, log)`` and must be deterministic and idempotent:
a second run finds everything in place and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Log = Callable[[str], None]

# The order matters: later seeders build on what earlier ones made.
SEEDERS = [
    "accounts.demo",
    "cms_pages.demo",
    "blog.demo",
    "marketplace.demo",
    "billing.demo",
]


@dataclass
class Tally:
    """Counts what a seeder created, for the progress line."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, was_created: bool) -> None:
        self.created.setdefault(label, 0)
        if was_created:
            self.created[label] += 1

    def summary(self) -> str:
        if not self.created:
            return "nothing to do"
        return ", ".join(f"{label}: {count} new" for label, count in self.created.items())
