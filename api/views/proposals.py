"""The expert's side of moving and cancelling a session, and the learner's answer to a proposed time.

Thin interfaces over the services the site's screens call
(``booking_move_propose`` / ``booking_move_accept`` / ``booking_move_decline``
and ``booking_cancel_by_expert_with_refund``): the rules, locks, rechecks,
refunds and emails live there. Everyone but the booking's learner (for the
answer) or its expert (for proposing and cancelling) gets the unknown id's 404.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.services.cancellation import booking_cancel_by_expert_with_refund
from bookings.access import participant_booking
from bookings.errors import BookingError
from bookings.policy import booking_expert_cancellation_check
from bookings.selectors.proposals import open_move_proposal
from bookings.services import booking_move_accept, booking_move_decline, booking_move_propose

from ..idempotency import idempotent
from ..permissions import scoped
from ..schema import problems
from ..serializers.bookings import (
    BookingSerializer,
    ExpertCancellationSerializer,
    MoveProposalSerializer,
    ProposalAnswerSerializer,
    ProposalStateSerializer,
    RescheduleRequestSerializer,
)
from ..serializers.public import money
from .learner import CANCEL_PROBLEMS, IDEMPOTENCY_PARAMETER, IDEMPOTENCY_PROBLEMS, refusal_of

# Why a session cannot be moved now is one thing to a client: ``not_movable`` (the message says which).
RULE_CODES = frozenset({"not_confirmed", "in_flight", "already_cancelled"})


def _not_movable(refused: BookingError) -> BookingError:
    return BookingError(refused.message, code="not_movable") if refused.code in RULE_CODES else refused


class BookingProposal(APIView):
    """``bookings/<id>/proposal/``: the time the expert proposed, and the learner's answer."""

    permission_classes = scoped("read", post="book")

    @extend_schema(responses={200: ProposalStateSerializer, **problems()}, operation_id="bookings_proposal_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """The booking and the proposal awaiting the learner (null when there is none); both participants."""
        booking = participant_booking(request, pk)
        return Response(
            ProposalStateSerializer({"booking": booking, "proposal": open_move_proposal(booking=booking)}).data
        )

    @extend_schema(
        request=ProposalAnswerSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            200: ProposalStateSerializer,
            **problems(
                (409, "proposal_closed", "This proposal is no longer open."),
                (409, "proposal_lapsed", "That time is no longer free, so the session stays where it was."),
                (409, "not_movable", "Only a confirmed, upcoming session can be moved."),
                *IDEMPOTENCY_PROBLEMS,
            ),
        },
        examples=[OpenApiExample("accept", {"proposal": 41, "answer": "accept"}, request_only=True)],
        operation_id="bookings_proposal_create",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        """Accept (the session moves to the proposed time, rechecked as free) or decline (nothing moves)."""
        booking = participant_booking(request, pk, role="learner")
        body = ProposalAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = booking_move_accept if body.validated_data["answer"] == "accept" else booking_move_decline
        try:
            answer(booking=booking, by=request.user, proposal_id=body.validated_data["proposal"])
        except BookingError as refused:
            raise _not_movable(refused) from None
        booking = participant_booking(request, pk, role="learner")
        return Response(
            ProposalStateSerializer({"booking": booking, "proposal": open_move_proposal(booking=booking)}).data
        )


class ExpertSessionPropose(APIView):
    """``expert/sessions/<id>/propose/``: the expert proposes another free time of theirs."""

    permission_classes = scoped("expert")

    @extend_schema(
        request=RescheduleRequestSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: MoveProposalSerializer,
            **problems(
                (409, "slot_taken", "This slot was just taken. Please choose another time."),
                (409, "learner_busy", "The learner already has a session at this time."),
                (409, "not_movable", "Only a confirmed, upcoming session can be moved."),
                (422, "same_time", "This session is already at that time."),
                *IDEMPOTENCY_PROBLEMS,
            ),
        },
        examples=[OpenApiExample("propose", {"start": "2030-01-07T10:00:00Z"}, request_only=True)],
        operation_id="expert_sessions_propose_create",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        """Propose a start from your own `experts/<slug>/slots/` (same length); the learner is emailed to
        answer. A newer proposal replaces an open one. Nothing is held until the learner accepts."""
        booking = participant_booking(request, pk, role="expert")
        body = RescheduleRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            proposal = booking_move_propose(booking=booking, by=request.user, start=body.validated_data["start"])
        except BookingError as refused:
            raise _not_movable(refused) from None
        return Response(MoveProposalSerializer(proposal).data, status=201)


class ExpertSessionCancel(APIView):
    """``expert/sessions/<id>/cancel/``: the expert cancels; the learner always gets the whole payment back."""

    permission_classes = scoped("expert")

    @extend_schema(
        responses={200: ExpertCancellationSerializer, **problems()}, operation_id="expert_sessions_cancel_retrieve"
    )
    def get(self, request: Request, pk: int) -> Response:
        """Whether you may cancel now (a confirmed session that has not started), and the refund: all of it."""
        booking = participant_booking(request, pk, role="expert")
        refusal, refusal_code = refusal_of(
            booking_expert_cancellation_check, booking=booking, by=request.user, now=timezone.now()
        )
        body = {
            "booking": booking,
            "cancellable": refusal is None,
            "refusal": refusal,
            "refusal_code": refusal_code,
            "refund": money(booking.amount_minor if refusal is None else 0, booking.currency),
        }
        return Response(ExpertCancellationSerializer(body).data)

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: BookingSerializer, **problems(*CANCEL_PROBLEMS)},
        operation_id="expert_sessions_cancel_create",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        """Cancel: the learner is refunded in full and sent an apology with your free times."""
        booking = participant_booking(request, pk, role="expert")
        booking = booking_cancel_by_expert_with_refund(booking=booking, by=request.user)
        return Response(BookingSerializer(participant_booking(request, booking.pk)).data)
