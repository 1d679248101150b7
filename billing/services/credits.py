"""What happens to package credits over time: their earnings are released, they expire.

**Releases.** A package's payment books the whole expert share as pending, like a session's. A
credit's part becomes available when its session is settled in the expert's favour (completed, or
the learner did not show up) and the hold period has passed, by the hourly earnings job. The
purchase counts the value released so far (``released_minor``); a release moves
``floor(share × released / price)`` minus what the earlier ones moved, so releases never exceed the
share, and together with a pro-rata refund of the remaining credits (which the ledger takes from
pending as ``ceil(share × refund / price)``, see ``ledger_reverse``) they add up to exactly the share.

**Expiry.** A paid package whose validity has ended and that still has available credits is
settled by the daily job per ``PlatformSettings.expired_credits``: *refund* gives the learner the
credits' value back (``payment_refund`` up to the cumulative total, key
``payment-<id>-refund-to-<total>-v1``; the refund is marked owed in the same transaction that
marks the credits, and asked again until Stripe has it), *lapse* releases their share to the
expert. Learners are emailed once, 7 days before, while credits are left.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from bookings.models import SessionReport
from core.locking import locked_transaction
from core.outbox import outbox_enqueue

from ..errors import PaymentError
from ..models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    PackagePurchase,
    Payment,
    PlatformSettings,
    SessionCredit,
)
from .earnings import RELEASABLE_BOOKING_STATES, earnings_release_cutoff
from .ledger import LedgerLine, ledger_account, ledger_post
from .refunds import payment_refund

logger = logging.getLogger(__name__)

EXPIRY_NOTICE = timedelta(days=7)
BATCH = 500


def _expert_share(payment: Payment) -> tuple[LedgerAccount, int] | None:
    """The payment's pending account and the expert's share as booked when it was paid."""
    entry = (
        LedgerEntry.objects.select_related("account")
        .filter(transaction__reference=payment.ledger_reference, account__kind=LedgerAccount.Kind.EXPERT_PENDING)
        .first()
    )
    return None if entry is None else (entry.account, int(entry.amount))


def _release(purchase: PackagePurchase, *, value: int, reference_tail: str) -> LedgerTransaction | None:
    """Move the share of ``value`` more of the price from pending to available (under the purchase's lock)."""
    payment = purchase.paid_payment()
    booked = _expert_share(payment) if payment is not None else None
    before = int(purchase.released_minor)
    after = min(before + value, int(purchase.price_minor))
    purchase.released_minor = after
    purchase.save(update_fields=["released_minor", "updated_at"])
    if booked is None:
        return None
    pending, share = booked
    amount = share * after // int(purchase.price_minor) - share * before // int(purchase.price_minor)
    if amount <= 0:
        return None
    available = ledger_account(kind=LedgerAccount.Kind.EXPERT_AVAILABLE, currency=pending.currency, owner=pending.owner)
    return ledger_post(
        kind=LedgerTransaction.Kind.RELEASE,
        reference=f"{payment.ledger_reference}:{reference_tail}",
        lines=[LedgerLine(pending, -amount), LedgerLine(available, amount)],
        memo="package credit",
    )


def credit_earnings_releasable(*, now: datetime, hold_days: int):
    """Used credits whose session is settled in the expert's favour past the hold period (one query)."""
    open_report = SessionReport.objects.filter(booking=OuterRef("booking"), booking__session_decision__isnull=True)
    return (
        SessionCredit.objects.filter(
            status=SessionCredit.Status.USED,
            released_at__isnull=True,
            booking__status__in=RELEASABLE_BOOKING_STATES,
            booking__end__lte=earnings_release_cutoff(now=now, hold_days=hold_days),
        )
        .exclude(Exists(open_report))
        .order_by("pk")
    )


def credit_earnings_release_due(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Release the share of every due credit (once each: ``released_at`` under the purchase's lock)."""
    now = now or timezone.now()
    hold_days = PlatformSettings.load().hold_days
    rows = list(credit_earnings_releasable(now=now, hold_days=hold_days).values_list("pk", "purchase_id")[:limit])
    released = 0
    for credit_id, purchase_id in rows:
        with locked_transaction():
            purchase = PackagePurchase.objects.select_for_update().get(pk=purchase_id)
            credit = SessionCredit.objects.select_for_update().get(pk=credit_id)
            if credit.released_at is not None or credit.status != SessionCredit.Status.USED:
                continue
            credit.released_at = now
            credit.save(update_fields=["released_at"])
            _release(purchase, value=int(credit.value_minor), reference_tail=f"credit-{credit.pk}:release")
            released += 1
    return released


def _expired_with_credits(now: datetime):
    available = SessionCredit.objects.filter(purchase=OuterRef("pk"), status=SessionCredit.Status.AVAILABLE)
    return PackagePurchase.objects.filter(
        Q(status__in=[PackagePurchase.Status.PAID, PackagePurchase.Status.CLOSED], expires_at__lte=now)
        & Exists(available)
        | Q(refund_owed=True)
    )


def package_credits_expire(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Settle the unused credits of expired packages per the platform setting; how many packages."""
    now = now or timezone.now()
    settled = 0
    for purchase_id in list(_expired_with_credits(now).order_by("pk").values_list("pk", flat=True)[:limit]):
        if package_expire(purchase_id=purchase_id, now=now):
            settled += 1
    return settled


def package_expire(*, purchase_id: int, now: datetime, refund_now: bool = False) -> bool:
    """Refund or lapse one expired package's available credits; then ask Stripe for a refund owed.

    ``refund_now``: refund the unused credits whatever the date and the setting (the learner's
    account is being erased).
    """
    policy = PlatformSettings.ExpiredCredits.REFUND if refund_now else PlatformSettings.load().expired_credits
    with locked_transaction():
        purchase = PackagePurchase.objects.select_for_update().get(pk=purchase_id)
        if purchase.expires_at is None:
            return False
        credits = list(
            SessionCredit.objects.select_for_update().filter(purchase=purchase, status=SessionCredit.Status.AVAILABLE)
        )
        if credits and (refund_now or purchase.expires_at <= now):
            refund = policy == PlatformSettings.ExpiredCredits.REFUND
            status = SessionCredit.Status.REFUNDED if refund else SessionCredit.Status.LAPSED
            SessionCredit.objects.filter(pk__in=[c.pk for c in credits]).update(status=status)
            purchase.status = PackagePurchase.Status.CLOSED
            purchase.expiry_outcome = (
                PackagePurchase.ExpiryOutcome.REFUNDED if refund else PackagePurchase.ExpiryOutcome.LAPSED
            )
            purchase.refund_owed = refund or purchase.refund_owed
            purchase.save(update_fields=["status", "expiry_outcome", "refund_owed", "updated_at"])
            if not refund:
                value = sum(int(c.value_minor) for c in credits)
                _release(purchase, value=value, reference_tail=f"lapsed-to-{int(purchase.released_minor) + value}")
    if purchase.refund_owed:
        _refund_owed(purchase)
    return True


def _refund_owed(purchase: PackagePurchase) -> None:
    """Refund the total value of the refunded credits (cumulative, so a retry asks for the same total)."""
    total = (
        SessionCredit.objects.filter(purchase=purchase, status=SessionCredit.Status.REFUNDED).aggregate(
            total=Sum("value_minor")
        )["total"]
        or 0
    )
    payment = purchase.paid_payment()
    if payment is not None and total > 0:
        try:
            payment_refund(payment=payment, amount_minor=int(total))
        except PaymentError:
            logger.warning("Package %s: the refund of expired credits failed; retried next run", purchase.reference)
            return
    PackagePurchase.objects.filter(pk=purchase.pk).update(refund_owed=False)
    outbox_enqueue(
        app_label="billing",
        handler="billing.tasks.send_package_expired",
        payload={"purchase_id": purchase.pk},
        dedupe_key=f"{purchase.reference}-expired-mail",
    )


def package_expiry_reminders_send(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Email every learner whose package expires within 7 days with credits left, once per package.

    ``expiry_reminded_at`` is set by a conditional update in the transaction that writes the email
    to the outbox (dedupe key ``package-<id>-expiry-reminder``): two runs, or two workers, send one.
    """
    now = now or timezone.now()
    available = SessionCredit.objects.filter(purchase=OuterRef("pk"), status=SessionCredit.Status.AVAILABLE)
    due = PackagePurchase.objects.filter(
        Exists(available),
        status=PackagePurchase.Status.PAID,
        expiry_reminded_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + EXPIRY_NOTICE,
    ).order_by("expires_at")
    sent = 0
    for purchase_id in list(due.values_list("pk", flat=True)[:limit]):
        with locked_transaction():
            if not PackagePurchase.objects.filter(pk=purchase_id, expiry_reminded_at__isnull=True).update(
                expiry_reminded_at=now
            ):
                continue
            outbox_enqueue(
                app_label="billing",
                handler="billing.tasks.send_package_expiry_reminder",
                payload={"purchase_id": purchase_id},
                dedupe_key=f"package-{purchase_id}-expiry-reminder",
            )
            sent += 1
    return sent
