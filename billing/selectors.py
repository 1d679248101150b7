"""Reads over billing data, each a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import CharField, Count, Exists, Max, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncMonth
from django.utils import timezone

from core.money import CURRENCY_EXPONENTS, Money

from .models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    PackagePurchase,
    Payment,
    PlatformSettings,
    SessionCredit,
    Withdrawal,
)


def ledger_balance(*, account: LedgerAccount) -> int:
    """An account's balance in minor units (one query)."""
    return LedgerEntry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"] or 0


def ledger_balances_for_owner(*, owner) -> dict[tuple[str, str], int]:
    """{(kind, currency): balance} for every account of one user (one query)."""
    rows = (
        LedgerEntry.objects.filter(account__owner=owner)
        .values("account__kind", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(row["account__kind"], row["currency"]): row["total"] for row in rows}


def ledger_platform_balances() -> dict[tuple[str, str], int]:
    """{(kind, currency): balance} for the platform's own accounts (one query)."""
    rows = (
        LedgerEntry.objects.filter(account__owner__isnull=True)
        .values("account__kind", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(row["account__kind"], row["currency"]): row["total"] for row in rows}


def ledger_totals_by_currency() -> dict[str, int]:
    """Sum of every entry per currency; zero for each when the ledger is balanced (one query)."""
    rows = LedgerEntry.objects.values("currency").annotate(total=Sum("amount")).order_by()
    return {row["currency"]: row["total"] for row in rows}


def ledger_unbalanced_transactions() -> list[tuple[int, str, int]]:
    """(transaction id, currency, total) for every transaction that does not sum to zero (one query)."""
    rows = (
        LedgerEntry.objects.values("transaction_id", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("transaction_id")
    )
    return [(row["transaction_id"], row["currency"], row["total"]) for row in rows]


def ledger_reconciliation_problems() -> list[str]:
    """What the nightly check reports (two queries): unbalanced transactions, and paid payments
    whose posting is missing. Empty when the ledger agrees with itself and with the payments."""
    problems = [
        f"transaction {pk} does not balance in {currency} (off by {total})"
        for pk, currency, total in ledger_unbalanced_transactions()
    ]
    paid = Payment.objects.filter(status__in=[*Payment.PAID, Payment.Status.REFUNDED]).annotate(
        posted=Exists(LedgerTransaction.objects.filter(reference=Concat(Value("payment-"), Cast("pk", CharField()))))
    )
    problems += [
        f"payment {pk} is paid but has no ledger posting"
        for pk in paid.filter(posted=False).values_list("pk", flat=True)
    ]
    return problems


def commission_rate_bp() -> int:
    """The current platform commission in basis points (Wagtail setting, default 1500)."""
    return PlatformSettings.load().commission_rate_bp


def booking_latest_payment(*, booking) -> Payment | None:
    """The booking's newest payment that reached Stripe (has a PaymentIntent), or None (one query)."""
    return Payment.objects.filter(booking=booking, stripe_payment_intent_id__isnull=False).order_by("-id").first()


def booking_declined_payment_reason(*, booking) -> str | None:
    """Why the booking's last payment attempt was declined, if it was (one query); else None.

    A declined card leaves the payment failed (test cards) or cancelled with the
    bank's message (Stripe's Payment Element); the review page says so once.
    """
    last = Payment.objects.filter(booking=booking).order_by("-pk").values("status", "last_error").first()
    if last is None:
        return None
    if last["status"] == Payment.Status.FAILED or (last["status"] == Payment.Status.CANCELED and last["last_error"]):
        return last["last_error"] or ""
    return None


def booking_paid_payment(*, booking) -> Payment | None:
    """The booking's payment that was paid (refunded or being refunded included), if any (one query)."""
    return (
        Payment.objects.filter(booking=booking, status__in=[*Payment.PAID, Payment.Status.REFUNDED])
        .order_by("-pk")
        .first()
    )


# --- The operations console's money lists (``billing.views.money_admin``) ---------------------------

RECEIVED_STATUSES = (Payment.Status.SUCCEEDED, Payment.Status.REFUND_PENDING, Payment.Status.REFUNDED)


def payments_for_staff():
    """Every payment, newest first, with payer and payee (one query per page)."""
    return Payment.objects.select_related("payer", "payee").order_by("-created_at", "-pk")


def payment_totals_by_currency(*, payments) -> dict[str, dict[str, int]]:
    """{currency: {"received", "refunded", "net"}} over ``payments`` (one query, grouped by currency).

    "Received" counts what reached us (paid, being refunded, refunded); "refunded" what went back. Over
    every payment they equal the ledger: received is minus the ``learner_payments`` balance and refunded
    the ``refunds`` balance (tested), because the ledger books exactly those movements.
    """
    rows = (
        payments.order_by()
        .values("currency")
        .annotate(
            received=Sum("amount_minor", filter=Q(status__in=RECEIVED_STATUSES)),
            refunded=Sum("refunded_minor", filter=Q(status__in=RECEIVED_STATUSES)),
        )
    )
    totals = {}
    for row in rows:
        received, refunded = row["received"] or 0, row["refunded"] or 0
        totals[row["currency"]] = {"received": received, "refunded": refunded, "net": received - refunded}
    return dict(sorted(totals.items()))


# --- The expert's earnings (``/expert/earnings/``, the API's ``expert/earnings/``) ---------------


@dataclass(frozen=True)
class CurrencyBalances:
    """An expert's balances in one currency, each the sum of its ledger account's entries."""

    currency: str
    pending: int
    available: int
    withdrawing: int
    paid_out: int

    def money(self, name: str) -> Money:
        return Money(getattr(self, name), self.currency)

    @property
    def pending_money(self) -> Money:
        return self.money("pending")

    @property
    def available_money(self) -> Money:
        return self.money("available")

    @property
    def withdrawing_money(self) -> Money:
        return self.money("withdrawing")

    @property
    def paid_out_money(self) -> Money:
        return self.money("paid_out")


def expert_balances(*, expert) -> list[CurrencyBalances]:
    """Pending, available, withdrawing and paid-out per currency, from the ledger (one query)."""
    totals = ledger_balances_for_owner(owner=expert)
    kind = LedgerAccount.Kind
    return [
        CurrencyBalances(
            currency=currency,
            pending=totals.get((kind.EXPERT_PENDING, currency), 0),
            available=totals.get((kind.EXPERT_AVAILABLE, currency), 0),
            withdrawing=totals.get((kind.EXPERT_WITHDRAWING, currency), 0),
            paid_out=totals.get((kind.EXPERT_PAID_OUT, currency), 0),
        )
        for currency in sorted({currency for _kind, currency in totals})
        if currency in CURRENCY_EXPONENTS
    ]


# What the expert filters movements by, and which postings each takes.
MOVEMENT_TYPES: dict[str, tuple[str, ...]] = {
    "session": (LedgerTransaction.Kind.PAYMENT,),
    "refund": (LedgerTransaction.Kind.REVERSAL,),
    "dispute": (LedgerTransaction.Kind.DISPUTE,),
    "release": (LedgerTransaction.Kind.RELEASE,),
    "withdrawal": (LedgerTransaction.Kind.WITHDRAWAL,),
    "payout": (LedgerTransaction.Kind.PAYOUT,),
}
MOVEMENT_TYPE_OF_KIND = {kind: name for name, kinds in MOVEMENT_TYPES.items() for kind in kinds}


def expert_movements(*, expert, types=(), currency: str = "", since=None, until=None):
    """Every posting that touched the expert's accounts, newest first, with its effect on each of
    the expert's balances and, for sessions and refunds, the gross amount and TapTime's fee.

    One query for any number of rows (the sums are per transaction, grouped in SQL); ``since`` and
    ``until`` are aware datetimes, ``until`` exclusive.
    """
    return _movements_annotated(
        _movements_filtered(expert=expert, types=types, currency=currency, since=since, until=until), expert
    )


def _movements_annotated(rows, expert):
    kind = LedgerAccount.Kind
    mine = Q(entries__account__owner=expert)

    def mine_in(account_kind):
        return Sum("entries__amount", filter=mine & Q(entries__account__kind=account_kind))

    return rows.annotate(
        currency=Max("entries__currency"),
        pending=Coalesce(mine_in(kind.EXPERT_PENDING), 0),
        available=Coalesce(mine_in(kind.EXPERT_AVAILABLE), 0),
        withdrawing=Coalesce(mine_in(kind.EXPERT_WITHDRAWING), 0),
        paid_out=Coalesce(mine_in(kind.EXPERT_PAID_OUT), 0),
        fee=Coalesce(Sum("entries__amount", filter=Q(entries__account__kind=kind.PLATFORM_REVENUE)), 0),
        gross=Coalesce(
            Sum(
                "entries__amount",
                filter=Q(entries__account__kind__in=[kind.LEARNER_PAYMENTS, kind.REFUNDS, kind.DISPUTES]),
            ),
            0,
        ),
    ).order_by("-created_at", "-pk")


def expert_movements_page(*, expert, number: int, per_page: int, **filters) -> tuple[list, bool]:
    """One page of ``expert_movements`` without counting them all: (rows, has_next), two queries.

    The first query picks the page's transaction ids by the same filters, newest first (one more
    than a page, to know whether there is a next one); only those get the per-transaction sums. A
    ``COUNT`` over every grouped posting is what made the page slow at 10,000 entries.
    """
    window = _movements_filtered(expert=expert, **filters).order_by("-created_at", "-pk").values_list("pk", flat=True)
    ids = list(window[(number - 1) * per_page : number * per_page + 1])
    rows = list(_movements_annotated(LedgerTransaction.objects.filter(pk__in=ids[:per_page]), expert)) if ids else []
    return rows, len(ids) > per_page


def _movements_filtered(*, expert, types=(), currency: str = "", since=None, until=None):
    """The postings ``expert_movements`` lists, filtered, without its sums."""
    rows = LedgerTransaction.objects.filter(
        Exists(LedgerEntry.objects.filter(transaction=OuterRef("pk"), account__owner=expert))
    )
    if types:
        rows = rows.filter(kind__in=[k for name in types for k in MOVEMENT_TYPES.get(name, ())])
    if currency:
        rows = rows.filter(Exists(LedgerEntry.objects.filter(transaction=OuterRef("pk"), currency=currency)))
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if until is not None:
        rows = rows.filter(created_at__lt=until)
    return rows


def expert_last_entry_id(*, expert) -> int:
    """The id of the newest ledger entry on the expert's accounts (0 if none): a version of everything
    derived from their ledger, e.g. the cached chart (one query)."""
    return LedgerEntry.objects.filter(account__owner=expert).aggregate(last=Max("pk"))["last"] or 0


def expert_earnings_by_month(*, expert, zone, months: int = 12, now=None) -> list[dict]:
    """The expert's session earnings (their share, net of refunds and disputes) per month, currency and
    session length, for the chart and its table (one query; summed here)."""
    now = now or timezone.now()
    start = (
        now.astimezone(zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        - timedelta(days=31 * (months - 1))
    ).replace(day=1)
    entries = (
        LedgerEntry.objects.filter(
            account__owner=expert,
            account__kind=LedgerAccount.Kind.EXPERT_PENDING,
            transaction__kind__in=[
                LedgerTransaction.Kind.PAYMENT,
                LedgerTransaction.Kind.REVERSAL,
                LedgerTransaction.Kind.DISPUTE,
            ],
            transaction__created_at__gte=start,
        )
        .annotate(month=TruncMonth("transaction__created_at", tzinfo=zone))
        .values("month", "currency", "transaction__reference")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return list(entries)


def _minutes_by_payment(references) -> dict[str, int | None]:
    ids = [int(ref.removeprefix("payment-")) for ref in references if ref.removeprefix("payment-").isdigit()]
    return {
        f"payment-{pk}": minutes
        for pk, minutes in Payment.objects.filter(pk__in=ids).values_list(
            "pk", "booking__session_type__duration_minutes"
        )
    }


def expert_earnings_chart_rows(*, expert, zone, months: int = 12, now=None) -> list[tuple[str, str, str, int]]:
    """(month "YYYY-MM", currency, session length label, earned minor units), oldest month first (two queries)."""
    rows = expert_earnings_by_month(expert=expert, zone=zone, months=months, now=now)
    minutes = _minutes_by_payment({row["transaction__reference"].split(":")[0] for row in rows})
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in rows:
        length = minutes.get(row["transaction__reference"].split(":")[0])
        label = f"{length} min" if length else "other"
        totals[(row["month"].strftime("%Y-%m"), row["currency"], label)] += row["total"]
    return sorted((month, currency, label, total) for (month, currency, label), total in totals.items())


def expert_withdrawals(*, expert):
    """The expert's withdrawals, newest first (one query per page)."""
    return Withdrawal.objects.filter(expert=expert).order_by("-created_at", "-pk")


def withdrawals_waiting_count() -> int:
    """How many withdrawals wait for a staff decision or a retried transfer (one query)."""
    return Withdrawal.objects.filter(status__in=Withdrawal.OPEN).count()


def learner_package_purchases(*, learner):
    """The learner's package purchases, newest first, with their credits counted (one query a page)."""
    return (
        PackagePurchase.objects.filter(learner=learner)
        .select_related("expert")
        .annotate(
            credits_used=Count("credits", filter=Q(credits__status=SessionCredit.Status.USED)),
            credits_left=Count("credits", filter=Q(credits__status=SessionCredit.Status.AVAILABLE)),
        )
        .order_by("-created_at", "-pk")
    )


def learner_package_purchase(*, learner, pk: int) -> PackagePurchase | None:
    """One of the learner's purchases (None for anyone else's), with its expert."""
    return PackagePurchase.objects.select_related("expert").filter(pk=pk, learner=learner).first()


def package_purchase_credits(*, purchase) -> list[SessionCredit]:
    """A purchase's credits with the bookings that used them (one query)."""
    return list(purchase.credits.select_related("booking").order_by("number"))
