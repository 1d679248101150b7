"""Money's part of a person's data: payments made and received, refunds, and the ledger lines of
their accounts (registered in ``ready``).

Erasure keeps every payment and ledger row (accounting law: the legal retention period) pointing
at the pseudonymised user; only the free-text decline reason goes. Upcoming paid sessions are
cancelled first through the usual cancellation services, so refunds follow each booking's policy
(the expert's own sessions: the learner gets everything back).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from djstripe.models import Customer

from accounts import privacy
from bookings.errors import BookingError
from bookings.models import Booking

from .errors import PaymentError
from .gateways import payment_gateway
from .models import LedgerAccount, LedgerEntry, Payment, PayoutAccount, Receipt, Withdrawal
from .privacy_payouts import erase_payouts, export_payouts
from .services.cancellation import booking_cancel_by_expert_with_refund, booking_cancel_with_refund

logger = logging.getLogger(__name__)


def export(*, user) -> dict[str, Any]:
    return {
        "payments": Payment.objects.filter(Q(payer=user) | Q(payee=user))
        .values(
            "id",
            "booking_id",
            "reference",
            "payer_id",
            "payee_id",
            "amount_minor",
            "currency",
            "status",
            "refunded_minor",
            "dispute_status",
            "created_at",
            "updated_at",
        )
        .iterator(),
        "ledger_accounts": LedgerAccount.objects.filter(owner=user).values("id", "kind", "currency").iterator(),
        "ledger_entries": LedgerEntry.objects.filter(account__owner=user)
        .values(
            "account_id", "amount", "currency", "transaction__kind", "transaction__reference", "transaction__created_at"
        )
        .iterator(),
        # The learner's receipts as issued (the PDFs are rebuilt from these rows at /bookings/<id>/receipt/).
        "receipts": Receipt.objects.filter(payment__payer=user)
        .values(
            "number",
            "kind",
            "payment_id",
            "tax_minor",
            "total_minor",
            "currency",
            "tax_source",
            "tax_name",
            "tax_rate_bp",
            "country",
            "issued_at",
        )
        .iterator(),
        **_payout_sections(user),
    }


def _payout_sections(user) -> dict[str, Any]:
    payouts = export_payouts(user)
    return {
        "payout_account": [payouts["payout_account"]] if payouts["payout_account"] else [],
        "withdrawals": payouts["withdrawals"],
    }


def blockers(*, user, now) -> list[str]:
    mine = Payment.objects.filter(Q(payer=user) | Q(payee=user))
    messages = []
    if mine.filter(dispute_status=Payment.DisputeStatus.OPEN).exists():
        messages.append(_("A payment dispute is open; we can erase your account once the bank has decided."))
    if mine.filter(status=Payment.Status.REFUND_PENDING).exists():
        messages.append(_("A refund is still in progress; please try again once it has gone through."))
    in_flight = (Withdrawal.Status.REQUESTED, Withdrawal.Status.APPROVED)
    if Withdrawal.objects.filter(expert=user, status__in=in_flight).exists():
        messages.append(_("A withdrawal of your earnings is still being decided or paid; please try again once it is."))
    return messages


def _upcoming(user, now):
    return Booking.objects.filter(Q(learner=user) | Q(expert=user), status=Booking.Status.CONFIRMED, start__gt=now)


def consequences(*, user, now) -> list[str]:
    learner_side = _upcoming(user, now).filter(learner=user).count()
    expert_side = _upcoming(user, now).filter(expert=user).count()
    messages = []
    if learner_side:
        messages.append(
            ngettext(
                "You get back what the cancellation policy of that session gives on the day of erasure.",
                "You get back what the cancellation policy of each session gives on the day of erasure.",
                learner_side,
            )
        )
    if expert_side:
        messages.append(
            ngettext(
                "The learner of your %(count)d upcoming session gets a full refund.",
                "The learners of your %(count)d upcoming sessions get a full refund.",
                expert_side,
            )
            % {"count": expert_side}
        )
    return messages


def prepare(*, user, now) -> None:
    """Cancel upcoming paid sessions with their refunds (one that refuses is logged and left for staff),
    then erase what Stripe holds for us about the person: their Connect Express account and any Stripe
    customer. A refusal there raises, so the erasure stays pending and is retried on the next run."""
    for booking in _upcoming(user, now):
        try:
            if booking.learner_id == user.pk:
                booking_cancel_with_refund(booking=booking, by=user, now=now)
            else:
                booking_cancel_by_expert_with_refund(booking=booking, by=user, now=now)
        except (BookingError, PaymentError):
            logger.warning("Erasure of user %s: booking %s could not be cancelled", user.pk, booking.pk)
    stripe_side_erase(user)


def stripe_side_erase(user) -> None:
    """Delete the person's objects at Stripe; the local copies are emptied by ``erase`` afterwards.

    Payments and transfers themselves stay at Stripe (they are the payment record Stripe must keep);
    what we sent with them is ids only (``metadata`` carries payment, booking and user ids).
    """
    accounts = list(PayoutAccount.objects.filter(expert=user).values_list("pk", "stripe_account_id"))
    customers = list(Customer.objects.filter(subscriber=user).values_list("id", flat=True))
    if not accounts and not customers:
        return
    gateway = payment_gateway()
    for pk, account_id in accounts:
        gateway.delete_connect_account(account_id)
        # The row stays (withdrawals point at it); the id alone is not personal data, and nothing can be
        # paid to a closed account.
        PayoutAccount.objects.filter(pk=pk).update(
            details_submitted=False, charges_enabled=False, payouts_enabled=False
        )
    for customer_id in customers:
        gateway.delete_customer(customer_id)
        Customer.objects.filter(id=customer_id).delete()


def erase(*, user, pseudonym: str) -> None:
    Payment.objects.filter(Q(payer=user) | Q(payee=user)).update(last_error="")
    # dj-stripe's local copy of a Stripe customer ``prepare`` could not reach: unlinked, its address removed.
    Customer.objects.filter(subscriber=user).update(subscriber=None, email="")
    erase_payouts(user)


def register() -> None:
    privacy.register(
        "billing",
        export=export,
        erase=erase,
        blockers=blockers,
        consequences=consequences,
        prepare=prepare,
        models=[LedgerAccount, Payment, Customer, PayoutAccount, Withdrawal],
    )
