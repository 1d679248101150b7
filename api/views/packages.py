"""``packages/``: the learner's package purchases with their credits, read only (billing's selector).

Buying a package and booking with a credit happen on the site; the API shows what is left.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from billing.models import SessionCredit
from billing.selectors import learner_package_purchases

from ..permissions import scoped
from ..schema import problems
from ..serializers.packages import PackagePurchaseSerializer
from .earnings import CreatedCursorPagination


class PackageList(ListAPIView):
    """GET: your packages, newest first, with each credit's status and the booking that used it."""

    serializer_class = PackagePurchaseSerializer
    pagination_class = CreatedCursorPagination
    permission_classes = scoped("read")

    def get_queryset(self):
        credits = SessionCredit.objects.order_by("number")
        return learner_package_purchases(learner=self.request.user).prefetch_related(
            Prefetch("credits", queryset=credits)
        )

    @extend_schema(responses={200: PackagePurchaseSerializer(many=True), **problems()}, operation_id="packages_list")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
