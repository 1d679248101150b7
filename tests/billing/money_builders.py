"""Past paid sessions, payout accounts and Stripe Connect shapes for the earnings and withdrawal tests."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from billing.models import LedgerEntry, Payment, PayoutAccount
from billing.services.ledger import ledger_book_payment
from bookings.models import Booking
from tests.factories import ExpertUserFactory, UserFactory

API = "https://api.stripe.com"
_counter = itertools.count(1)


def past_paid_session(
    *,
    expert=None,
    learner=None,
    ended_days_ago: float = 10,
    amount: int = 8_000,
    currency: str = "EUR",
    status: str = Booking.Status.COMPLETED,
    session_type=None,
) -> Payment:
    """A session that ended ``ended_days_ago`` days ago, paid in full, its ledger posting booked (15 %)."""
    expert = expert or ExpertUserFactory()
    learner = learner or UserFactory()
    n = next(_counter)
    # A second apart so each session is distinct; bounded, or a long run (the property tests call this
    # thousands of times) would push later sessions days away from ``ended_days_ago``.
    end = timezone.now() - timedelta(days=ended_days_ago, seconds=n % 3600)
    booking = Booking.objects.create(
        learner=learner,
        expert=expert,
        session_type=session_type,
        start=end - timedelta(hours=1),
        end=end,
        status=status,
        amount_minor=amount,
        currency=currency,
    )
    payment = Payment.objects.create(
        booking=booking,
        reference=f"booking-{booking.pk}",
        payer=learner,
        payee=expert,
        amount_minor=amount,
        currency=currency,
        commission_rate_bp=1500,
        idempotency_key=f"booking-{booking.pk}-pi-v1",
        stripe_payment_intent_id=f"pi_test_{booking.pk}",
        status=Payment.Status.SUCCEEDED,
    )
    ledger_book_payment(
        reference=payment.ledger_reference, currency=currency, gross=amount, commission_rate_bp=1500, expert=expert
    )
    return payment


def ready_payout_account(expert, *, account_id: str | None = None, ready: bool = True) -> PayoutAccount:
    return PayoutAccount.objects.create(
        expert=expert,
        stripe_account_id=account_id or f"acct_1Test{expert.pk:08d}",
        details_submitted=ready,
        charges_enabled=ready,
        payouts_enabled=ready,
    )


def approver(**fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Withdrawal approvers"))
    return user


def ledger_totals_are_zero() -> bool:
    from billing.selectors import ledger_totals_by_currency, ledger_unbalanced_transactions

    return all(total == 0 for total in ledger_totals_by_currency().values()) and not ledger_unbalanced_transactions()


def no_expert_balance_negative() -> bool:
    from django.db.models import Sum

    rows = LedgerEntry.objects.filter(account__owner__isnull=False).values("account").annotate(total=Sum("amount"))
    return all(row["total"] >= 0 for row in rows)


# --- Stripe Connect's real shapes (API version 2024-04-10) -----------------------------------


def account_json(account_id: str, *, ready: bool = True, due=(), disabled_reason=None, email="ada@example.com"):
    return {
        "id": account_id,
        "object": "account",
        "business_profile": {"mcc": None, "name": None, "url": None},
        "business_type": "individual" if ready else None,
        "capabilities": {"transfers": "active" if ready else "inactive"},
        "charges_enabled": ready,
        "controller": {"type": "application", "is_controller": True},
        "country": "DE",
        "created": 1_790_000_000,
        "default_currency": "eur",
        "details_submitted": ready,
        "email": email,
        "external_accounts": {"object": "list", "data": [], "has_more": False, "url": f"/v1/accounts/{account_id}/external_accounts"},
        "future_requirements": {"currently_due": [], "eventually_due": [], "past_due": [], "disabled_reason": None},
        "metadata": {},
        "payouts_enabled": ready,
        "requirements": {
            "alternatives": [],
            "current_deadline": None,
            "currently_due": list(due),
            "disabled_reason": disabled_reason,
            "errors": [],
            "eventually_due": list(due),
            "past_due": [],
            "pending_verification": [],
        },
        "settings": {"payouts": {"schedule": {"delay_days": 7, "interval": "daily"}}},
        "tos_acceptance": {"date": None},
        "type": "express",
    }  # fmt: skip


def account_link_json(account_id: str):
    return {
        "object": "account_link",
        "created": 1_790_000_000,
        "expires_at": 1_790_000_300,
        "url": f"https://connect.stripe.com/setup/e/{account_id}/abc123",
    }


def transfer_json(transfer_id: str, *, amount: int, currency: str = "eur", destination: str, group: str):
    return {
        "id": transfer_id,
        "object": "transfer",
        "amount": amount,
        "amount_reversed": 0,
        "balance_transaction": "txn_1Test",
        "created": 1_790_000_000,
        "currency": currency,
        "description": None,
        "destination": destination,
        "destination_payment": "py_1Test",
        "livemode": False,
        "metadata": {},
        "reversals": {"object": "list", "data": [], "has_more": False, "url": f"/v1/transfers/{transfer_id}/reversals"},
        "reversed": False,
        "source_transaction": None,
        "source_type": "card",
        "transfer_group": group,
    }  # fmt: skip


def stripe_error(message: str, *, code: str = "balance_insufficient", kind: str = "invalid_request_error"):
    return {
        "error": {
            "code": code,
            "message": message,
            "type": kind,
            "request_log_url": "https://dashboard.stripe.com/logs/req_x",
        }
    }


def not_receipts(outbox) -> list:
    """The emails other than receipts (``R-….pdf`` attached), for tests about the booking's own emails."""
    return [
        message
        for message in outbox
        if not any(str(name).startswith("R-") and str(name).endswith(".pdf") for name, *_rest in message.attachments)
    ]
