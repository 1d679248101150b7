"""The expert proposes a new time; the learner accepts (the session moves) or declines (nothing changes).

A proposal holds no time. Accepting runs the learner's move path
(``moving_transaction``, ``new_time_check``, ``move_apply``): the same locks,
the same recheck with the booking's own time left out, one UPDATE, updated
invites to both. It does not count against the learner's moves and is not
bound to the refund window: the expert asked for it. A time taken meanwhile is
refused and the proposal lapses; the booking stays as it was.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.outbox import outbox_enqueue

from ..errors import BookingError
from ..models import Booking, MoveProposal
from ..policy import booking_move_proposal_check
from .reschedule import move_apply, moving_transaction, new_time_check, valid_instant


def booking_move_propose(*, booking: Booking, by, start: datetime, now: datetime | None = None) -> MoveProposal:
    """The expert proposes ``start`` (same length), rechecked as free now; a newer proposal withdraws the
    open one. The learner is emailed a link to answer."""
    now = now or timezone.now()
    start = valid_instant(start)
    with moving_transaction(booking) as locked:
        booking_move_proposal_check(booking=locked, by=by, now=now)
        slot = new_time_check(locked, start=start, now=now)
        MoveProposal.objects.filter(booking=locked, status=MoveProposal.Status.OPEN).update(
            status=MoveProposal.Status.WITHDRAWN, decided_at=now
        )
        proposal = MoveProposal.objects.create(booking=locked, start=slot.start, end=slot.end)
        outbox_enqueue(
            app_label="bookings",
            handler="bookings.tasks.send_move_proposal_email",
            payload={"proposal_id": proposal.pk, "event": "proposed"},
            dedupe_key=f"proposal-{proposal.pk}-proposed",
        )
        return proposal


def _open_proposal(locked: Booking, proposal_id: int) -> MoveProposal:
    proposal = MoveProposal.objects.select_for_update().filter(pk=proposal_id, booking=locked).first()
    if proposal is None or proposal.status != MoveProposal.Status.OPEN:
        raise BookingError(_("This proposal is no longer open."), code="proposal_closed")
    return proposal


def booking_move_accept(*, booking: Booking, by, proposal_id: int, now: datetime | None = None) -> Booking:
    """The learner accepts: the session moves to the proposed time (rechecked) or, if that time was taken
    or the session can no longer move, the proposal lapses and nothing else changes."""
    now = now or timezone.now()
    if by is None or booking.learner_id != by.pk:
        raise BookingError(_("Only the learner who booked this session can answer."), code="not_learner")
    with moving_transaction(booking) as locked:
        proposal = _open_proposal(locked, proposal_id)
        if locked.status != Booking.Status.CONFIRMED or locked.refund_minor is not None or locked.start <= now:
            raise BookingError(_("Only a confirmed, upcoming session can be moved."), code="not_confirmed")
        try:
            slot = new_time_check(locked, start=proposal.start, now=now)
        except BookingError:
            # Committed with the transaction (the refusal is raised after it): the proposal is over.
            MoveProposal.objects.filter(pk=proposal.pk).update(status=MoveProposal.Status.LAPSED, decided_at=now)
            slot = None
        if slot is not None:
            MoveProposal.objects.filter(pk=proposal.pk).update(status=MoveProposal.Status.ACCEPTED, decided_at=now)
            return move_apply(locked, slot=slot, now=now, counted=False)
    raise BookingError(
        _("That time is no longer free, so the session stays where it was. Your session is still booked."),
        code="proposal_lapsed",
    )


def booking_move_decline(*, booking: Booking, by, proposal_id: int, now: datetime | None = None) -> MoveProposal:
    """The learner declines: the session stays as it is; the expert is told."""
    now = now or timezone.now()
    if by is None or booking.learner_id != by.pk:
        raise BookingError(_("Only the learner who booked this session can answer."), code="not_learner")
    with moving_transaction(booking) as locked:
        proposal = _open_proposal(locked, proposal_id)
        proposal.status, proposal.decided_at = MoveProposal.Status.DECLINED, now
        proposal.save(update_fields=["status", "decided_at"])
        outbox_enqueue(
            app_label="bookings",
            handler="bookings.tasks.send_move_proposal_email",
            payload={"proposal_id": proposal.pk, "event": "declined"},
            dedupe_key=f"proposal-{proposal.pk}-declined",
        )
        return proposal
