"""Public reviews of one expert (published and not hidden only, newest first, cursor-paginated), and the
learner's own rating of a completed session through ``reviews.services.review_submit``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.access import participant_booking
from reviews.models import SessionReview
from reviews.selectors import expert_public_review_list
from reviews.services import review_submit

from ..pagination import PublishedCursorPagination
from ..permissions import scoped
from ..schema import PROBLEM_RESPONSES, problems
from ..serializers.reviews import PublicReviewSerializer, RatingRequestSerializer, RatingStateSerializer
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


class BookingRating(APIView):
    """``bookings/<id>/rating/``: the learner's review of a completed session (everyone else: the unknown id's 404)."""

    permission_classes = scoped("read", post="book")

    @extend_schema(responses={200: RatingStateSerializer, **problems()}, operation_id="bookings_rating_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """Your review of this session, or null while you have not written one."""
        booking = participant_booking(request, pk, role="learner")
        review = SessionReview.objects.filter(booking=booking).first()
        return Response(RatingStateSerializer({"review": review}).data)

    @extend_schema(
        request=RatingRequestSerializer,
        responses={
            200: RatingStateSerializer,
            **problems(
                (409, "not_ratable", "You can rate this session once it has been completed."),
                (409, "not_ratable", "Sessions can be rated for 14 days after they end."),
            ),
        },
        examples=[OpenApiExample("rate", {"rating": 5, "clarity": 4, "text": "Clear and patient."}, request_only=True)],
        operation_id="bookings_rating_create",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Write the review (1–5 overall; optional sub-ratings, text, private note), or change it within 14 days.

        Writing again replaces the fields sent; a field left out is cleared, as on the site's form.
        """
        booking = participant_booking(request, pk, role="learner")
        body = RatingRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = review_submit(booking=booking, learner=request.user, **body.validated_data)
        return Response(RatingStateSerializer({"review": review}).data)
