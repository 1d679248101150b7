"""Privacy export and erasure for payout accounts and withdrawals (part of billing's registered part,
``billing.privacy``).

Withdrawals and payout accounts are financial records kept for the legal retention period, so
erasure keeps the rows and amounts and only blanks personal free text (staff notes, which may
name the person, and Stripe's failure messages). We never hold bank details to erase.
"""

from __future__ import annotations

from django.db import transaction

from .models import PayoutAccount, Withdrawal


def export_payouts(user) -> dict:
    """Everything we hold about the user's payout account and withdrawals, as plain JSON-able data."""
    account = PayoutAccount.objects.filter(expert=user).first()
    return {
        "payout_account": None
        if account is None
        else {
            "stripe_account_id": account.stripe_account_id,
            "details_submitted": account.details_submitted,
            "payouts_enabled": account.payouts_enabled,
            "requirements_due": list(account.requirements_due),
            "created_at": account.created_at.isoformat(),
        },
        "withdrawals": [
            {
                "id": withdrawal.pk,
                "amount_minor": withdrawal.amount_minor,
                "currency": withdrawal.currency,
                "status": withdrawal.status,
                "staff_note": withdrawal.staff_note,
                "stripe_transfer_id": withdrawal.stripe_transfer_id or "",
                "requested_at": withdrawal.created_at.isoformat(),
                "decided_at": withdrawal.decided_at.isoformat() if withdrawal.decided_at else None,
            }
            for withdrawal in Withdrawal.objects.filter(expert=user).order_by("pk")
        ],
    }


def erase_payouts(user) -> None:
    """Blank the personal text; keep the financial records (amounts, states, Stripe ids) for retention."""
    with transaction.atomic():
        Withdrawal.objects.filter(expert=user).update(staff_note="", failure_message="")
        PayoutAccount.objects.filter(expert=user).update(requirements_due=[], disabled_reason="")
