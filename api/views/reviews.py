"""Public reviews of one expert: published and not hidden only, newest first, cursor-paginated."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from reviews.selectors import expert_public_review_list

from ..pagination import PublishedCursorPagination
from ..schema import PROBLEM_RESPONSES
from ..serializers.reviews import PublicReviewSerializer
from .public import _live_expert_page


class ExpertReviews(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = PublicReviewSerializer
    pagination_class = PublishedCursorPagination

    def get_queryset(self):
        page = _live_expert_page(self.kwargs["slug"])
        return expert_public_review_list(profile_id=page.profile_id)

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", str, description="From `next` or `previous` of the last answer."),
            OpenApiParameter("page_size", int, description="1 to 50 (default 10)."),
        ],
        responses={200: PublicReviewSerializer(many=True), **PROBLEM_RESPONSES},
        operation_id="experts_reviews_list",
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        """An expert's published reviews (two queries a page: the expert, the reviews with their learners)."""
        return super().get(request, *args, **kwargs)
