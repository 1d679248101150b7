"""Public reads: categories, the expert list (browse's filters, sorts and search), one expert, free times.

Open to anonymous callers (``AllowAny``) and throttled per client address.
Each reads through the same selector as the page it mirrors.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Locale

from accounts.validators import available_time_zones
from bookings.selectors.slots import expert_free_starts
from core.parsing import EARLIEST, LATEST
from marketplace.browse.filters import SORT_CHOICES, ExpertBrowseForm
from marketplace.models import ExpertPage, ExpertProfile
from marketplace.selectors.browse import expert_browse_queryset
from marketplace.selectors.catalogue import browse_choices
from marketplace.selectors.detail import expert_offerings, expert_page_detail

from ..pagination import PositionCursorPagination
from ..schema import PROBLEM_RESPONSES
from ..serializers.public import (
    CategorySerializer,
    ExpertCardSerializer,
    ExpertDetailSerializer,
    ExpertPageOfCardsSerializer,
    SlotsSerializer,
)

# A request for free times covers at most this many days (the expert page shows one week at a time).
MAX_SLOT_DAYS = 31


def _locale_id() -> int:
    return Locale.get_active().pk


def _live_expert_page(slug: str) -> ExpertPage:
    """The live page of an active expert in the active language (the default language's otherwise)."""
    pages = ExpertPage.objects.live().filter(slug=slug, profile__status=ExpertProfile.Status.ACTIVE)
    page = pages.select_related("profile", "photo").filter(locale_id=_locale_id()).first()
    if page is None:
        page = pages.select_related("profile", "photo").order_by("pk").first()
    if page is None:
        raise NotFound(_("There is no expert with this address."))
    return page


class CategoryList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: CategorySerializer(many=True), **PROBLEM_RESPONSES}, operation_id="categories_list")
    def get(self, request: Request) -> Response:
        """Every category, parents before their children (no pagination: the list is short and cached)."""
        categories = list(browse_choices()["by_slug"].values())
        return Response(CategorySerializer(categories, many=True).data)


BROWSE_PARAMETERS = [
    OpenApiParameter("q", str, description="Keyword search (every word must match)."),
    OpenApiParameter("category", str, description="Category slug; a parent includes its subcategories."),
    OpenApiParameter("price_min", OpenApiTypes.DECIMAL, description="Cheapest session at least, in USD."),
    OpenApiParameter("price_max", OpenApiTypes.DECIMAL, description="Cheapest session at most, in USD."),
    OpenApiParameter("rating", str, enum=["3", "4", "4.5"], description="Minimum average rating."),
    OpenApiParameter("language", str, description="Language code, e.g. `de`."),
    OpenApiParameter("available", int, enum=[1, 3, 7, 14, 30], description="Has a free time within N days."),
    OpenApiParameter("sort", str, enum=[value for value, _label in SORT_CHOICES]),
    OpenApiParameter("cursor", str, description="From `next` or `previous` of the last answer."),
    OpenApiParameter("page_size", int, description="1 to 50 (default 12)."),
]


class ExpertList(APIView):
    permission_classes = [AllowAny]
    pagination = PositionCursorPagination()

    @extend_schema(
        parameters=BROWSE_PARAMETERS,
        responses={200: ExpertPageOfCardsSerializer, **PROBLEM_RESPONSES},
        operation_id="experts_list",
    )
    def get(self, request: Request) -> Response:
        """Experts as browse lists them: the same filters, sorts and keyword search, three queries a page."""
        choices = browse_choices()
        form = ExpertBrowseForm(request.query_params, choices=choices)
        data = form.valid_data()
        errors = {name: list(messages) for name, messages in form.errors.items() if name != "price_max" or not data}
        if errors:
            raise ValidationError(errors)
        queryset, _data = expert_browse_queryset(
            pages=ExpertPage.objects.all(), form=form, data=data, locale_id=_locale_id(), category=None
        )
        rows, next_url, previous_url = self.pagination.paginate(queryset, request)
        results = ExpertCardSerializer(rows, many=True, context={"request": request}).data
        return self.pagination.response(results, next_url, previous_url)


class ExpertDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: ExpertDetailSerializer, **PROBLEM_RESPONSES}, operation_id="experts_retrieve")
    def get(self, request: Request, slug: str) -> Response:
        """One expert: the page's fields and the session types learners can book."""
        page = _live_expert_page(slug)
        offerings = expert_offerings(profile=page.profile)
        detail = expert_page_detail(page=page, offerings=offerings, request=request)
        context = {"request": request, "detail": detail}
        return Response(ExpertDetailSerializer(page, context=context).data)


class SlotQuery(serializers.Serializer):
    length = serializers.IntegerField(min_value=1, max_value=24 * 60, required=False)
    tz = serializers.CharField(required=False, max_length=64)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)

    def validate_tz(self, value: str) -> str:
        if value not in available_time_zones():
            raise serializers.ValidationError(_("This is not a known time zone."))
        return value

    def validate(self, attrs):
        for name in ("start_date", "end_date"):
            # Midnight of a day near the calendar's ends is no instant arithmetic can use.
            if name in attrs and not EARLIEST.date() < attrs[name] < LATEST.date():
                raise serializers.ValidationError({_NAMES[name]: _("Choose a day between 1970 and 3000.")})
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and not start <= end < start + timedelta(days=MAX_SLOT_DAYS):
            raise serializers.ValidationError(
                {"to": _("Ask for %(days)s days at most, ending on or after the first.") % {"days": MAX_SLOT_DAYS}}
            )
        return attrs


class ExpertSlots(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("length", int, description="Session length in minutes (default: the shortest offered)."),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day, in `tz` (default: today)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description=f"Last day, at most {MAX_SLOT_DAYS} days on."),
            OpenApiParameter("tz", str, description="IANA zone the days are read in (default: UTC)."),
        ],
        responses={
            200: SlotsSerializer,
            **PROBLEM_RESPONSES,
        },
        operation_id="experts_slots",
    )
    def get(self, request: Request, slug: str) -> Response:
        """Bookable starts from the one slot engine that also validates a hold: a listed start is bookable."""
        params = request.query_params
        query = SlotQuery(
            data={
                key: params[source]
                for key, source in (("length", "length"), ("tz", "tz"), ("start_date", "from"), ("end_date", "to"))
                if source in params
            }
        )
        if not query.is_valid():
            raise ValidationError({_NAMES.get(key, key): value for key, value in query.errors.items()})
        page = _live_expert_page(slug)
        session_types = expert_offerings(profile=page.profile).session_types
        length = query.validated_data.get("length")
        # The list is shortest first: without a length, the shortest session.
        session_type = next((item for item in session_types if length in (None, item.duration_minutes)), None)
        if session_type is None:
            raise NotFound(_("This expert offers no session of this length."))
        zone_name = query.validated_data.get("tz") or "UTC"
        zone = ZoneInfo(zone_name)
        now = timezone.now()
        first: date = query.validated_data.get("start_date") or now.astimezone(zone).date()
        last: date = query.validated_data.get("end_date") or first + timedelta(days=6)
        if last < first or last >= first + timedelta(days=MAX_SLOT_DAYS):
            raise ValidationError({"to": [_("Ask for %(days)s days at most.") % {"days": MAX_SLOT_DAYS}]})
        begin = _midnight(first, zone)
        end = _midnight(last + timedelta(days=1), zone)
        starts = expert_free_starts(profile=page.profile, session_type=session_type, begin=begin, end=end, now=now)
        body = {
            "length": session_type.duration_minutes,
            "time_zone": zone_name,
            "expert_time_zone": page.profile.time_zone,
            "starts": starts,
        }
        return Response(SlotsSerializer(body).data)


_NAMES = {"start_date": "from", "end_date": "to"}


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
