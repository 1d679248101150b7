"""The learner's API: who am I, my bookings, hold a time, pay for it, cancel it.

Each endpoint calls the same service as the site's page for the same action
(``booking_hold``, ``booking_pay`` / ``booking_payment_intent``,
``booking_cancel_with_refund``) and checks ownership with the same
``participant_booking``: anyone else gets the 404 an unknown id gets.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.services.cancellation import booking_cancel_with_refund
from billing.services.checkout import booking_pay, booking_payment_intent, booking_payment_return
from bookings.access import participant_booking
from bookings.errors import BookingError
from bookings.models import Booking
from bookings.policy import booking_cancellation_check, booking_refund_quote
from bookings.selectors.proposals import booking_expert_asked_to_move
from bookings.selectors.sessions import learner_bookings
from bookings.services import booking_hold
from core.errors import ApplicationError
from marketplace.models import SessionType

from ..idempotency import idempotent
from ..permissions import scoped
from ..schema import problems
from ..serializers.accounts import MeSerializer
from ..serializers.bookings import (
    BookingSerializer,
    CancellationSerializer,
    HoldRequestSerializer,
    PaymentSerializer,
    PayRequestSerializer,
)
from ..serializers.public import money

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    description="Any unique string up to 255 characters; a retry with the same key gets the first answer.",
)
IDEMPOTENCY_PROBLEMS = [
    (400, "idempotency_key_invalid", "An Idempotency-Key is 1 to 255 printable ASCII characters."),
    (409, "idempotency_in_progress", "A request with this Idempotency-Key is still running."),
    (422, "idempotency_key_reused", "This Idempotency-Key was used with another request."),
]
STATUS_PARAMETER = OpenApiParameter("status", str, enum=list(Booking.Status.values))
# What a POST that cancels a paid session (the learner's or the expert's) can answer besides success.
CANCEL_PROBLEMS = (
    (409, "not_cancellable", "Only a confirmed, upcoming session can be cancelled."),
    (502, "payment_service_unavailable", "The refund could not be made right now."),
    *IDEMPOTENCY_PROBLEMS,
)


def refusal_of(check, **arguments) -> tuple[str | None, str | None]:
    """Run a policy check that raises ``BookingError``; its message and code, or ``(None, None)`` if it passes.

    For the GETs that say whether an action is possible now (and why not) without doing it."""
    try:
        check(**arguments)
    except BookingError as refused:
        return refused.message, refused.code
    return None, None


def _status_filter(request: Request) -> str | None:
    status = request.query_params.get("status")
    if status is not None and status not in Booking.Status.values:
        raise ValidationError({"status": [_("Not a booking status.")]})
    return status


class Me(APIView):
    permission_classes = scoped("read")

    @extend_schema(responses={200: MeSerializer, **problems()}, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        """The signed-in user (or the token's owner)."""
        return Response(MeSerializer(request.user).data)


class BookingList(ListAPIView):
    """GET: the learner's bookings, newest start first. POST: hold a free time (then pay it)."""

    serializer_class = BookingSerializer
    permission_classes = scoped("read", post="book")

    def get_queryset(self):
        return learner_bookings(learner=self.request.user, status=_status_filter(self.request))

    @extend_schema(parameters=[STATUS_PARAMETER], responses={200: BookingSerializer(many=True), **problems()})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=HoldRequestSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: BookingSerializer,
            **problems(
                (404, "not_found", "This session is not offered."),
                (409, "slot_taken", "This slot was just taken. Please choose another time."),
                (409, "learner_busy", "You already have a session at this time."),
                (422, "outside_availability", "The expert is not available at this time."),
                (422, "too_soon", "This time is too soon to book. Please choose a later slot."),
                (429, "limit_reached", "You hold too many unpaid times."),
                (503, "busy", "Someone else is changing this right now."),
                *IDEMPOTENCY_PROBLEMS,
            ),
        },
        examples=[
            OpenApiExample(
                "hold", {"expert": "ada-lovelace", "length": 60, "start": "2030-01-07T08:00:00Z"}, request_only=True
            )
        ],
        operation_id="bookings_create",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        """Hold a start from `experts/<slug>/slots/` while you pay; the price is the expert's, fixed now."""
        body = HoldRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        session_type = (
            SessionType.objects.select_related("profile")
            .filter(profile__pages__slug=data["expert"], profile__pages__live=True, duration_minutes=data["length"])
            .first()
        )
        if session_type is None:
            raise NotFound(_("This session is not offered. Please choose another one."))
        booking = booking_hold(learner=request.user, session_type=session_type, start=data["start"])
        # Answered from what the hold already read (no second read of the booking and its expert's pages):
        # the session type it returns comes with its profile and the expert, and the page is the one asked for.
        booking.learner = request.user
        booking.expert = booking.session_type.profile.user
        return Response(BookingSerializer(booking, context={"expert_slug": data["expert"]}).data, status=201)


class BookingDetail(APIView):
    permission_classes = scoped("read")

    @extend_schema(responses={200: BookingSerializer, **problems()}, operation_id="bookings_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """One booking, for its learner or its expert."""
        return Response(BookingSerializer(participant_booking(request, pk)).data)


def _payment_body(booking: Booking, payment, client_secret: str | None = None) -> dict:
    booking.refresh_from_db()
    return PaymentSerializer(
        {
            "booking": booking,
            "payment_status": payment.status if payment is not None else None,
            "client_secret": client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY if client_secret else None,
        }
    ).data


class BookingPay(APIView):
    permission_classes = scoped("book")

    @extend_schema(
        responses={200: PaymentSerializer, **problems((409, "hold_expired", "Your hold on this time has expired."))},
        operation_id="bookings_pay_retrieve",
    )
    def get(self, request: Request, pk: int) -> Response:
        """Re-read the booking's payment from Stripe (after the app confirmed it) and confirm the booking if paid."""
        booking = participant_booking(request, pk, role="learner")
        payment = booking_payment_return(booking=booking)
        return Response(_payment_body(booking, payment))

    @extend_schema(
        request=PayRequestSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            200: PaymentSerializer,
            **problems(
                (409, "hold_expired", "Your hold on this time has expired and nothing was charged."),
                (409, "already_paid", "This booking is paid."),
                (402, "card_declined", "Your card was declined."),
                (422, "bad_method", "Please choose a payment method."),
                (429, "limit_reached", "Too many declined payments."),
                (502, "payment_service_unavailable", "The payment service could not start this payment."),
                *IDEMPOTENCY_PROBLEMS,
            ),
        },
        operation_id="bookings_pay_create",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        """Pay a held booking at its fixed price.

        Live mode: answers the PaymentIntent's `client_secret` for Stripe's
        Payment Element or mobile SDK; confirm it there, then GET this endpoint.
        Test mode: send `test_card` and the payment is made on the server.
        """
        booking = participant_booking(request, pk, role="learner")
        body = PayRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if booking.status == Booking.Status.CONFIRMED:
            raise BookingError(_("This booking is paid."), code="already_paid")
        if settings.STRIPE_LIVE_MODE:
            browser = booking_payment_intent(booking=booking)
            return Response(_payment_body(booking, browser.payment, browser.client_secret))
        if "test_card" not in body.validated_data:
            raise ValidationError({"test_card": [_("Test mode pays with a test card: choose one.")]})
        payment = booking_pay(
            booking=booking,
            test_card=body.validated_data["test_card"],
            goals_note=body.validated_data.get("goals_note", booking.goals_note),
        )
        return Response(_payment_body(booking, payment))


class BookingCancel(APIView):
    permission_classes = scoped("book")

    @extend_schema(responses={200: CancellationSerializer, **problems()}, operation_id="bookings_cancel_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """Whether the learner may cancel now, and the refund it would give under the booking's policy."""
        booking = participant_booking(request, pk, role="learner")
        now = timezone.now()
        refusal, refusal_code = refusal_of(booking_cancellation_check, booking=booking, by=request.user, now=now)
        quote = booking_refund_quote(
            booking=booking, now=now, expert_asked_to_move=booking_expert_asked_to_move(booking=booking)
        )
        body = {
            "booking": booking,
            "cancellable": refusal is None,
            "refusal": refusal,
            "refusal_code": refusal_code,
            "refund": money(quote.amount.amount if refusal is None else 0, booking.currency),
            "refund_percent": quote.percent if refusal is None else 0,
            "refund_changes_at": quote.changes_at if refusal is None else None,
        }
        return Response(CancellationSerializer(body).data)

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: BookingSerializer, **problems(*CANCEL_PROBLEMS)},
        operation_id="bookings_cancel_create",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        """Cancel and refund what the booking's policy gives now (the GET's figure), or change nothing."""
        booking = participant_booking(request, pk, role="learner")
        booking = booking_cancel_with_refund(booking=booking, by=request.user)
        return Response(BookingSerializer(participant_booking(request, booking.pk)).data)


__all__ = ["ApplicationError", "serializers"]
