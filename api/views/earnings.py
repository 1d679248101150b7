"""The expert's earnings and withdrawals: thin over billing's selectors and ``withdrawal_request``.

Everything is the caller's own (the queries start from ``request.user``), so no argument can name
another expert's money.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.selectors import MOVEMENT_TYPES, expert_balances, expert_movements, expert_withdrawals
from billing.services.withdrawals import withdrawal_request

from ..idempotency import idempotent
from ..pagination import BoundedCursorPagination
from ..permissions import scoped
from ..schema import problems
from ..serializers.earnings import (
    BalanceSerializer,
    MovementSerializer,
    WithdrawalRequestSerializer,
    WithdrawalSerializer,
)
from .learner import IDEMPOTENCY_PARAMETER, IDEMPOTENCY_PROBLEMS

EXPERT = scoped("expert", expert=True)


class CreatedCursorPagination(BoundedCursorPagination):
    """Newest first by creation time; ``page_size`` up to ``MAX_PAGE_SIZE``; ties broken by DRF's offset."""

    ordering = ("-created_at", "-pk")
    page_size = 20


class ExpertEarnings(APIView):
    """Your balances per currency (from the ledger) and every movement, newest first.

    An ``APIView`` paginating by hand, so the schema shows the page with its ``balances`` as it is
    (a list view would be wrapped in a second page by the schema generator)."""

    permission_classes = EXPERT

    @extend_schema(
        parameters=[
            OpenApiParameter("type", str, many=True, enum=[*MOVEMENT_TYPES]),
            OpenApiParameter("currency", str),
            OpenApiParameter("cursor", str),
            OpenApiParameter("page_size", int),
        ],
        responses={
            200: inline_serializer(
                "EarningsPage",
                {
                    "balances": BalanceSerializer(many=True),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": MovementSerializer(many=True),
                },
            ),
            **problems(),
        },
    )
    def get(self, request: Request) -> Response:
        wanted = [name for name in request.query_params.getlist("type") if name in MOVEMENT_TYPES]
        currency = request.query_params.get("currency", "")
        rows = expert_movements(expert=request.user, types=wanted, currency=currency if len(currency) == 3 else "")
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return Response(
            {
                "balances": BalanceSerializer(expert_balances(expert=request.user), many=True).data,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": MovementSerializer(page, many=True).data,
            }
        )


class ExpertWithdrawals(ListAPIView):
    """Your withdrawals, newest first; POST asks for one."""

    serializer_class = WithdrawalSerializer
    permission_classes = EXPERT
    pagination_class = CreatedCursorPagination

    def get_queryset(self):
        return expert_withdrawals(expert=self.request.user)

    @extend_schema(responses={200: WithdrawalSerializer(many=True), **problems()})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=WithdrawalRequestSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: WithdrawalSerializer,
            **problems(
                (422, "below_minimum", "The smallest withdrawal is €20.00."),
                (409, "insufficient_funds", "You can withdraw at most €68.00."),
                (409, "no_payout_account", "Connect a payout account first."),
                (409, "payout_account_not_ready", "Stripe needs more details before it can pay you."),
                (422, "bad_currency", "That currency is not one we pay out in."),
                *IDEMPOTENCY_PROBLEMS,
            ),
        },
        operation_id="expert_withdrawals_create",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        """Withdraw part of your available earnings; staff approve it, then Stripe pays your payout account."""
        body = WithdrawalRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        withdrawal = withdrawal_request(
            expert=request.user,
            amount_minor=body.validated_data["amount_minor"],
            currency=body.validated_data["currency"],
        )
        return Response(WithdrawalSerializer(withdrawal).data, status=201)
