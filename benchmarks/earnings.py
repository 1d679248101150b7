"""The expert's earnings page (``/expert/earnings/``) with 10,000 ledger entries: p50/p95 and queries.

Runs on its own database, never the shared one. Make it from any database migrated to this branch
(e.g. the test database a ``pytest --create-db`` left behind), or migrate a new one:

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE taptime_bench_earnings TEMPLATE test_<branch>"
    # or: createdb … && DATABASE_URL=… .venv/bin/python manage.py migrate --settings=taptime.settings.base
    .venv/bin/python benchmarks/earnings.py [runs]

Seeds (once; a second run finds them in place) an expert whose postings hold 10,050 ledger entries: 2,100 paid
sessions over 20 months (3 entries each: learner payment, expert share, fee), 1,500 of them released
(2 entries each), 250 small refunds (3 entries each) — and a second expert with 10 sessions. Then
requests in turn, ``runs`` rounds (default 200): the small expert's page, the large expert's page 1,
its page 40, and page 1 with the chart's cache dropped before each request (the first view after a
new ledger entry). Interleaving puts a busy machine's noise on every URL alike. The bar from issue 16
is p95 ≤ 50 ms at a query count that does not grow with the entries.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taptime_bench_earnings"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

SESSIONS, RELEASED, REFUNDED = 2_100, 1_500, 250


def _expert(email: str):
    from accounts.models import User

    user, _created = User.objects.get_or_create(
        email=email, defaults={"full_name": "Bench Expert", "is_expert": True, "time_zone": "Europe/Berlin"}
    )
    return user


def seed(expert, sessions: int, released: int, refunded: int, tag: str) -> None:
    """Bulk postings shaped exactly like the services' (balanced; the trigger checks each one)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from billing.models import LedgerAccount, LedgerEntry, LedgerTransaction
    from billing.services.ledger import commission_split, ledger_account

    if LedgerTransaction.objects.filter(reference__startswith=f"payment-bench{tag}-").exists():
        return
    kind = LedgerAccount.Kind
    learner = ledger_account(kind=kind.LEARNER_PAYMENTS, currency="EUR")
    revenue = ledger_account(kind=kind.PLATFORM_REVENUE, currency="EUR")
    refunds = ledger_account(kind=kind.REFUNDS, currency="EUR")
    pending = ledger_account(kind=kind.EXPERT_PENDING, currency="EUR", owner=expert)
    available = ledger_account(kind=kind.EXPERT_AVAILABLE, currency="EUR", owner=expert)
    now = timezone.now()
    share, fee = commission_split(gross=8_000, commission_rate_bp=1500)
    with transaction.atomic():
        postings, lines = [], []
        for n in range(sessions):
            when = now - timedelta(hours=7 * n)
            ref = f"payment-bench{tag}-{n}"
            postings.append(LedgerTransaction(kind="payment", reference=ref, created_at=when))
            lines.append([(learner, -8_000), (pending, share), (revenue, fee)])
            if n < refunded:
                postings.append(LedgerTransaction(kind="reversal", reference=f"{ref}:refund-to-800", created_at=when))
                lines.append([(refunds, 800), (pending, -680), (revenue, -120)])
            if refunded <= n < refunded + released:
                postings.append(LedgerTransaction(kind="release", reference=f"{ref}:release", created_at=when))
                lines.append([(pending, -share), (available, share)])
        # The ledger is append-only (a trigger refuses UPDATE), so the spread-out times go in with the
        # INSERT: auto_now_add would overwrite them, and is switched off for this bulk insert only.
        field = LedgerTransaction._meta.get_field("created_at")
        field.auto_now_add = False
        try:
            created = LedgerTransaction.objects.bulk_create(postings)
        finally:
            field.auto_now_add = True
        LedgerEntry.objects.bulk_create(
            LedgerEntry(transaction=posting, account=account, amount=amount, currency="EUR")
            for posting, posting_lines in zip(created, lines, strict=True)
            for account, amount in posting_lines
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE billing_ledgerentry")
        cursor.execute("ANALYZE billing_ledgertransaction")


def main() -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from billing.models import LedgerEntry

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    large, small = _expert("bench-earnings-large@example.com"), _expert("bench-earnings-small@example.com")
    seed(large, SESSIONS, RELEASED, REFUNDED, "L")
    seed(small, 10, 5, 1, "S")
    print(
        f"entries in the large expert's postings: "
        f"{LedgerEntry.objects.filter(transaction__entries__account__owner=large).distinct().count():,}; "
        f"on their own accounts {LedgerEntry.objects.filter(account__owner=large).count():,} of "
        f"{LedgerEntry.objects.count():,} in the ledger"
    )
    clients = {}
    for user in (large, small):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    urls = {
        "small expert, page 1": (small, "/expert/earnings/", False),
        "10,000 entries, page 1": (large, "/expert/earnings/", False),
        "10,000 entries, page 40": (large, "/expert/earnings/?page=40", False),
        "10,000 entries, chart cache cold": (large, "/expert/earnings/", True),
    }
    timings: dict[str, list[float]] = {name: [] for name in urls}
    for _warm in range(3):
        for user, url, _cold in urls.values():
            assert clients[user.pk].get(url).status_code == 200
    for _run in range(runs):
        for name, (user, url, cold) in urls.items():
            if cold:
                cache.clear()
            started = time.perf_counter()
            clients[user.pk].get(url)
            timings[name].append((time.perf_counter() - started) * 1000)
    for name, (user, url, cold) in urls.items():
        values = sorted(timings[name])
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            clients[user.pk].get(url)
        print(f"  {name:<34} p50 {statistics.median(values):6.1f} ms  p95 {p95:6.1f} ms  {len(queries):>3} queries")
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
