"""What staff do to a session from the operations console: cancel it (the money is billing's), move it,
mark a no-show. Each needs ``bookings.change_booking`` and a reason, and each is written to Wagtail's log
in the transaction of its change, so the audit cannot miss a change nor show one that rolled back.

They go through the same paths the product uses: a move is the learner's move (participants' locks,
the slot engine's ``validate_slot``, the outbox's invites) without counting against the learner's limit;
a no-show is a session decision (``SessionDecision`` with ``absent`` set), so its refund follows the
reported sessions' road through billing's outbox; a cancellation ends in ``cancelled_refunded``
("Cancelled and refunded by TapTime") once billing has refunded the whole price
(``billing.services.staff_cancellation``).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.locking import locked_transaction

from .. import no_show_rules as rules
from ..errors import BookingError
from ..models import Booking, SessionDecision, SessionReport
from ..signals import booking_changed
from .lifecycle import _emails_enqueue
from .next_free import expert_next_available_refresh_on_commit
from .reschedule import move_apply, moving_transaction, new_time_check, valid_instant
from .session_reports import _decision_record

MANAGE_PERMISSION = "bookings.change_booking"
VIEW_PERMISSION = "bookings.view_booking"
LOG_CANCEL = "taptime.booking.staff_cancel"
LOG_MOVE = "taptime.booking.staff_move"
LOG_NO_SHOW = "taptime.booking.staff_no_show"
REASON_MAX_LENGTH = 2000
STAFF = "staff"  # ``Booking.cancelling_by`` while staff cancel: only staff may finish that cancellation


def staff_reason_clean(*, by, reason: str | None) -> str:
    """The reason every staff action needs, stripped; refuses a user without the permission first."""
    if not getattr(by, "is_authenticated", False) or not by.has_perm(MANAGE_PERMISSION):
        raise BookingError(_("You may not change sessions."), code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(_("Please give the reason; it is kept in the audit log."), code="no_reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise BookingError(
            _("Please keep the reason under %(n)d characters.") % {"n": REASON_MAX_LENGTH}, code="reason_too_long"
        )
    return reason


def booking_cancel_by_staff(*, booking: Booking, by, reason: str, now: datetime | None = None) -> Booking:
    """confirmed -> cancelled_refunded, after billing refunded what it fixed on the booking: the time is
    freed, both participants are emailed, and the cancellation is logged with its reason and refund.

    Called by ``billing.services.staff_cancellation.booking_cancel_by_staff_with_refund`` once the
    refund went through; an already cancelled booking is returned as it is, so a retry finishes quietly.
    """
    now = now or timezone.now()
    reason = staff_reason_clean(by=by, reason=reason)
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status == Booking.Status.CANCELLED_REFUNDED:
            return locked
        if locked.status != Booking.Status.CONFIRMED or locked.cancelling_by != STAFF:
            raise BookingError(_("Only a confirmed session staff began to cancel can be cancelled."), code="state")
        locked.status = Booking.Status.CANCELLED_REFUNDED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        _emails_enqueue(locked, handler="bookings.tasks.send_booking_cancellation", event="cancelled")
        booking_changed.send(sender=Booking, booking=locked, event="cancelled")
        expert_next_available_refresh_on_commit(user_ids=[locked.expert_id])
        log(
            instance=locked,
            action=LOG_CANCEL,
            user=by,
            data={"reason": reason, "refund_minor": int(locked.refund_minor or 0), "currency": locked.currency},
        )
        return locked


def booking_move_by_staff(
    *, booking: Booking, by, start: datetime, reason: str, now: datetime | None = None
) -> Booking:
    """Move a confirmed session that has not begun to another free time of its expert (same length).

    The learner's own move with the rule swapped: no refund window and no move limit (staff move
    when the expert asks through support, say), and the move does not count against the learner.
    Raises ``BookingError`` (``SlotTaken`` when the time is not free) and changes nothing then.
    """
    now = now or timezone.now()
    reason = staff_reason_clean(by=by, reason=reason)
    start = valid_instant(start)
    with moving_transaction(booking) as locked:
        if locked.status != Booking.Status.CONFIRMED or locked.start <= now or locked.refund_minor is not None:
            raise BookingError(
                _("Only a confirmed session that has not begun and is not being cancelled can be moved."),
                code="state",
            )
        previous = locked.start
        slot = new_time_check(locked, start=start, now=now)
        moved = move_apply(locked, slot=slot, now=now, counted=False)
        log(
            instance=moved,
            action=LOG_MOVE,
            user=by,
            data={"reason": reason, "from": previous.isoformat(), "to": moved.start.isoformat()},
        )
        return moved


def booking_no_show_mark(
    *, booking: Booking, by, absent: str, reason: str, now: datetime | None = None
) -> SessionDecision:
    """Staff record who did not come to a session that ended: the expert (the learner gets everything
    back, through billing) or the learner (the expert is paid). Recorded as the session's one decision,
    so it cannot be decided twice and the reported sessions' queue sees it as decided."""
    now = now or timezone.now()
    reason = staff_reason_clean(by=by, reason=reason)
    if absent not in (SessionReport.Role.EXPERT, SessionReport.Role.LEARNER):
        raise BookingError(_("Please choose who did not come."), code="bad_absent")
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status not in rules.REPORTABLE or locked.end > now:
            raise BookingError(_("A no-show can be recorded once a confirmed session has ended."), code="state")
        if SessionDecision.objects.filter(booking=locked).exists():
            raise BookingError(_("This session has already been decided."), code="decided")
        expert_absent = absent == SessionReport.Role.EXPERT
        decision = _decision_record(
            locked,
            outcome=SessionDecision.Outcome.REFUND_LEARNER if expert_absent else SessionDecision.Outcome.PAY_EXPERT,
            percent=100 if expert_absent else 0,
            reason=reason,
            by=by,
            now=now,
            absent=absent,
        )
        log(instance=locked, action=LOG_NO_SHOW, user=by, data={"reason": reason, "absent": absent})
        return decision
