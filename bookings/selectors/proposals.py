"""Reads about an expert's proposals to move a session."""

from __future__ import annotations

from ..models import Booking, MoveProposal


def open_move_proposal(*, booking: Booking) -> MoveProposal | None:
    """The proposal the learner has not answered yet, if any (one query)."""
    return MoveProposal.objects.filter(booking=booking, status=MoveProposal.Status.OPEN).first()


def booking_expert_asked_to_move(*, booking: Booking) -> bool:
    """Whether the expert proposed another time that is still open or was declined: the learner may then
    cancel for a full refund whatever the policy says (one query)."""
    return MoveProposal.objects.filter(
        booking=booking, status__in=[MoveProposal.Status.OPEN, MoveProposal.Status.DECLINED]
    ).exists()
