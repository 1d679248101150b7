"""Holding a free time while the learner pays, and letting it go again.

A hold is a ``Booking`` in ``held`` with an expiry. ``booking_hold`` is the only
way one is made: it locks both participants, then reads the session type,
the expert's hours and the busy times *inside* the lock and rechecks the slot
with the same engine that listed it, so a listed slot is always bookable, an
unlisted one never is, and two learners can never hold the same time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.limits import limit_reached_record
from core.locking import locked_transaction
from core.parsing import EARLIEST, LATEST
from marketplace.models import ExpertProfile, SessionType

from ..errors import BookingError, HoldLimitReached, SlotTaken
from ..models import Booking, expert_refund_terms
from ..scheduling import SlotUnavailable, validate_slot
from ..selectors.availability import expert_availability
from ..selectors.busy import hold_busy_times
from ..signals import holds_lapsed
from .limits import hold_limits_check
from .next_free import expert_next_available_refresh_on_commit

# SQLSTATE of a deadlock PostgreSQL broke by aborting one of the transactions.
DEADLOCK_DETECTED = "40P01"


def _refusal_message(code: str) -> str:
    return {
        "invalid": _("Please choose a valid time."),
        "past": _("This time has already passed. Please choose a later slot."),
        "too_soon": _("This time is too soon to book. Please choose a later slot."),
        "too_far": _("This time is too far ahead to book yet."),
        "taken": _("This slot was just taken. Please choose another time."),
        "outside_availability": _("The expert is not available at this time."),
    }[code]


def lock_participants(*user_ids: int) -> None:
    """Serialise every hold, confirmation and cancellation that involves these users.

    Row locks on the users, always in id order, so two requests never deadlock
    on each other. On SQLite the IMMEDIATE transaction already holds the
    database's write lock, so this is the same code path with a coarser lock.
    Call inside ``locked_transaction()``: the wait is bounded there.
    """
    list(get_user_model().objects.select_for_update().filter(pk__in=sorted(user_ids)).order_by("pk").values("pk"))


def _offered_session_type(session_type: SessionType) -> SessionType:
    """The session type as it is now, with its profile: refused unless it is still offered by an active expert."""
    current = (
        SessionType.objects.select_related("profile__user", "profile__refund_policy").filter(pk=session_type.pk).first()
    )
    if (
        current is None
        or not current.is_active
        or current.profile.status != ExpertProfile.Status.ACTIVE
        or not current.profile.user.is_active  # a deactivated expert's page may still be live
    ):
        raise BookingError(_("This session is not offered. Please choose another one."), code="not_offered")
    return current


def booking_hold(*, learner, session_type: SessionType, start: datetime, now: datetime | None = None) -> Booking:
    """Hold ``start`` for ``learner`` with the expert of ``session_type`` until it is paid or the hold expires.

    Everything that decides the hold is read here, under both participants'
    locks: whether the session type is still offered and its price, the
    expert's hours and policy, and the bookings and live holds around the
    slot; and the learner's velocity limits (``bookings.services.limits``). The
    PostgreSQL exclusion constraints stand behind this: should two
    inserts ever race past the recheck, one fails and is reported as taken.
    A lock that cannot be had within ``LOCK_TIMEOUT_SECONDS`` raises ``Busy``.
    """
    now = now or timezone.now()
    if not isinstance(start, datetime) or start.tzinfo is None:
        raise BookingError(_refusal_message("invalid"), code="invalid")
    try:
        start = start.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+14:00 has no UTC instant
        raise BookingError(_refusal_message("invalid"), code="invalid") from None
    if not EARLIEST <= start < LATEST:
        # Arithmetic near datetime's limits overflows; no bookable time lies out there.
        raise BookingError(_refusal_message("invalid"), code="invalid")
    expert_id = session_type.profile.user_id
    if learner.pk == expert_id:
        raise BookingError(_("You cannot book a session with yourself."), code="self_booking")
    try:
        with locked_transaction(durable=True):
            if settings.BOOKING_HOLD_LOCKING:
                lock_participants(learner.pk, expert_id)
            hold_limits_check(learner_id=learner.pk, expert_id=expert_id, now=now)
            offered = _offered_session_type(session_type)
            profile = offered.profile
            duration = timedelta(minutes=offered.duration_minutes)
            availability = expert_availability(profile=profile)
            busy = hold_busy_times(
                expert_id=expert_id,
                learner_id=learner.pk,
                begin=start - timedelta(days=2),
                end=start + duration + timedelta(days=2),
                now=now,
                learner_holds=True,
            )
            try:
                slot = validate_slot(
                    start=start,
                    availability=availability,
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
                # A lapsed hold is ignored by the recheck but still counts for the
                # exclusion constraints until it is marked expired. Only then is the
                # write needed: the usual hold saves a statement while it holds the lock.
                expire_stale_holds(user_ids=[learner.pk, expert_id], now=now)
            _release_oldest_holds_over_the_limit(busy.learner_live_holds, now=now)
            expert_next_available_refresh_on_commit(user_ids=[expert_id], taken=(slot.start, slot.end))
            return Booking.objects.create(
                learner=learner,
                expert_id=expert_id,
                session_type=offered,
                start=slot.start,
                end=slot.end,
                status=Booking.Status.HELD,
                hold_expires_at=now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES),
                amount_minor=offered.price_minor,
                currency=offered.currency,
                # The learner buys under the expert's refund policy as it is now.
                **expert_refund_terms(profile).snapshot(),
            )
    except HoldLimitReached as reached:
        # Recorded for staff after the refused hold rolled back, so the record stays.
        limit_reached_record(
            user=learner,
            limit=reached.code,
            count=reached.extra["count"],
            window_hours=reached.extra["window_hours"],
            detail={"expert_id": expert_id},
        )
        raise
    except IntegrityError as error:
        if "no_overlap" not in str(error):
            raise
        # Only reachable if the lock above was bypassed: the database had the last word.
        raise SlotTaken(_refusal_message("taken"), code="taken_by_constraint") from None
    except OperationalError as error:
        # Concurrent inserts checking the same exclusion constraint can deadlock
        # each other; PostgreSQL aborts one of them, which has then lost the race
        # just as a constraint violation would.
        if getattr(error.__cause__, "sqlstate", None) != DEADLOCK_DETECTED:
            raise
        raise SlotTaken(_refusal_message("taken"), code="taken_by_constraint") from None


def booking_hold_again(*, booking: Booking, now: datetime | None = None) -> Booking:
    """A new hold on the same time as a hold that ran out or was released, for the same learner.

    The slot is rechecked like any other hold (it may be someone else's by
    now), and priced at the session type's current price, not the old one.
    """
    now = now or timezone.now()
    if not booking.hold_has_lapsed(now):
        raise BookingError(_("This booking is not waiting for a new hold."), code="not_expired")
    gone = BookingError(_("This session is not offered any more. Please choose another one."), code="not_offered")
    if booking.session_type_id is None:
        raise gone
    try:
        return booking_hold(learner=booking.learner, session_type=booking.session_type, start=booking.start, now=now)
    except BookingError as refused:
        if refused.code == "not_offered":
            raise gone from None
        raise


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
        ids = [pk for pk, _expert, _created in released]
        Booking.objects.filter(pk__in=ids, status=Booking.Status.HELD).update(
            status=Booking.Status.EXPIRED, hold_expires_at=now, updated_at=now
        )
        holds_lapsed.send(sender=Booking, booking_ids=ids)
        expert_next_available_refresh_on_commit(user_ids=sorted({expert for _pk, expert, _created in released}))


def expire_stale_holds(*, user_ids: list[int], now: datetime) -> int:
    """Mark these users' lapsed holds expired, so the exclusion constraints stop counting them."""
    ids = list(
        Booking.objects.filter(
            Q(expert_id__in=user_ids) | Q(learner_id__in=user_ids),
            status=Booking.Status.HELD,
            hold_expires_at__lte=now,
        ).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    expired = Booking.objects.filter(pk__in=ids, status=Booking.Status.HELD).update(
        status=Booking.Status.EXPIRED, updated_at=now
    )
    holds_lapsed.send(sender=Booking, booking_ids=ids)
    return expired


def booking_expire_holds(*, now: datetime | None = None) -> int:
    """Free every hold whose time is up (the periodic job). Returns how many.

    ``holds_lapsed`` tells billing in the same transaction, which then cancels
    the PaymentIntents of these holds, so a late attempt cannot charge at all.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lapsed = dict(
            Booking.objects.filter(status=Booking.Status.HELD, hold_expires_at__lte=now).values_list("pk", "expert_id")
        )
        if not lapsed:
            return 0
        expert_next_available_refresh_on_commit(user_ids=sorted(set(lapsed.values())))
        expired = Booking.objects.filter(pk__in=lapsed, status=Booking.Status.HELD).update(
            status=Booking.Status.EXPIRED, updated_at=now
        )
        holds_lapsed.send(sender=Booking, booking_ids=sorted(lapsed))
        return expired


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
            holds_lapsed.send(sender=Booking, booking_ids=[booking.pk])
            expert_next_available_refresh_on_commit(user_ids=[booking.expert_id])
    return bool(released)


def booking_goals_set(*, booking: Booking, note: str) -> Booking:
    """Store the learner's goals note on a booking that is still held or confirmed."""
    note = (note or "").strip()
    if len(note) > 2000:
        raise BookingError(_("Please keep your note under 2000 characters."), code="note_too_long")
    Booking.objects.filter(pk=booking.pk, status__in=Booking.SLOT_HOLDING).update(goals_note=note)
    booking.goals_note = note
    return booking


def booking_expired_holds_purge(*, now: datetime | None = None) -> int:
    """Retention: delete holds that lapsed unpaid more than ``RETENTION_EXPIRED_HOLD_DAYS`` ago.

    A hold with a payment row (a failed or cancelled attempt) is kept: payments are accounting
    records and point at their booking.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_EXPIRED_HOLD_DAYS)
    stale = Booking.objects.filter(status=Booking.Status.EXPIRED, start__lt=cutoff, updated_at__lt=cutoff).filter(
        payments__isnull=True
    )
    deleted, _by_model = Booking.objects.filter(pk__in=stale.values("pk")).delete()
    return deleted
