"""The demo seeders' shared parts: their order, the log line type and the tally.

Each seeder exposes ``seed(*, log)`` and must be deterministic and idempotent:
a second run finds everything in place and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

Log = Callable[[str], None]

# The order matters: later seeders build on what earlier ones made.
SEEDERS = [
    "demo.accounts",
    "demo.reviewers",
    "demo.site",
    "demo.blog",
    "demo.marketplace",
    "demo.applications",
    "demo.bookings",
    "demo.reviews",
    "demo.billing",
    "demo.learning",
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


# True while ``seed_demo --allow-production`` runs: seeders leave out what must
# never exist on a real server (a superuser whose password is in the README).
_for_production: ContextVar[bool] = ContextVar("demo_for_production", default=False)


@contextmanager
def seeding_for_production(flag: bool) -> Iterator[None]:
    token = _for_production.set(flag)
    try:
        yield
    finally:
        _for_production.reset(token)


def is_seeding_for_production() -> bool:
    return _for_production.get()
