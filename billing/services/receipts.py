"""Receipts: one per posting that moved a learner's money (a payment, each refund of it).

``receipt_issue_enqueue`` is called inside the transaction that books the posting and writes an
outbox message; its handler (``billing.tasks.receipt_issue``) calls ``receipt_issue``, which creates
the receipt once (unique per posting) and emails it with its PDF once (``emailed_at``).

Where the tax comes from is the platform setting ``tax_calculation``:

- ``table``: the ``TaxRate`` of the learner's country. We hold no billing address, so the country
  is the one of the learner's time zone (``core.timezones.zone_country``); no rate → no tax, and
  the receipt says so.
- ``stripe_tax``: Stripe Tax's calculation API for the same country. A Stripe error raises, so the
  outbox retries later; nothing is issued with a guessed tax.

A refund receipt takes the payment receipt's rate and source (issued first if it is missing): a
refund gives back tax in the same proportion it was charged.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.outbox import outbox_enqueue
from core.timezones import zone_country

from ..gateways import payment_gateway
from ..models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment, PlatformSettings, Receipt, TaxRate
from ..tax import tax_share, tax_split

logger = logging.getLogger(__name__)
Source = Receipt.TaxSource


def receipt_issue_enqueue(*, payment: Payment, posting: LedgerTransaction) -> None:
    """Queue the receipt of ``posting`` (call inside the transaction that booked it)."""
    outbox_enqueue(
        app_label="billing",
        handler="billing.tasks.receipt_issue",
        payload={"payment_id": payment.pk, "posting_id": posting.pk},
        dedupe_key=f"receipt-{posting.reference}",
    )


def _refunded_in(posting: LedgerTransaction) -> int:
    """What a reversal posting gave back to the learner (its line on ``refunds``)."""
    return sum(
        entry.amount
        for entry in LedgerEntry.objects.filter(transaction=posting, account__kind=LedgerAccount.Kind.REFUNDS)
    )


def _seller(platform: PlatformSettings) -> dict:
    return {
        "seller_name": platform.legal_name,
        "seller_address": platform.legal_address,
        "seller_tax_id": platform.tax_id,
    }


def _payment_tax(payment: Payment, platform: PlatformSettings) -> dict:
    country = zone_country(payment.payer.time_zone if payment.payer else None) or ""
    if platform.tax_calculation == Source.STRIPE_TAX and country:
        calculation = payment_gateway().calculate_tax(
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            country=country,
            inclusive=True,
            reference=payment.ledger_reference,
        )
        return {
            "tax_source": Source.STRIPE_TAX,
            "tax_minor": calculation.tax_minor,
            "total_minor": calculation.amount_total,
            "tax_rate_bp": calculation.rate_bp,
            "tax_name": calculation.tax_name.upper().replace("_", " "),
            "tax_inclusive": True,
            "country": country,
            "stripe_tax_calculation_id": calculation.id,
        }
    rate = TaxRate.objects.filter(country=country).first() if country else None
    if rate is None:
        return {"tax_source": Source.NONE, "tax_minor": 0, "total_minor": payment.amount_minor, "country": country}
    split = tax_split(amount_minor=payment.amount_minor, rate_bp=rate.rate_bp, inclusive=rate.inclusive)
    return {
        "tax_source": Source.TABLE,
        "tax_minor": split.tax,
        "total_minor": split.total,
        "tax_rate_bp": rate.rate_bp,
        "tax_name": rate.name,
        "tax_inclusive": rate.inclusive,
        "country": country,
    }


def _refund_tax(original: Receipt, refunded: int) -> dict:
    fields = {
        "tax_source": original.tax_source,
        "tax_rate_bp": original.tax_rate_bp,
        "tax_name": original.tax_name,
        "tax_inclusive": original.tax_inclusive,
        "country": original.country,
    }
    if original.tax_source == Source.TABLE:
        split = tax_split(amount_minor=refunded, rate_bp=original.tax_rate_bp, inclusive=original.tax_inclusive)
        return {**fields, "tax_minor": split.tax, "total_minor": split.total}
    charged = original.total_minor if original.tax_inclusive else original.net_minor
    tax = tax_share(tax_minor=original.tax_minor, total_minor=charged, part_minor=refunded)
    return {**fields, "tax_minor": tax, "total_minor": refunded if original.tax_inclusive else refunded + tax}


def _create(*, payment: Payment, posting: LedgerTransaction, kind: str, fields: dict) -> Receipt:
    try:
        with transaction.atomic():
            receipt = Receipt.objects.create(
                number=f"TMP-{posting.pk}",
                kind=kind,
                payment=payment,
                posting=posting,
                currency=payment.currency,
                **fields,
            )
            # Numbers follow issue order without gaps in the id sequence's order: R-2026-000042.
            receipt.number = f"R-{receipt.issued_at:%Y}-{receipt.pk:06d}"
            receipt.save(update_fields=["number"])
            return receipt
    except IntegrityError:
        # A second worker issued it first (unique posting): that one stands.
        return Receipt.objects.get(posting=posting)


def receipt_for_payment(*, payment: Payment) -> Receipt | None:
    """The payment's own receipt, issued now if its posting exists and it has none; None if unpaid."""
    posting = LedgerTransaction.objects.filter(reference=payment.ledger_reference).first()
    if posting is None:
        return None
    existing = Receipt.objects.filter(posting=posting).first()
    if existing is not None:
        return existing
    platform = PlatformSettings.load()
    fields = {**_payment_tax(payment, platform), **_seller(platform)}
    return _create(payment=payment, posting=posting, kind=Receipt.Kind.PAYMENT, fields=fields)


def receipt_issue(*, payment_id: int, posting_id: int) -> Receipt | None:
    """Issue (once) the receipt of a payment's posting or of one of its refunds. None if there is nothing."""
    payment = Payment.objects.select_related("payer").filter(pk=payment_id).first()
    posting = LedgerTransaction.objects.filter(pk=posting_id).first()
    if payment is None or posting is None:
        return None
    if posting.reference == payment.ledger_reference:
        return receipt_for_payment(payment=payment)
    if not posting.reference.startswith(f"{payment.ledger_reference}:") or posting.kind != posting.Kind.REVERSAL:
        logger.error("Receipt asked for posting %s, which is not a refund of payment %s", posting.pk, payment.pk)
        return None
    existing = Receipt.objects.filter(posting=posting).first()
    if existing is not None:
        return existing
    original = receipt_for_payment(payment=payment)
    refunded = _refunded_in(posting)
    if original is None or refunded <= 0:
        return None
    fields = {**_refund_tax(original, refunded), **_seller(PlatformSettings.load())}
    return _create(payment=payment, posting=posting, kind=Receipt.Kind.REFUND, fields=fields)


def receipt_mark_emailed(*, receipt: Receipt) -> bool:
    """Record that the receipt was emailed (after sending: a crash in between re-sends it, never loses it)."""
    return bool(Receipt.objects.filter(pk=receipt.pk, emailed_at__isnull=True).update(emailed_at=timezone.now()))


def booking_receipts(*, booking) -> list[Receipt]:
    """Every receipt of a booking's payments, oldest first; any not issued yet (the outbox has not run)
    is issued now. Three queries when all are issued, however many refunds there were."""
    payments = {p.ledger_reference: p for p in Payment.objects.filter(booking=booking).select_related("payer")}
    if not payments:
        return []
    postings = LedgerTransaction.objects.filter(
        Q(kind=LedgerTransaction.Kind.PAYMENT, reference__in=payments)
        | Q(kind=LedgerTransaction.Kind.REVERSAL, reverses__reference__in=payments)
    ).values_list("pk", "reference")
    receipts = {r.posting_id: r for r in Receipt.objects.filter(payment__in=payments.values()).order_by("pk")}
    for posting_id, reference in sorted(postings):
        if posting_id not in receipts:
            payment = payments[reference.split(":", 1)[0]]
            issued = receipt_issue(payment_id=payment.pk, posting_id=posting_id)
            if issued is not None:
                receipts[posting_id] = issued
    return sorted(receipts.values(), key=lambda receipt: (receipt.issued_at, receipt.pk))
