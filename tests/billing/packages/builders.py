"""Paid package purchases built directly (the page journeys are in test_buying.py)."""

from datetime import timedelta

from django.utils import timezone

from billing.models import PackagePurchase, Payment
from billing.services.ledger import ledger_book_payment
from billing.services.packages import package_purchase_fulfil
from bookings.models import Booking


def paid_purchase(*, learner, expert, sessions=3, price=21_000, days=90, paid_days_ago=0, with_payment=True):
    """A package bought ``paid_days_ago`` days ago; with a succeeded payment and its ledger posting."""
    purchase = PackagePurchase.objects.create(
        learner=learner,
        expert=expert,
        sessions_count=sessions,
        duration_minutes=60,
        price_minor=price,
        currency="EUR",
        validity_days=days,
    )
    payment = Payment.objects.create(
        reference=purchase.reference,
        payer=learner,
        payee=expert,
        amount_minor=price,
        currency="EUR",
        commission_rate_bp=1500,
        idempotency_key=f"{purchase.reference}-pi-v1",
        stripe_payment_intent_id=f"pi_test_{purchase.reference}",
        status=Payment.Status.SUCCEEDED,
    )
    if with_payment:
        ledger_book_payment(
            reference=payment.ledger_reference, currency="EUR", gross=price, commission_rate_bp=1500, expert=expert
        )
    package_purchase_fulfil(payment=payment, now=timezone.now() - timedelta(days=paid_days_ago))
    purchase.refresh_from_db()
    return purchase


def held(*, learner, expert, hours_ahead: int, minutes: int = 60) -> Booking:
    start = timezone.now() + timedelta(days=3, hours=hours_ahead)
    return Booking.objects.create(
        learner=learner,
        expert=expert,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=Booking.Status.HELD,
        hold_expires_at=timezone.now() + timedelta(minutes=15),
        amount_minor=8_000,
        currency="EUR",
    )
