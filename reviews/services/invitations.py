"""After a completed session its learner is asked to rate it, and reminded once.

The job reads completed sessions that ended in the last ``INVITE_WINDOW`` (the invitation) or
about ``REVIEW_REMINDER_DAYS`` ago (the reminder) and writes one outbox message per email; the
outbox's unique dedupe key (kept ``OUTBOX_KEEP_DAYS``, longer than the review window) makes each
email happen once however often the job runs. The handler re-reads the booking and sends nothing
once the review exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from core.base_url import public_url
from core.outbox import outbox_enqueue
from notifications.services import email_send

from ..models import SessionReview

# Wider than the job's interval (hourly), so a late run still finds every session once.
INVITE_WINDOW = timedelta(days=1)
KINDS = ("invitation", "reminder")


def _unrated(begin: datetime, end: datetime):
    return Booking.objects.filter(status=Booking.Status.COMPLETED, end__gt=begin, end__lte=end, review__isnull=True)


def reviews_invite_due(*, now: datetime | None = None) -> int:
    """Queue the invitations and reminders that are due (the periodic job). Returns how many were looked at."""
    now = now or timezone.now()
    reminder_end = now - timedelta(days=settings.REVIEW_REMINDER_DAYS)
    batches = {
        "invitation": _unrated(now - INVITE_WINDOW, now),
        "reminder": _unrated(reminder_end - INVITE_WINDOW, reminder_end),
    }
    seen = 0
    for kind, bookings in batches.items():
        for booking_id in bookings.values_list("pk", flat=True):
            seen += 1
            outbox_enqueue(
                app_label="reviews",
                handler="reviews.tasks.send_review_invitation",
                payload={"booking_id": booking_id, "kind": kind},
                dedupe_key=f"review-{kind}-{booking_id}",
            )
    return seen


def review_invitation_email_send(*, booking_id: int, kind: str, now: datetime | None = None) -> int:
    """Outbox handler: the learner's invitation or reminder; nothing once rated or past the window."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_related("learner", "expert")
        .filter(pk=booking_id, status=Booking.Status.COMPLETED)
        .first()
    )
    if (
        booking is None
        or kind not in KINDS
        or SessionReview.objects.filter(booking_id=booking_id).exists()
        or now > booking.end + timedelta(days=settings.REVIEW_EDIT_DAYS)
    ):
        return 0
    learner = booking.learner
    email_send(
        to=learner.email,
        template=f"review_{kind}",
        context={
            "user": learner,
            "expert_name": str(booking.expert),
            "rate_url": public_url(reverse("booking_rate", kwargs={"pk": booking.pk})),
            "days": settings.REVIEW_EDIT_DAYS,
        },
        language=learner.preferred_language,
    )
    return 1
