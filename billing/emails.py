"""Emails about money that billing sends itself (the booking emails are the marketplace's)."""

from __future__ import annotations

from django.conf import settings

from marketplace.models import Booking
from notifications.services import email_send

from .models import Payment


def unbookable_payment_refunded_email_send(*, payment_id: int) -> int:
    """Tell the learner that a payment which came after their time was gone has been refunded in full."""
    payment = Payment.objects.select_related("payer").filter(pk=payment_id, status=Payment.Status.REFUNDED).first()
    if payment is None or payment.payer is None or not payment.booking_ref.startswith("booking-"):
        return 0
    booking = (
        Booking.objects.select_related("expert").filter(pk=int(payment.booking_ref.removeprefix("booking-"))).first()
    )
    if booking is None:
        return 0
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
            "browse_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/experts/",
        },
        language=learner.preferred_language,
    )
    return 1
