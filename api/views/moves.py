"""The learner moves a booking to another free time of the same expert and length.

A thin interface over ``bookings.services.booking_reschedule`` (the site's
"Move" screen calls the same service): the rule, the locks, the slot engine's
recheck and the updated invites all live there. Refusals of the move rule keep
their message and answer one stable code, ``not_movable``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.access import participant_booking
from bookings.errors import BookingError
from bookings.selectors.sessions import learner_bookings
from bookings.services import booking_reschedule

from ..idempotency import idempotent
from ..permissions import scoped
from ..schema import problems
from ..serializers.bookings import BookingSerializer, RescheduleRequestSerializer
from .learner import IDEMPOTENCY_PARAMETER, IDEMPOTENCY_PROBLEMS

# The move rule's refusals (not confirmed, too many moves, past the full-refund window, a
# cancellation under way) are one thing to a client: this booking cannot be moved now.
RULE_CODES = frozenset({"not_confirmed", "too_many_moves", "too_late", "already_cancelled", "in_flight"})


class BookingReschedule(APIView):
    permission_classes = scoped("book")

    @extend_schema(
        request=RescheduleRequestSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            200: BookingSerializer,
            **problems(
                (409, "slot_taken", "This slot was just taken. Please choose another time."),
                (409, "learner_busy", "You already have a session at this time."),
                (409, "not_movable", "This session can no longer be moved."),
                (422, "same_time", "This session is already at that time."),
                (422, "invalid", "Please choose a valid time."),
                *IDEMPOTENCY_PROBLEMS,
            ),
        },
        examples=[OpenApiExample("move", {"start": "2030-01-07T10:00:00Z"}, request_only=True)],
        operation_id="bookings_reschedule_create",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        """Move the session to a start from `experts/<slug>/slots/` (same length), or change nothing."""
        booking = participant_booking(request, pk, role="learner")
        body = RescheduleRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            booking_reschedule(booking=booking, by=request.user, start=body.validated_data["start"])
        except BookingError as refused:
            if refused.code in RULE_CODES:
                raise BookingError(refused.message, code="not_movable") from None
            raise
        return Response(BookingSerializer(learner_bookings(learner=request.user).get(pk=booking.pk)).data)
