"""Emails about money that billing sends itself (the booking emails are the bookings app's)."""

from __future__ import annotations

from django.utils import translation

from core.base_url import public_url
from core.money import Money
from notifications.services import email_send

from .models import PackagePurchase, Payment, Receipt, SessionCredit, Withdrawal
from .pdf import ReceiptParty, receipt_pdf
from .services.receipts import receipt_mark_emailed


def unbookable_payment_refunded_email_send(*, payment_id: int) -> int:
    """Tell the learner that a payment which came after their time was gone has been refunded in full."""
    payment = (
        Payment.objects.select_related("payer", "booking__expert")
        .filter(pk=payment_id, status=Payment.Status.REFUNDED)
        .first()
    )
    if payment is None or payment.payer is None or payment.booking is None:
        return 0
    booking = payment.booking
    learner = payment.payer
    email_send(
        to=learner.email,
        template="payment_refunded_unbookable",
        context={
            "user": learner,
            "booking": booking,
            "payment": payment,
            "zone": learner.time_zone or "UTC",
            "expert": booking.expert,
            "browse_url": public_url("/experts/"),
        },
        language=learner.preferred_language,
    )
    return 1


def withdrawal_decided_email_send(*, withdrawal_id: int) -> int:
    """Tell the expert what became of a withdrawal: paid out, rejected (with staff's note) or failed."""

    withdrawal = (
        Withdrawal.objects.select_related("expert")
        .filter(
            pk=withdrawal_id, status__in=[Withdrawal.Status.PAID, Withdrawal.Status.REJECTED, Withdrawal.Status.FAILED]
        )
        .first()
    )
    if withdrawal is None:
        return 0
    expert = withdrawal.expert
    email_send(
        to=expert.email,
        template="withdrawal_decided",
        context={
            "user": expert,
            "withdrawal": withdrawal,
            "amount": Money(withdrawal.amount_minor, withdrawal.currency),
            "earnings_url": public_url("/expert/earnings/"),
        },
        language=expert.preferred_language,
    )
    return 1


def package_email_send(*, purchase_id: int, template: str) -> int:
    """Tell the learner about their package: it expires in a week (``package_expiry_reminder``), or it
    expired and its unused credits were refunded or lapsed (``package_expired``)."""
    purchase = PackagePurchase.objects.select_related("learner", "expert").filter(pk=purchase_id).first()
    if purchase is None or purchase.expires_at is None:
        return 0
    learner = purchase.learner
    counts = dict.fromkeys(SessionCredit.Status.values, 0)
    for status in purchase.credits.values_list("status", flat=True):
        counts[status] += 1
    email_send(
        to=learner.email,
        template=template,
        context={
            "user": learner,
            "purchase": purchase,
            "expert": purchase.expert,
            "zone": learner.time_zone or "UTC",
            "left": counts[SessionCredit.Status.AVAILABLE],
            "refunded": counts[SessionCredit.Status.REFUNDED],
            "lapsed": counts[SessionCredit.Status.LAPSED],
            "packages_url": public_url(f"/packages/purchases/{purchase.pk}/"),
        },
        language=learner.preferred_language,
    )
    return 1


def receipt_email_send(*, receipt_id: int) -> int:
    """Email the learner one receipt (payment or refund) with its PDF; once (``emailed_at``)."""
    receipt = (
        Receipt.objects.select_related("payment__payer", "payment__booking__expert")
        .filter(pk=receipt_id, emailed_at__isnull=True)
        .first()
    )
    if receipt is None or receipt.payment.payer is None:
        return 0
    learner = receipt.payment.payer
    with translation.override(learner.preferred_language or None):
        party = ReceiptParty.for_payment(receipt.payment)
        document = receipt_pdf(receipts=[receipt], party=party)
    booking = receipt.payment.booking
    email_send(
        to=learner.email,
        template="receipt",
        context={
            "user": learner,
            "receipt": receipt,
            "total": Money(receipt.total_minor, receipt.currency),
            "tax": Money(receipt.tax_minor, receipt.currency),
            "description": party.description,
            "receipt_url": public_url(f"/bookings/{booking.pk}/receipt/") if booking else "",
        },
        language=learner.preferred_language,
        attachments=[(f"{receipt.number}.pdf", document, "application/pdf")],
    )
    receipt_mark_emailed(receipt=receipt)
    return 1


def transfer_reversed_email_send(*, withdrawal_id: int, reversed_minor: int) -> int:
    """Tell the expert that (part of) a paid-out withdrawal came back from their Stripe account."""
    withdrawal = Withdrawal.objects.select_related("expert").filter(pk=withdrawal_id).first()
    if withdrawal is None or reversed_minor <= 0:
        return 0
    expert = withdrawal.expert
    email_send(
        to=expert.email,
        template="withdrawal_transfer_reversed",
        context={
            "user": expert,
            "withdrawal": withdrawal,
            "amount": Money(withdrawal.amount_minor, withdrawal.currency),
            "reversed": Money(reversed_minor, withdrawal.currency),
            "earnings_url": public_url("/expert/earnings/"),
        },
        language=expert.preferred_language,
    )
    return 1
