"""Emails about a booking: each participant gets times in their own zone and the calendar invite."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.ics import Person, invite_build
from notifications.services import email_send, users_opted_out_of_reminder_email

from ..models import Booking, MoveProposal, Reminder
from ..selectors.rebooking import expert_rebooking_options


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


def _booking_in(booking_id: int, status: str | tuple[str, ...]) -> Booking | None:
    """The booking with both participants loaded, only if it is (still) in ``status``: a late job sends nothing."""
    statuses = (status,) if isinstance(status, str) else status
    return (
        Booking.objects.select_related("learner", "expert__expert_profile")
        .filter(pk=booking_id, status__in=statuses)
        .first()
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

    The attached event has ``METHOD:CANCEL``, the confirmation's UID and a
    SEQUENCE one above the last invite's (1 unless the session was moved), so
    calendars remove the session instead of adding one.
    """
    booking = _booking_in(booking_id, CANCELLED)
    if booking is None:
        return 0
    if booking.status == Booking.Status.CANCELLED_BY_EXPERT:
        # The learner gets an apology with the expert's next free times; the expert a confirmation.
        return _send_to(booking, role=role, template="booking_cancelled_by_expert", method="CANCEL")
    return _send_to(booking, role=role, template="booking_cancelled", method="CANCEL")


CANCELLED = (
    Booking.Status.CANCELLED_BY_LEARNER,
    Booking.Status.CANCELLED_BY_EXPERT,
    Booking.Status.CANCELLED_REFUNDED,
)


def booking_rescheduled_email_send(*, booking_id: int, role: str, sequence: int, previous_start: str) -> int:
    """Tell one participant that the learner moved the session: the old and the new time, and the
    invite with the same UID and the move's SEQUENCE, so calendars move the event.

    Only while the booking is confirmed and still at this move (a later move sends its own, a
    cancellation its own), so a late job sends nothing out of date.
    """
    booking = _booking_in(booking_id, Booking.Status.CONFIRMED)
    if booking is None or booking.ics_sequence != sequence:
        return 0
    try:
        previous = datetime.fromisoformat(previous_start)
    except (TypeError, ValueError):
        previous = None
    return _send_to(booking, role=role, template="booking_rescheduled", method="REQUEST", extra={"previous": previous})


def booking_reminder_email_send(*, reminder_id: int, role: str, planned_start: int) -> int:
    """One participant's reminder, in their language and zone, with the join link; returns how many were sent.

    Nothing when the session is no longer confirmed at the planned time (cancelled or moved after the
    job handed it over), has begun, or the recipient switched email reminders off.
    """
    reminder = Reminder.objects.filter(pk=reminder_id).first()
    booking = _booking_in(reminder.booking_id, Booking.Status.CONFIRMED) if reminder is not None else None
    if booking is None or int(booking.start.timestamp()) != planned_start or booking.start <= timezone.now():
        return 0
    recipient_id = booking.learner_id if role == "learner" else booking.expert_id
    if users_opted_out_of_reminder_email(user_ids=[recipient_id]):
        return 0
    return _send_to(booking, role=role, template="booking_reminder", method="", extra={"kind": reminder.kind})


def move_proposal_email_send(*, proposal_id: int, event: str) -> int:
    """``proposed``: tell the learner the expert proposes another time (with the link to answer);
    ``declined``: tell the expert the learner keeps the time. Only while that is still so."""
    wanted = {"proposed": MoveProposal.Status.OPEN, "declined": MoveProposal.Status.DECLINED}.get(event)
    proposal = MoveProposal.objects.filter(pk=proposal_id, status=wanted).first() if wanted else None
    booking = _booking_in(proposal.booking_id, Booking.Status.CONFIRMED) if proposal is not None else None
    if booking is None:
        return 0
    role = "learner" if event == "proposed" else "expert"
    answer_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("booking_proposal", kwargs={"pk": booking.pk})
    return _send_to(
        booking,
        role=role,
        template=f"booking_move_{event}",
        method="",
        extra={"proposal": proposal, "answer_url": answer_url},
    )


def _send_to(booking: Booking, *, role: str, template: str, method: str, extra: dict | None = None) -> int:
    """One email to the learner (their zone) or the expert (their profile's zone), in their language,
    with their own calendar invite (``REQUEST``, or ``CANCEL`` with ``SEQUENCE:1``)."""
    if role == "learner":
        user, zone, other = booking.learner, booking.learner_zone, booking.expert
    elif role == "expert":
        user, zone, other = booking.expert, booking.expert_zone, booking.learner
    else:
        raise ValueError(f"unknown role {role!r}")
    if not method:
        invite = None
    elif method == "CANCEL":
        invite = _invite(
            booking, recipient=user, method="CANCEL", sequence=booking.ics_sequence + 1, stamp=booking.cancelled_at
        )
    else:
        stamp = booking.updated_at if booking.ics_sequence else None
        invite = _invite(booking, recipient=user, sequence=booking.ics_sequence, stamp=stamp)
    extra = dict(extra or {})
    if template == "booking_cancelled_by_expert" and role == "learner":
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            extra["rebooking"] = expert_rebooking_options(
                booking=booking, now=timezone.now(), language=translation.get_language()
            )
    email_send(
        to=user.email,
        template=template,
        context={
            **extra,
            "user": user,
            "other": other,
            "role": role,
            "booking": booking,
            "zone": zone,
            "duration_minutes": booking.duration_minutes,
            "detail_path": f"/bookings/{booking.pk}/",
            "join_url": _join_url(booking),
            "join_early_minutes": settings.BOOKING_JOIN_EARLY_MINUTES,
        },
        language=user.preferred_language,
        attachments=[("session.ics", invite, f"text/calendar; method={method}; charset=utf-8")] if invite else [],
    )
    return 1
