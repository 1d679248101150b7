"""Reads over billing data, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import CharField, Exists, Q, Sum, Value
from django.db.models.functions import Cast, Concat

from .models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment, PlatformSettings


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
