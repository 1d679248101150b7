"""A booking after its hold: confirmed when paid, cancelled by its learner, completed when over.

Money is billing's: billing calls ``booking_confirm`` when a payment succeeds
and ``booking_cancel`` once a refund has gone through; bookings never imports
billing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.locking import locked_transaction
from core.outbox import outbox_enqueue
from marketplace.models import ExpertProfile, SessionType

from ..errors import BookingError
from ..models import Booking, SessionReport
from ..policy import booking_cancellation_check, booking_expert_cancellation_check
from ..scheduling import SlotUnavailable, validate_slot
from ..selectors.availability import expert_availability
from ..selectors.busy import hold_busy_times
from ..signals import booking_changed
from ..video import video_room_create
from .emails import ROLES
from .holds import expire_stale_holds, lock_participants
from .next_free import expert_next_available_refresh_on_commit
from .reminders import reminders_plan
from .video_rooms import video_room_provision_enqueue


def booking_confirm(*, booking: Booking, now: datetime | None = None, credit: tuple[int, int] | None = None) -> Booking:
    """held -> confirmed once its payment succeeded: create the video room, queue both emails.

    Idempotent: a confirmed booking is returned unchanged (no second room, no
    second email), so the payment signal may arrive any number of times. A
    payment can succeed after its hold ran out (a bank's authentication took
    long) or was released: the booking is then confirmed only if a new hold on
    the same time would be accepted now (``_late_confirmation_check``);
    otherwise ``BookingError`` and billing refunds the payment. A cancelled
    booking is never confirmed.

    ``credit`` (used, total): billing books it with a package credit instead of a payment (inside
    its own transaction, holding the credit's lock); the booking shows "<used> of <total> used".
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
            if credit is not None:
                locked.credit_used, locked.credit_total = credit
                locked.save(update_fields=["credit_used", "credit_total", "updated_at"])
            return _confirm(locked, now=now)
    except IntegrityError:
        # The exclusion constraints had the last word on a late confirmation: the time is someone else's.
        raise BookingError(_("This time was booked by someone else in the meantime."), code="time_taken") from None


# Why a late payment's time cannot be booked any more, by the slot engine's refusal code.
_LATE_REFUSALS = {
    "past": ("too_late", gettext_lazy("This session's time has already begun.")),
    "too_soon": ("too_soon", gettext_lazy("This session now starts too soon to be booked.")),
    "too_far": ("not_available", gettext_lazy("The expert no longer offers this time.")),
    "outside_availability": ("not_available", gettext_lazy("The expert no longer offers this time.")),
    "invalid": ("not_available", gettext_lazy("The expert no longer offers this time.")),
    "taken": ("time_taken", gettext_lazy("This time was booked by someone else in the meantime.")),
}


def _late_confirmation_check(booking: Booking, *, now: datetime) -> None:
    """A payment that succeeded after its hold ran out books the time only if a new hold could.

    Rechecked under both participants' locks, exactly as ``booking_hold``
    checks a hold: the expert's profile is still active and their account not
    deactivated, the session type is still offered at the price and length
    that were paid, and the slot engine (``validate_slot``) accepts the start
    against the expert's *current* hours, days off, minimum notice, horizon and
    buffer, and the bookings and live holds around it; the learner has no other
    session then. Raises ``BookingError`` otherwise (billing then refunds).
    """
    if booking.start <= now:
        raise BookingError(str(_LATE_REFUSALS["past"][1]), code="too_late")
    lock_participants(booking.learner_id, booking.expert_id)
    profile = ExpertProfile.objects.select_related("user").filter(user_id=booking.expert_id).first()
    if profile is None or profile.status != ExpertProfile.Status.ACTIVE or not profile.user.is_active:
        raise BookingError(_("This expert is not taking bookings at the moment."), code="not_offered")
    offered = SessionType.objects.filter(pk=booking.session_type_id, is_active=True).first()
    if offered is None or (offered.price_minor, offered.currency, offered.duration_minutes) != (
        booking.amount_minor,
        booking.currency,
        booking.duration_minutes,
    ):
        raise BookingError(_("This session is no longer offered as it was paid for."), code="offer_changed")
    busy = hold_busy_times(
        expert_id=booking.expert_id,
        learner_id=booking.learner_id,
        begin=booking.start - timedelta(days=2),
        end=booking.end + timedelta(days=2),
        now=now,
    )
    try:
        validate_slot(
            start=booking.start,
            availability=expert_availability(profile=profile),
            duration=booking.duration,
            now=now,
            bookings=busy.bookings,
            holds=busy.holds,
            busy=busy.imported,
        )
    except SlotUnavailable as refused:
        code, message = _LATE_REFUSALS[refused.code]
        raise BookingError(str(message), code=code) from None
    if any(item.start < booking.end and item.end > booking.start for item in busy.learner_sessions):
        raise BookingError(str(_LATE_REFUSALS["taken"][1]), code="time_taken")
    if busy.lapsed:
        expire_stale_holds(user_ids=[booking.learner_id, booking.expert_id], now=now)
    expert_next_available_refresh_on_commit(user_ids=[booking.expert_id], taken=(booking.start, booking.end))


def _confirm(locked: Booking, *, now: datetime) -> Booking:
    """held or expired -> confirmed, with its video room; both emails written to the outbox.

    The room is Jitsi's, named without a network round trip: this runs under the
    booking's row lock and must not fail after the payment. An expert on Zoom or
    Google Meet gets that meeting swapped in after the commit, through the outbox
    (``bookings.services.video_rooms``); if the provider never answers, the Jitsi
    room stays.
    """
    room = video_room_create(booking_ref=locked.reference)
    locked.status = Booking.Status.CONFIRMED
    locked.video_url, locked.video_provider, locked.video_meeting_id = room.url, room.provider, ""
    locked.confirmed_at = now
    locked.save(
        update_fields=["status", "video_url", "video_provider", "video_meeting_id", "confirmed_at", "updated_at"]
    )
    video_room_provision_enqueue(booking=locked)
    _emails_enqueue(locked, handler="bookings.tasks.send_booking_confirmation", event="confirmed")
    booking_changed.send(sender=Booking, booking=locked, event="confirmed")
    reminders_plan(booking=locked, now=now)
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
    the rule, fixes the refund the policy gives on the booking
    (``refund_minor``), refunds, and then calls this with ``refunded=True``.
    The rule is rechecked here under the row lock, without the start check
    once the refund was fixed (money given back is not taken back because the
    session began during the refund). After a refund, a booking that is
    already cancelled is returned as it is, so a retry finishes quietly.
    Cancelled states are not slot-holding, so the time is free for others as
    soon as this commits.
    """
    now = now or timezone.now()
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if refunded and locked.status in (Booking.Status.CANCELLED_BY_LEARNER, Booking.Status.CANCELLED_BY_EXPERT):
            return locked
        booking_cancellation_check(booking=locked, by=by, now=now, deadline=not refunded)
        locked.status = Booking.Status.CANCELLED_BY_LEARNER
        locked.cancelled_at = now
        if locked.refund_minor is None:
            locked.refund_minor = 0  # free sessions: nothing was paid, nothing goes back
        locked.save(update_fields=["status", "cancelled_at", "refund_minor", "updated_at"])
        _emails_enqueue(locked, handler="bookings.tasks.send_booking_cancellation", event="cancelled")
        booking_changed.send(sender=Booking, booking=locked, event="cancelled")
        # The freed time may now be the expert's next free time on browse.
        expert_next_available_refresh_on_commit(user_ids=[locked.expert_id])
        return locked


def booking_cancel_by_expert(*, booking: Booking, by, now: datetime | None = None, refunded: bool = False) -> Booking:
    """confirmed -> cancelled by the expert: frees the slot; the learner gets an apology with the expert's
    free times, the expert a confirmation (both with the calendar cancellation).

    Billing refunds the learner in full first (``booking_cancel_by_expert_with_refund``) and then calls
    this with ``refunded=True``; the rule is rechecked under the row lock as for the learner's
    cancellation. The cancellations an expert made are counted from these bookings for staff
    (``bookings.selectors.reports``).
    """
    now = now or timezone.now()
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if refunded and locked.status in (Booking.Status.CANCELLED_BY_LEARNER, Booking.Status.CANCELLED_BY_EXPERT):
            return locked
        booking_expert_cancellation_check(booking=locked, by=by, now=now, deadline=not refunded)
        locked.status = Booking.Status.CANCELLED_BY_EXPERT
        locked.cancelled_at = now
        if locked.refund_minor is None:
            locked.refund_minor = locked.amount_minor
        locked.save(update_fields=["status", "cancelled_at", "refund_minor", "updated_at"])
        _emails_enqueue(locked, handler="bookings.tasks.send_booking_cancellation", event="cancelled")
        booking_changed.send(sender=Booking, booking=locked, event="cancelled")
        expert_next_available_refresh_on_commit(user_ids=[locked.expert_id])
        return locked


def booking_cancel_refunded(*, booking: Booking, now: datetime | None = None) -> Booking:
    """confirmed -> cancelled_refunded: its payment was refunded in full outside the app.

    Staff refunded it in Stripe's dashboard (after a support request, say), so
    the learner must not keep the session as well: the time is freed, both
    participants are emailed with a calendar cancellation, and joining stops.
    Only a confirmed session that has not ended changes; a refund after the
    session (a goodwill gesture) leaves it completed. Idempotent.
    """
    now = now or timezone.now()
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != Booking.Status.CONFIRMED or locked.end <= now:
            return locked
        locked.status = Booking.Status.CANCELLED_REFUNDED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        _emails_enqueue(locked, handler="bookings.tasks.send_booking_cancellation", event="cancelled")
        booking_changed.send(sender=Booking, booking=locked, event="cancelled")
        expert_next_available_refresh_on_commit(user_ids=[locked.expert_id])
        return locked


def booking_mark_disputed(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Record that the learner's bank disputes this booking's payment (once: the first report's time)."""
    now = now or timezone.now()
    Booking.objects.filter(pk=booking.pk, disputed_at__isnull=True).update(disputed_at=now, updated_at=now)
    booking.refresh_from_db(fields=["disputed_at"])
    return booking


def booking_complete_past(*, now: datetime | None = None) -> int:
    """Mark confirmed sessions whose end has passed as completed (the periodic job). Returns how many.

    Only ``confirmed`` moves: held, cancelled and no-show bookings keep their
    status, and so does a session someone reported a problem with (its decision
    sets its status: ``bookings.services.session_reports``). Idempotent, and one
    indexed UPDATE whatever the backlog.
    """
    now = now or timezone.now()
    reported = SessionReport.objects.filter(booking=OuterRef("pk"))
    return (
        Booking.objects.filter(status=Booking.Status.CONFIRMED, end__lte=now)
        .exclude(Exists(reported))
        .update(status=Booking.Status.COMPLETED, updated_at=now)
    )
