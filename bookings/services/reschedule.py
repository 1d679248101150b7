"""The learner moves a confirmed session to another free time of the same expert, same length.

No money moves (the price paid stays the price), so this is bookings' alone.
The new time is taken and the old one freed by one UPDATE of the booking's
own row, inside one transaction under both participants' locks, the same
locks ``booking_hold`` takes: a hold racing for the new time waits, rechecks
and finds it taken (or the move does), and a failed move leaves the booking
exactly as it was. The PostgreSQL exclusion constraints stand behind the
recheck, as for holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import locked_transaction
from core.outbox import outbox_enqueue
from core.parsing import EARLIEST, LATEST
from marketplace.models import ExpertProfile

from ..errors import BookingError, SlotTaken
from ..models import Booking
from ..policy import booking_reschedule_check
from ..scheduling import Interval, SlotUnavailable, validate_slot
from ..selectors.availability import expert_availability
from ..selectors.busy import hold_busy_times
from ..signals import booking_changed
from .emails import ROLES
from .holds import _refusal_message, expire_stale_holds, lock_participants
from .next_free import expert_next_available_refresh_on_commit
from .reminders import reminders_plan


def booking_reschedule(*, booking: Booking, by, start: datetime, now: datetime | None = None) -> Booking:
    """Move ``booking`` to ``start`` (same length), or change nothing and raise ``BookingError``.

    Under the participants' locks and the booking's row lock: the rule
    (``booking_reschedule_check``: the learner, confirmed, no cancellation under
    way, under the move limit, inside the full-refund window), the expert still
    active, and the slot engine's ``validate_slot`` against the expert's
    current hours and the bookings and live holds around the new time (this
    booking's own time left out); the learner has no other session then. Then
    one UPDATE moves it: start, end, one more move, one higher calendar
    SEQUENCE, and an outbox message per participant with the updated invite.
    """
    now = now or timezone.now()
    start = valid_instant(start)
    with moving_transaction(booking) as locked:
        booking_reschedule_check(booking=locked, by=by, now=now)
        slot = new_time_check(locked, start=start, now=now)
        return move_apply(locked, slot=slot, now=now, counted=True)


@contextmanager
def moving_transaction(booking: Booking) -> Iterator[Booking]:
    """One transaction under both participants' locks (the hold's order) and the booking's row lock;
    the exclusion constraints' last word (or a deadlock PostgreSQL broke) reads as "just taken"."""
    try:
        with locked_transaction():
            lock_participants(booking.learner_id, booking.expert_id)
            yield Booking.objects.select_for_update().get(pk=booking.pk)
    except IntegrityError:
        raise SlotTaken(_refusal_message("taken"), code="taken") from None
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == "40P01":
            raise SlotTaken(_refusal_message("taken"), code="taken") from None
        raise


def new_time_check(locked: Booking, *, start: datetime, now: datetime) -> Interval:
    """The slot ``locked`` would move to, rechecked as a hold would be (its own time left out), or raise."""
    if start == locked.start:
        raise BookingError(_("This session is already at that time."), code="same_time")
    profile = ExpertProfile.objects.select_related("user").filter(user_id=locked.expert_id).first()
    if profile is None or profile.status != ExpertProfile.Status.ACTIVE or not profile.user.is_active:
        raise BookingError(_("This expert is not taking bookings at the moment."), code="not_offered")
    duration = locked.duration
    busy = hold_busy_times(
        expert_id=locked.expert_id,
        learner_id=locked.learner_id,
        begin=start - timedelta(days=2),
        end=start + duration + timedelta(days=2),
        now=now,
        exclude_id=locked.pk,
    )
    try:
        slot = validate_slot(
            start=start,
            availability=expert_availability(profile=profile),
            duration=duration,
            now=now,
            bookings=busy.bookings,
            holds=busy.holds,
            busy=busy.imported,
        )
    except SlotUnavailable as refused:
        error = SlotTaken if refused.code == "taken" else BookingError
        raise error(_refusal_message(refused.code), code=refused.code) from None
    if any(item.start < slot.end and item.end > slot.start for item in busy.learner_sessions):
        raise SlotTaken(_("You already have a session at this time."), code="learner_busy")
    if busy.lapsed:
        expire_stale_holds(user_ids=[locked.learner_id, locked.expert_id], now=now)
    return slot


def move_apply(locked: Booking, *, slot, now: datetime, counted: bool) -> Booking:
    """The one UPDATE that moves it (``counted``: one more of the learner's moves), the reminders
    re-planned, and both participants' emails with the updated invite written to the outbox."""
    previous = locked.start
    locked.start, locked.end = slot.start, slot.end
    locked.reschedule_count += 1 if counted else 0
    locked.ics_sequence += 1
    locked.save(update_fields=["start", "end", "reschedule_count", "ics_sequence", "updated_at"])
    # The old time's reminders no longer match; the new time gets its own.
    reminders_plan(booking=locked, now=now)
    for role in ROLES:
        outbox_enqueue(
            app_label="bookings",
            handler="bookings.tasks.send_booking_rescheduled",
            payload={
                "booking_id": locked.pk,
                "role": role,
                "sequence": locked.ics_sequence,
                "previous_start": previous.isoformat(),
            },
            dedupe_key=f"booking-{locked.pk}-moved-{locked.ics_sequence}-{role}",
        )
    booking_changed.send(sender=Booking, booking=locked, event="rescheduled")
    # Both the freed and the taken time may change the expert's next free time.
    expert_next_available_refresh_on_commit(user_ids=[locked.expert_id])
    return locked


def valid_instant(start) -> datetime:
    """An aware instant within the calendar's bounds, in UTC, or ``BookingError`` (``invalid``)."""
    if not isinstance(start, datetime) or start.tzinfo is None:
        raise BookingError(_refusal_message("invalid"), code="invalid")
    try:
        start = start.astimezone(UTC)
    except OverflowError:
        raise BookingError(_refusal_message("invalid"), code="invalid") from None
    if not EARLIEST <= start < LATEST:
        raise BookingError(_refusal_message("invalid"), code="invalid")
    return start
