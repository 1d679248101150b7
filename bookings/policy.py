"""The rules a booking's participants act under. Pure: no queries, no clock of its own.

Screens (to show or hide a button), selectors (for each row of a dashboard) and
services (rechecked under the row lock) all read the same functions, so the
button and the action can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from core.money import Money, stripe_floor

from .errors import BookingError
from .models import Booking, RefundTerms


@dataclass(frozen=True)
class RefundQuote:
    """What cancelling now gives back: ``percent`` of the price, ``amount`` exactly, and until when.

    ``changes_at`` is the moment the refund drops to the next step (None once nothing is refunded any
    more), so a screen can say "full refund until Monday 09:00".
    """

    percent: int
    amount: Money
    changes_at: datetime | None
    next_percent: int

    @property
    def is_full(self) -> bool:
        return self.percent == 100


def booking_refund_terms(booking: Booking) -> RefundTerms:
    """The terms the booking was bought under (its snapshot)."""
    return booking.refund_terms


def booking_refund_quote(*, booking: Booking, now: datetime, expert_asked_to_move: bool = False) -> RefundQuote:
    """The refund a learner cancelling at ``now`` gets under the booking's snapshot of its policy.

    ``expert_asked_to_move``: the expert proposed another time (open or declined), so everything
    comes back. Rounding: ``floor(price × percent / 100)`` in minor units; a fraction of a cent stays with the
    payment (the expert's share and the commission), and 100 % is always the whole price.
    """
    terms = booking_refund_terms(booking)
    if expert_asked_to_move and booking.refund_minor is None:
        # The expert asked to move it (bookings.selectors.proposals): never the learner's loss.
        return RefundQuote(100, Money(int(booking.amount_minor), booking.currency), None, 100)
    full_until = booking.start - timedelta(hours=terms.full_refund_hours)
    partial_until = booking.start - timedelta(hours=terms.partial_refund_hours)
    # "Up to 24 hours before" includes the 24th hour's last instant, as the old rule did.
    if now <= full_until:
        percent, changes_at = 100, full_until
        has_partial = terms.partial_refund_percent > 0 and full_until < partial_until
        next_percent = terms.partial_refund_percent if has_partial else 0
    elif terms.partial_refund_percent and now <= partial_until:
        percent, changes_at, next_percent = terms.partial_refund_percent, partial_until, 0
    else:
        percent, changes_at, next_percent = 0, None, 0
    if booking.refund_minor is not None:
        # A cancellation began and fixed its refund; the clock no longer changes it.
        fixed = int(booking.refund_minor)
        percent = 100 if fixed == booking.amount_minor else (fixed * 100 // booking.amount_minor if fixed else 0)
        return RefundQuote(percent, Money(fixed, booking.currency), None, percent)
    # Three-decimal currencies (KWD) are floored to 10 fils more: Stripe refunds only whole hundredths.
    amount = (
        booking.amount_minor
        if percent == 100
        else stripe_floor(booking.amount_minor * percent // 100, booking.currency)
    )
    return RefundQuote(percent, Money(int(amount), booking.currency), changes_at, next_percent)


def booking_cancellation_check(*, booking: Booking, by, now: datetime, deadline: bool = True) -> None:
    """Raise ``BookingError`` unless ``by`` may cancel ``booking`` now.

    The booking's learner, a confirmed session that has not started. What it
    refunds is ``booking_refund_quote``'s answer, which may be nothing.
    ``deadline=False`` skips the start check, for finishing a cancellation
    whose refund was fixed (and possibly paid) before the start: money given
    back is not taken back because the clock moved on in between.
    """
    if by is None or booking.learner_id != by.pk:
        raise BookingError(_("Only the learner who booked this session can cancel it."), code="not_learner")
    if booking.status == Booking.Status.CANCELLED_BY_LEARNER:
        raise BookingError(_("This session is already cancelled."), code="already_cancelled")
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only a confirmed, upcoming session can be cancelled."), code="not_confirmed")
    if deadline and booking.start <= now:
        raise BookingError(_("This session has already started, so it can no longer be cancelled."), code="started")


def booking_is_cancellable(*, booking: Booking, by, now: datetime) -> bool:
    """``booking_cancellation_check`` as a yes/no, for screens that only show or hide the button."""
    try:
        booking_cancellation_check(booking=booking, by=by, now=now)
    except BookingError:
        return False
    return True


def booking_expert_cancellation_check(*, booking: Booking, by, now: datetime, deadline: bool = True) -> None:
    """Raise ``BookingError`` unless ``by`` may cancel ``booking`` as its expert now (always a full refund).

    The booking's expert, a confirmed session that has not started; ``deadline=False`` as for the learner.
    """
    if by is None or booking.expert_id != by.pk:
        raise BookingError(_("Only the expert of this session can cancel it here."), code="not_expert")
    if booking.status in (Booking.Status.CANCELLED_BY_EXPERT, Booking.Status.CANCELLED_BY_LEARNER):
        raise BookingError(_("This session is already cancelled."), code="already_cancelled")
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only a confirmed, upcoming session can be cancelled."), code="not_confirmed")
    if deadline and booking.start <= now:
        raise BookingError(_("This session has already started, so it can no longer be cancelled."), code="started")


def booking_is_cancellable_by_expert(*, booking: Booking, by, now: datetime) -> bool:
    try:
        booking_expert_cancellation_check(booking=booking, by=by, now=now)
    except BookingError:
        return False
    return True


def booking_reschedule_check(*, booking: Booking, by, now: datetime) -> None:
    """Raise ``BookingError`` unless ``by`` may move ``booking`` to another time now.

    The booking's learner, a confirmed session with no cancellation under way, moved fewer than
    ``BOOKING_MAX_RESCHEDULES`` times, and only while cancelling would still refund it in full
    (the policy's full-refund window): otherwise moving it later and cancelling then would get
    round the refund policy.
    """
    if by is None or booking.learner_id != by.pk:
        raise BookingError(_("Only the learner who booked this session can move it."), code="not_learner")
    if booking.status != Booking.Status.CONFIRMED or booking.refund_minor is not None:
        raise BookingError(_("Only a confirmed, upcoming session can be moved."), code="not_confirmed")
    limit = settings.BOOKING_MAX_RESCHEDULES
    if booking.reschedule_count >= limit:
        raise BookingError(
            _("This session has already been moved %(n)d times, which is as often as a session can be moved.")
            % {"n": booking.reschedule_count},
            code="too_many_moves",
        )
    if now > booking.start - timedelta(hours=booking.full_refund_hours):
        raise BookingError(
            _(
                "A session can be moved up to %(hours)d hours before it starts, while cancelling it would "
                "still be refunded in full. This one starts sooner."
            )
            % {"hours": booking.full_refund_hours},
            code="too_late",
        )


def booking_is_reschedulable(*, booking: Booking, by, now: datetime) -> bool:
    try:
        booking_reschedule_check(booking=booking, by=by, now=now)
    except BookingError:
        return False
    return True


def booking_move_proposal_check(*, booking: Booking, by, now: datetime) -> None:
    """Raise ``BookingError`` unless ``by`` may propose a new time for ``booking``: its expert, a confirmed
    session that has not started, with no cancellation under way."""
    if by is None or booking.expert_id != by.pk:
        raise BookingError(_("Only the expert of this session can propose another time."), code="not_expert")
    if booking.status != Booking.Status.CONFIRMED or booking.refund_minor is not None or booking.start <= now:
        raise BookingError(_("Only a confirmed, upcoming session can be moved."), code="not_confirmed")
