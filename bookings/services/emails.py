"""Emails about a booking: each participant gets times in their own zone and the calendar invite."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.ics import Person, invite_build
from notifications.services import email_send

from ..models import Booking


def _join_url(booking: Booking) -> str:
    """The permission-checked way into the room (``/bookings/<id>/join/``), never the room itself:
    a forwarded email or a shared calendar event then only works for the two participants."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("booking_join", kwargs={"pk": booking.pk})


def _invite(booking: Booking, *, recipient, method: str = "REQUEST", sequence: int = 0, stamp=None) -> bytes:
    """One participant's calendar event. A cancellation reuses the UID with a higher SEQUENCE (RFC 5545 3.8.7.4).

    The organizer is the platform's address (``BOOKING_INVITE_ORGANIZER_EMAIL``)
    and the only attendee is the recipient: neither participant's email
    address reaches the other (names appear in the summary only).
    """
    learner, expert = booking.learner, booking.expert
    return invite_build(
        reference=booking.reference,
        domain=urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "taptime.example",
        start=booking.start,
        end=booking.end,
        summary=_("TapTime session: %(learner)s with %(expert)s") % {"learner": learner, "expert": expert},
        join_url=_join_url(booking),
        organizer=Person(name="TapTime", email=settings.BOOKING_INVITE_ORGANIZER_EMAIL),
        attendees=[Person(name=str(recipient), email=recipient.email)],
        description=booking.goals_note,
        method=method,
        sequence=sequence,
        stamp=stamp or booking.confirmed_at,
    )


def _booking_in(booking_id: int, status: str) -> Booking | None:
    """The booking with both participants loaded, only if it is (still) in ``status``: a late job sends nothing."""
    return (
        Booking.objects.select_related("learner", "expert__expert_profile").filter(pk=booking_id, status=status).first()
    )


ROLES = ("learner", "expert")


def booking_confirmation_email_send(*, booking_id: int, role: str) -> int:
    """Send the confirmation to one participant (``role``: learner or expert); returns how many were sent.

    Only a confirmed booking is announced, so a job that runs late (after a
    cancellation) sends nothing. One participant per call: the outbox runs
    each as its own message, so a crash can repeat at most one email.
    """
    booking = _booking_in(booking_id, Booking.Status.CONFIRMED)
    if booking is None:
        return 0
    return _send_to(booking, role=role, template="booking_confirmed", method="REQUEST")


def booking_cancellation_email_send(*, booking_id: int, role: str) -> int:
    """Tell one participant that the session was cancelled (by the learner, or by us after a refund
    made in Stripe's dashboard); returns how many were sent.

    The attached event has ``METHOD:CANCEL``, the confirmation's UID and
    ``SEQUENCE:1``, so calendars remove the session instead of adding one.
    """
    booking = _booking_in(booking_id, Booking.Status.CANCELLED_BY_LEARNER) or _booking_in(
        booking_id, Booking.Status.CANCELLED_REFUNDED
    )
    if booking is None:
        return 0
    return _send_to(booking, role=role, template="booking_cancelled", method="CANCEL")


def _send_to(booking: Booking, *, role: str, template: str, method: str) -> int:
    """One email to the learner (their zone) or the expert (their profile's zone), in their language,
    with their own calendar invite (``REQUEST``, or ``CANCEL`` with ``SEQUENCE:1``)."""
    if role == "learner":
        user, zone, other = booking.learner, booking.learner_zone, booking.expert
    elif role == "expert":
        user, zone, other = booking.expert, booking.expert_zone, booking.learner
    else:
        raise ValueError(f"unknown role {role!r}")
    if method == "CANCEL":
        invite = _invite(booking, recipient=user, method="CANCEL", sequence=1, stamp=booking.cancelled_at)
    else:
        invite = _invite(booking, recipient=user)
    email_send(
        to=user.email,
        template=template,
        context={
            "user": user,
            "other": other,
            "role": role,
            "booking": booking,
            "zone": zone,
            "duration_minutes": booking.duration_minutes,
            "detail_path": f"/bookings/{booking.pk}/",
            "join_url": _join_url(booking),
        },
        language=user.preferred_language,
        attachments=[("session.ics", invite, f"text/calendar; method={method}; charset=utf-8")],
    )
    return 1
