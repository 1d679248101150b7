"""A booking after its hold: confirmed when paid, cancelled by its learner, completed when over.

Money is billing's: billing calls ``booking_confirm`` when a payment succeeds
and ``booking_cancel`` once a refund has gone through; bookings never imports
billing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import locked_transaction
from core.outbox import outbox_enqueue
from marketplace.models import ExpertProfile

from ..errors import BookingError
from ..models import Booking
from ..policy import booking_cancellation_check
from ..selectors.busy import hold_busy_times
from ..video import video_room_create
from .emails import ROLES
from .holds import expire_stale_holds, lock_participants
from .next_free import expert_next_available_refresh_on_commit


def booking_confirm(*, booking: Booking, now: datetime | None = None) -> Booking:
    """held -> confirmed once its payment succeeded: create the video room, queue both emails.

    Idempotent: a confirmed booking is returned unchanged (no second room, no
    second email), so the payment signal may arrive any number of times. A
    payment can succeed after its hold ran out (a bank's authentication took
    long) or was released: the booking is then confirmed only if its time is
    still free (``_late_confirmation_check``); otherwise ``BookingError`` and
    billing refunds the payment. A cancelled booking is never confirmed.
    """
    now = now or timezone.now()
    try:
        with locked_transaction():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if locked.status == Booking.Status.CONFIRMED:
                return locked
            if locked.status not in (Booking.Status.HELD, Booking.Status.EXPIRED):
                raise BookingError(_("This booking can no longer be confirmed."), code="not_confirmable")
            if locked.hold_has_lapsed(now):
                _late_confirmation_check(locked, now=now)
            return _confirm(locked, now=now)
    except IntegrityError:
        # The exclusion constraints had the last word on a late confirmation: the time is someone else's.
        raise BookingError(_("This time was booked by someone else in the meantime."), code="time_taken") from None


def _late_confirmation_check(booking: Booking, *, now: datetime) -> None:
    """A payment that succeeded after its hold ran out still books the time if nobody took it meanwhile.

    Rechecked under both participants' locks, like a hold: the session must not
    have started, and neither the expert's bookings and live holds (with the
    expert's buffer around them) nor the learner's own sessions may overlap it.
    Raises ``BookingError`` (``too_late`` / ``time_taken``) otherwise.
    """
    if booking.start <= now:
        raise BookingError(_("This session's time has already begun."), code="too_late")
    lock_participants(booking.learner_id, booking.expert_id)
    profile = ExpertProfile.objects.filter(user_id=booking.expert_id).only("buffer_minutes").first()
    buffer = timedelta(minutes=profile.buffer_minutes if profile else 0)
    busy = hold_busy_times(
        expert_id=booking.expert_id,
        learner_id=booking.learner_id,
        begin=booking.start - buffer,
        end=booking.end + buffer,
        now=now,
    )
    theirs = [
        item
        for item in (*busy.bookings, *busy.holds)
        if item.start < booking.end + buffer and item.end > booking.start - buffer
    ]
    mine = [item for item in busy.learner_sessions if item.start < booking.end and item.end > booking.start]
    if theirs or mine:
        raise BookingError(_("This time was booked by someone else in the meantime."), code="time_taken")
    if busy.lapsed:
        expire_stale_holds(user_ids=[booking.learner_id, booking.expert_id], now=now)
    expert_next_available_refresh_on_commit(user_ids=[booking.expert_id], taken=(booking.start, booking.end))


def _confirm(locked: Booking, *, now: datetime) -> Booking:
    """held or expired -> confirmed, with its video room; both emails written to the outbox.

    The configured video adapter must answer without a network round trip (Jitsi
    names the room locally): this runs under the booking's row lock.
    """
    room = video_room_create(booking_ref=locked.reference)
    locked.status = Booking.Status.CONFIRMED
    locked.video_url = room.url
    locked.confirmed_at = now
    locked.save(update_fields=["status", "video_url", "confirmed_at", "updated_at"])
    _emails_enqueue(locked, handler="bookings.tasks.send_booking_confirmation", event="confirmed")
    return locked


def _emails_enqueue(booking: Booking, *, handler: str, event: str) -> None:
    """One outbox message per participant, in this transaction: sent once even if a worker dies."""
    for role in ROLES:
        outbox_enqueue(
            app_label="bookings",
            handler=handler,
            payload={"booking_id": booking.pk, "role": role},
            dedupe_key=f"booking-{booking.pk}-{event}-{role}",
        )


def booking_cancel(*, booking: Booking, by, now: datetime | None = None, refunded: bool = False) -> Booking:
    """confirmed -> cancelled by the learner: frees the slot and writes both emails to the outbox.

    The money side is billing's (``billing.services.cancellation``): it checks
    the rule, refunds, and then calls this with ``refunded=True``. The rule is
    rechecked here under the row lock, without the deadline once the refund
    has gone through (money given back is not taken back because the clock
    crossed the deadline during the refund). After a refund, a booking that is
    already cancelled is returned as it is, so a retry finishes quietly.
    Cancelled states are not slot-holding, so the time is free for others as
    soon as this commits.
    """
    now = now or timezone.now()
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if refunded and locked.status == Booking.Status.CANCELLED_BY_LEARNER:
            return locked
        booking_cancellation_check(booking=locked, by=by, now=now, deadline=not refunded)
        locked.status = Booking.Status.CANCELLED_BY_LEARNER
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        _emails_enqueue(locked, handler="bookings.tasks.send_booking_cancellation", event="cancelled")
        # The freed time may now be the expert's next free time on browse.
        expert_next_available_refresh_on_commit(user_ids=[locked.expert_id])
        return locked


def booking_complete_past(*, now: datetime | None = None) -> int:
    """Mark confirmed sessions whose end has passed as completed (the periodic job). Returns how many.

    Only ``confirmed`` moves: held, cancelled and no-show bookings keep their
    status. Idempotent, and one indexed UPDATE whatever the backlog.
    """
    now = now or timezone.now()
    return Booking.objects.filter(status=Booking.Status.CONFIRMED, end__lte=now).update(
        status=Booking.Status.COMPLETED, updated_at=now
    )
