"""Marketplace state changes. Bookings for now; more arrive with issue #4."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from ..errors import BookingError, SlotTaken
from ..models import Booking, ExpertProfile
from ..scheduling import Availability, SlotUnavailable, validate_slot
from ..selectors import booking_busy_intervals
from .availability import expert_next_available_refresh_on_commit


def _refusal_message(code: str) -> str:
    return {
        "invalid": _("Please choose a valid time."),
        "past": _("This time has already passed. Please choose a later slot."),
        "too_soon": _("This time is too soon to book. Please choose a later slot."),
        "too_far": _("This time is too far ahead to book yet."),
        "taken": _("This slot was just taken. Please choose another time."),
        "outside_availability": _("The expert is not available at this time."),
    }[code]


def _lock_participants(*user_ids: int) -> None:
    """Serialise every hold that involves these users: row locks, always in id order (no deadlocks).

    On SQLite the IMMEDIATE transaction already holds the database's write
    lock, so this is the same code path with a coarser lock.
    """
    list(get_user_model().objects.select_for_update().filter(pk__in=sorted(user_ids)).order_by("pk").values("pk"))


def booking_hold(
    *,
    learner,
    expert,
    start: datetime,
    duration: timedelta,
    availability: Availability,
    amount_minor: int,
    currency: str,
    now: datetime | None = None,
) -> Booking:
    """Hold a slot for a learner until it is paid or the hold expires.

    Lock both participants, then recheck the slot with the slot engine against
    the bookings and live holds read *inside* the lock, then insert (after
    marking lapsed holds nearby expired, when there are any). The
    PostgreSQL exclusion constraints stand behind this: should two inserts
    ever race past the recheck, one fails and is reported as taken.
    """
    now = now or timezone.now()
    if learner.pk == expert.pk:
        raise BookingError(_("You cannot book a session with yourself."), code="self_booking")
    if not isinstance(start, datetime) or start.tzinfo is None:
        raise BookingError(_refusal_message("invalid"), code="invalid")
    start = start.astimezone(UTC)
    if not isinstance(duration, timedelta) or not timedelta(0) < duration <= Booking.MAX_LENGTH:
        raise BookingError(_refusal_message("invalid"), code="invalid")
    if not isinstance(amount_minor, int) or amount_minor < 0 or len(currency or "") != 3:
        raise BookingError(_("The price of this session could not be worked out."), code="bad_price")
    try:
        with transaction.atomic(durable=True):
            if getattr(settings, "BOOKING_HOLD_LOCKING", True):
                _lock_participants(learner.pk, expert.pk)
            bookings, holds, learner_busy, lapsed, learner_live_holds = booking_busy_intervals(
                expert_id=expert.pk,
                learner_id=learner.pk,
                begin=start - timedelta(days=2),
                end=start + duration + timedelta(days=2),
                now=now,
                learner_holds=True,
            )
            try:
                slot = validate_slot(
                    start=start, availability=availability, duration=duration, now=now, bookings=bookings, holds=holds
                )
            except SlotUnavailable as refused:
                error = SlotTaken if refused.code == "taken" else BookingError
                raise error(_refusal_message(refused.code), code=refused.code) from None
            if any(item.start < slot.end and item.end > slot.start for item in learner_busy):
                raise SlotTaken(_("You already have a session at this time."), code="learner_busy")
            if lapsed:
                # A lapsed hold is ignored by the recheck but still counts for the
                # exclusion constraints until it is marked expired. Only then is the
                # write needed: the usual hold saves a statement while it holds the lock.
                _expire_stale_holds(user_ids=[learner.pk, expert.pk], now=now)
            _release_oldest_holds_over_the_limit(learner_live_holds, now=now)
            expert_next_available_refresh_on_commit(user_ids=[expert.pk], taken=(slot.start, slot.end))
            return Booking.objects.create(
                learner=learner,
                expert=expert,
                start=slot.start,
                end=slot.end,
                status=Booking.Status.HELD,
                hold_expires_at=now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES),
                amount_minor=amount_minor,
                currency=currency.upper(),
            )
    except IntegrityError as error:
        if "no_overlap" not in str(error):
            raise
        # Only reachable if the lock above was bypassed: the database had the last word.
        raise SlotTaken(_refusal_message("taken"), code="taken_by_constraint") from None
    except OperationalError as error:
        # Concurrent inserts checking the same exclusion constraint can deadlock
        # each other; PostgreSQL aborts one of them (SQLSTATE 40P01), which has
        # then lost the race just as a constraint violation would.
        if getattr(error.__cause__, "sqlstate", None) != "40P01":
            raise
        raise SlotTaken(_refusal_message("taken"), code="taken_by_constraint") from None


def _release_oldest_holds_over_the_limit(live: list[tuple[int, int, datetime]], *, now: datetime) -> None:
    """Keep a learner at ``BOOKING_MAX_LIVE_HOLDS`` unpaid holds: the new one lets go of the oldest.

    ``live`` is the learner's live holds as the hold's own read found them
    (pk, expert id, created), so this costs a statement only when something is
    released. It runs under the learner's lock, so two holds of the same
    learner cannot both slip under the limit. Nobody can block an expert's
    calendar by holding time after time, and a learner who changes their mind
    is never refused. A payment that still arrives for a released hold is
    booked if its time is free, else refunded (``booking_confirm``).
    """
    keep = max(settings.BOOKING_MAX_LIVE_HOLDS - 1, 0)
    newest_first = sorted(live, key=lambda row: (row[2], row[0]), reverse=True)
    released = newest_first[keep:]
    if released:
        Booking.objects.filter(pk__in=[pk for pk, _expert, _created in released], status=Booking.Status.HELD).update(
            status=Booking.Status.EXPIRED, hold_expires_at=now, updated_at=now
        )
        expert_next_available_refresh_on_commit(user_ids=sorted({expert for _pk, expert, _created in released}))


def _expire_stale_holds(*, user_ids: list[int], now: datetime) -> int:
    from django.db.models import Q

    return Booking.objects.filter(
        Q(expert_id__in=user_ids) | Q(learner_id__in=user_ids),
        status=Booking.Status.HELD,
        hold_expires_at__lte=now,
    ).update(status=Booking.Status.EXPIRED, updated_at=now)


def booking_complete_past(*, now: datetime | None = None) -> int:
    """Mark confirmed sessions whose end has passed as completed (the periodic job). Returns how many.

    Only ``confirmed`` moves: held, cancelled and no-show bookings keep their
    status. Idempotent, and one indexed UPDATE whatever the backlog.
    """
    now = now or timezone.now()
    return Booking.objects.filter(status=Booking.Status.CONFIRMED, end__lte=now).update(
        status=Booking.Status.COMPLETED, updated_at=now
    )


def booking_expire_holds(*, now: datetime | None = None) -> int:
    """Free every hold whose time is up (the periodic job). Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        lapsed = dict(
            Booking.objects.filter(status=Booking.Status.HELD, hold_expires_at__lte=now).values_list("pk", "expert_id")
        )
        if lapsed:
            expert_next_available_refresh_on_commit(user_ids=sorted(set(lapsed.values())))
        return Booking.objects.filter(pk__in=lapsed, status=Booking.Status.HELD).update(
            status=Booking.Status.EXPIRED, updated_at=now
        )


def booking_release_hold(*, booking: Booking, now: datetime | None = None) -> bool:
    """Free a held slot at once (its payment failed): held -> expired. False if it was not held.

    The time is listed again right away instead of at the end of the hold. Safe
    to call any number of times and in any order with ``booking_confirm``: the
    update only matches a booking that is still held.
    """
    now = now or timezone.now()
    with transaction.atomic():
        released = Booking.objects.filter(pk=booking.pk, status=Booking.Status.HELD).update(
            status=Booking.Status.EXPIRED, hold_expires_at=now, updated_at=now
        )
        if released:
            expert_next_available_refresh_on_commit(user_ids=[booking.expert_id])
    return bool(released)


def booking_hold_again(*, booking: Booking, availability: Availability, amount_minor: int, currency: str) -> Booking:
    """A new hold on the same time as a hold that ran out or was released, for the same learner.

    The slot is rechecked like any other hold (it may be someone else's by now),
    and the price is the caller's current server-side price, not the old one.
    """
    if booking.status != Booking.Status.EXPIRED and not (
        booking.status == Booking.Status.HELD and booking.hold_expires_at and booking.hold_expires_at <= timezone.now()
    ):
        raise BookingError(_("This booking is not waiting for a new hold."), code="not_expired")
    return booking_hold(
        learner=booking.learner,
        expert=booking.expert,
        start=booking.start,
        duration=booking.end - booking.start,
        availability=availability,
        amount_minor=amount_minor,
        currency=currency,
    )


def booking_goals_set(*, booking: Booking, note: str) -> Booking:
    """Store the learner's goals note on a booking that is still held or confirmed."""
    note = (note or "").strip()
    if len(note) > 2000:
        raise BookingError(_("Please keep your note under 2000 characters."), code="note_too_long")
    Booking.objects.filter(pk=booking.pk, status__in=Booking.SLOT_HOLDING).update(goals_note=note)
    booking.goals_note = note
    return booking


def booking_confirm(*, booking: Booking, now: datetime | None = None) -> Booking:
    """held -> confirmed once its payment succeeded: create the video room, queue both emails.

    Idempotent: a confirmed booking is returned unchanged (no second room, no
    second email), so the payment signal may arrive any number of times. A
    payment can succeed after its hold ran out (a bank's authentication took
    long) or was released: the booking is then confirmed only if its time is
    still free (``_late_confirmation_check``); otherwise ``BookingError`` and
    billing refunds the payment. A cancelled booking is never confirmed.
    """
    from ..video import video_room_create

    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if locked.status == Booking.Status.CONFIRMED:
                return locked
            lapsed = locked.status == Booking.Status.EXPIRED or (
                locked.status == Booking.Status.HELD
                and (locked.hold_expires_at is None or locked.hold_expires_at <= now)
            )
            if locked.status not in (Booking.Status.HELD, Booking.Status.EXPIRED):
                raise BookingError(_("This booking can no longer be confirmed."), code="not_confirmable")
            if lapsed:
                _late_confirmation_check(locked, now=now)
            return _confirm(locked, now=now, video_room_create=video_room_create)
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
    _lock_participants(booking.learner_id, booking.expert_id)
    profile = ExpertProfile.objects.filter(user_id=booking.expert_id).only("buffer_minutes").first()
    buffer = timedelta(minutes=profile.buffer_minutes if profile else 0)
    busy = booking_busy_intervals(
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
        _expire_stale_holds(user_ids=[booking.learner_id, booking.expert_id], now=now)
    expert_next_available_refresh_on_commit(user_ids=[booking.expert_id], taken=(booking.start, booking.end))


def _confirm(locked: Booking, *, now: datetime, video_room_create) -> Booking:
    """held or expired -> confirmed, with its video room; both emails queued on commit."""
    room = video_room_create(booking_ref=locked.reference)
    locked.status = Booking.Status.CONFIRMED
    locked.video_url = room.url
    locked.confirmed_at = now
    locked.save(update_fields=["status", "video_url", "confirmed_at", "updated_at"])
    booking_id = locked.pk
    transaction.on_commit(
        lambda: async_task(
            "marketplace.tasks.send_booking_confirmation", booking_id, task_name=f"booking-confirmed-{booking_id}"
        )
    )
    return locked


def booking_cancellation_check(*, booking: Booking, by, now: datetime | None = None) -> None:
    """Raise ``BookingError`` unless ``by`` may cancel ``booking`` now for a full refund.

    The one rule both the cancel screen and the services read: the booking's
    learner, a confirmed session, at least ``BOOKING_FREE_CANCELLATION_HOURS``
    before it starts. Pure: no queries.
    """
    now = now or timezone.now()
    hours = settings.BOOKING_FREE_CANCELLATION_HOURS
    if by is None or booking.learner_id != by.pk:
        raise BookingError(_("Only the learner who booked this session can cancel it."), code="not_learner")
    if booking.status == Booking.Status.CANCELLED_BY_LEARNER:
        raise BookingError(
            _("This session is already cancelled and its payment was refunded."), code="already_cancelled"
        )
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only a confirmed, upcoming session can be cancelled."), code="not_confirmed")
    if booking.start - now < timedelta(hours=hours):
        raise BookingError(
            _(
                "Sessions can be cancelled for a full refund up to %(hours)d hours before they start. "
                "This one starts sooner, so it can no longer be cancelled."
            )
            % {"hours": hours},
            code="too_late",
        )


def booking_is_cancellable(*, booking: Booking, by, now: datetime | None = None) -> bool:
    """``booking_cancellation_check`` as a yes/no, for screens that only show or hide the button."""
    try:
        booking_cancellation_check(booking=booking, by=by, now=now)
    except BookingError:
        return False
    return True


def booking_cancel(*, booking: Booking, by, now: datetime | None = None) -> Booking:
    """confirmed -> cancelled by the learner: frees the slot and queues both emails on commit.

    The money side is billing's: call ``billing.cancellation.booking_cancel_with_refund``,
    which refunds first and then calls this inside the same transaction. The
    rule is rechecked here under the row lock, so two concurrent cancellations
    cannot both pass. Cancelled states are not slot-holding, so the time is
    free for others as soon as this commits.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        booking_cancellation_check(booking=locked, by=by, now=now)
        locked.status = Booking.Status.CANCELLED_BY_LEARNER
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        booking_id = locked.pk
        transaction.on_commit(
            lambda: async_task(
                "marketplace.tasks.send_booking_cancellation", booking_id, task_name=f"booking-cancelled-{booking_id}"
            )
        )
        # The freed time may now be the expert's next free time on browse.
        expert_next_available_refresh_on_commit(user_ids=[locked.expert_id])
        return locked
