"""The expert's API: profile (changes go to moderation), offerings, weekly hours and days off, sessions.

Every call goes through the same forms and services as the expert area's
screens (``ExpertPageForm`` + ``expert_page_submit_changes``,
``SessionTypeForm`` + ``session_type_*``, ``weekly_hours_replace``,
``scheduling_policy_update``, ``day_off_*``), and every object is looked up
in the caller's own profile (``own_profile``), so no argument can name
another expert's data.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.models import DateOverride, WeeklyHours
from bookings.selectors.sessions import expert_bookings
from bookings.services import day_off_add, day_off_remove, scheduling_policy_update, weekly_hours_replace
from marketplace.access import own_profile
from marketplace.forms import ExpertPageForm, SessionTypeForm
from marketplace.models import Category, Language, Package, SessionType
from marketplace.services import session_type_create, session_type_delete, session_type_update
from marketplace.services.profiles import expert_page_submit_changes, expert_source_page

from ..permissions import scoped
from ..schema import problems
from ..serializers.bookings import BookingSerializer
from ..serializers.expert import (
    AvailabilitySerializer,
    DayOffSerializer,
    ExpertPageFieldsSerializer,
    ExpertProfileSerializer,
    OfferingsSerializer,
    SessionTypeCreateSerializer,
    SessionTypeUpdateSerializer,
)
from .learner import STATUS_PARAMETER, _status_filter

EXPERT = scoped("expert", expert=True)
PAGE_FIELDS = list(ExpertPageFieldsSerializer().fields)


def form_invalid(form: forms.BaseForm, names: dict[str, str] | None = None) -> ValidationError:
    """The site form's own messages as API field errors (``names`` maps form fields to API fields)."""
    names = names or {}
    return ValidationError(
        {names.get(field, field or "non_field_errors"): list(errors) for field, errors in form.errors.items()}
    )


def _page_fields(draft) -> dict:
    return {
        "title": draft.title,
        "headline": draft.headline,
        "bio": draft.bio,
        "categories": [category.slug for category in draft.categories.all()],
        "skills": [tag.name for tag in draft.skills.all()],
        "languages": [language.code for language in draft.languages.all()],
        "years_experience": draft.years_experience,
        "credentials": draft.credentials,
        "website_url": draft.website_url,
        "linkedin_url": draft.linkedin_url,
        "github_url": draft.github_url,
        "intro_video_url": draft.intro_video_url,
    }


class ExpertProfileView(APIView):
    permission_classes = EXPERT

    def _body(self, request: Request, profile) -> dict:
        page = expert_source_page(profile=profile)
        draft = page.get_latest_revision_as_object()
        return ExpertProfileSerializer(
            {
                "status": profile.status,
                "time_zone": profile.time_zone,
                "currency": profile.currency,
                "page": _page_fields(draft),
                "pending_review": bool(page.workflow_in_progress),
                "live_url": page.get_full_url(request) if page.live else None,
            }
        ).data

    @extend_schema(responses={200: ExpertProfileSerializer, **problems()}, operation_id="expert_profile_retrieve")
    def get(self, request: Request) -> Response:
        """Your profile: the latest version of your page (live or waiting for review) and your settings."""
        return Response(self._body(request, own_profile(request)))

    @extend_schema(
        request=ExpertPageFieldsSerializer(partial=True),
        responses={202: ExpertProfileSerializer, **problems()},
        operation_id="expert_profile_partial_update",
    )
    def patch(self, request: Request) -> Response:
        """Change some page fields; the change goes to moderation and goes live once approved (202)."""
        profile = own_profile(request)
        sent = ExpertPageFieldsSerializer(data=request.data, partial=True)
        sent.is_valid(raise_exception=True)
        draft = expert_source_page(profile=profile).get_latest_revision_as_object()
        values = {**_page_fields(draft), **sent.validated_data}
        known_categories = dict(Category.objects.filter(slug__in=values["categories"]).values_list("slug", "pk"))
        known_languages = dict(Language.objects.filter(code__in=values["languages"]).values_list("code", "pk"))
        unknown = {
            "categories": [slug for slug in values["categories"] if slug not in known_categories],
            "languages": [code for code in values["languages"] if code not in known_languages],
        }
        if any(unknown.values()):
            raise ValidationError(
                {
                    field: [_("Unknown: %(names)s") % {"names": ", ".join(names)}]
                    for field, names in unknown.items()
                    if names
                }
            )
        data = {
            **{name: values[name] for name in PAGE_FIELDS if name not in ("categories", "languages", "skills")},
            "categories": [known_categories[slug] for slug in values["categories"]],
            "languages": [known_languages[code] for code in values["languages"]],
            "skills": ", ".join(name.replace(",", " ") for name in values["skills"]),
        }
        form = ExpertPageForm(data)
        if not form.is_valid():
            raise form_invalid(form)
        changes = {name: value for name, value in form.cleaned_data.items() if name != "photo"}
        expert_page_submit_changes(profile=profile, user=request.user, changes=changes)
        return Response(self._body(request, profile), status=202)


def _offerings(profile) -> dict:
    session_types = list(SessionType.objects.filter(profile=profile))
    packages = list(Package.objects.filter(profile=profile).select_related("session_type"))
    return OfferingsSerializer({"session_types": session_types, "packages": packages}).data


class ExpertOfferings(APIView):
    permission_classes = EXPERT

    @extend_schema(responses={200: OfferingsSerializer, **problems()}, operation_id="expert_offerings_list")
    def get(self, request: Request) -> Response:
        """Your session types (by length) and packages: two queries."""
        return Response(_offerings(own_profile(request)))

    @extend_schema(
        request=SessionTypeCreateSerializer,
        responses={
            201: OfferingsSerializer,
            **problems((422, "rule_violation", "You already offer a 60-minute session.")),
        },
        operation_id="expert_offerings_create",
    )
    def post(self, request: Request) -> Response:
        """Offer a new session length at a price in your currency; learners see it at once."""
        profile = own_profile(request)
        sent = SessionTypeCreateSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        form = SessionTypeForm(
            {"duration_minutes": sent.validated_data["length"], "price": sent.validated_data["price"]},
            currency=profile.currency,
        )
        if not form.is_valid():
            raise form_invalid(form, {"duration_minutes": "length"})
        created = session_type_create(
            profile=profile, duration_minutes=form.cleaned_data["duration_minutes"], price=form.price_money()
        )
        if not sent.validated_data["is_active"]:
            session_type_update(session_type=created, price=form.price_money(), is_active=False)
        return Response(_offerings(profile), status=201)


class ExpertOffering(APIView):
    permission_classes = EXPERT

    def _own(self, request: Request, length: int):
        profile = own_profile(request)
        session_type = SessionType.objects.select_related("profile").filter(profile=profile, duration_minutes=length)
        found = session_type.first()
        if found is None:
            raise NotFound(_("You offer no session of this length."))
        return profile, found

    @extend_schema(
        request=SessionTypeUpdateSerializer,
        responses={200: OfferingsSerializer, **problems()},
        operation_id="expert_offerings_partial_update",
    )
    def patch(self, request: Request, length: int) -> Response:
        """Change the price of a session length, or stop (and restart) offering it."""
        profile, session_type = self._own(request, length)
        sent = SessionTypeUpdateSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        form = SessionTypeForm(
            {
                "price": sent.validated_data.get("price", session_type.price.decimal),
                "is_active": sent.validated_data.get("is_active", session_type.is_active),
            },
            currency=profile.currency,
            editing=True,
        )
        if not form.is_valid():
            raise form_invalid(form)
        session_type_update(
            session_type=session_type, price=form.price_money(), is_active=form.cleaned_data["is_active"]
        )
        return Response(_offerings(profile))

    @extend_schema(responses={204: None, **problems()}, operation_id="expert_offerings_destroy")
    def delete(self, request: Request, length: int) -> Response:
        """Stop offering a session length for good (its packages go with it); booked sessions stay."""
        _profile, session_type = self._own(request, length)
        session_type_delete(session_type=session_type)
        return Response(status=204)


def _availability(profile) -> dict:
    zone = ZoneInfo(profile.time_zone)
    today = timezone.now().astimezone(zone).date()
    return AvailabilitySerializer(
        {
            "time_zone": profile.time_zone,
            "weekly_hours": list(WeeklyHours.objects.filter(profile=profile).order_by("weekday", "start")),
            "policy": profile,
            "days_off": list(
                DateOverride.objects.filter(profile=profile, start__isnull=True, date__gte=today)
                .order_by("date")
                .values_list("date", flat=True)
            ),
        }
    ).data


class ExpertAvailability(APIView):
    permission_classes = EXPERT

    @extend_schema(responses={200: AvailabilitySerializer, **problems()}, operation_id="expert_availability_retrieve")
    def get(self, request: Request) -> Response:
        """Your weekly hours (in your zone), booking rules and coming days off."""
        return Response(_availability(own_profile(request)))

    @extend_schema(
        request=AvailabilitySerializer,
        responses={
            200: AvailabilitySerializer,
            **problems((422, "invalid_weekly_hours", "Monday: 09:00–12:00 overlaps 11:00–13:00.")),
        },
        operation_id="expert_availability_update",
    )
    def put(self, request: Request) -> Response:
        """Replace your weekly hours and/or your booking rules (send either or both); learners see it at once."""
        profile = own_profile(request)
        sent = AvailabilitySerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        if "weekly_hours" in sent.validated_data:
            windows = [(int(row["weekday"]), row["start"], row["end"]) for row in sent.validated_data["weekly_hours"]]
            weekly_hours_replace(profile=profile, windows=windows)
        if "policy" in sent.validated_data:
            policy = dict(sent.validated_data["policy"])
            policy["slot_step_minutes"] = int(policy["slot_step_minutes"])
            profile = scheduling_policy_update(profile=profile, **policy)
        return Response(_availability(profile))


class ExpertDaysOff(APIView):
    permission_classes = EXPERT

    @extend_schema(
        request=DayOffSerializer,
        responses={200: AvailabilitySerializer, **problems((422, "past_date", "That date is in the past."))},
        operation_id="expert_days_off_create",
    )
    def post(self, request: Request) -> Response:
        """Take a day off (a local date in your zone); adding the same day twice is fine."""
        profile = own_profile(request)
        sent = DayOffSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        today = timezone.now().astimezone(ZoneInfo(profile.time_zone)).date()
        day_off_add(profile=profile, day=sent.validated_data["day"], today=today)
        return Response(_availability(profile))


class ExpertDayOff(APIView):
    permission_classes = EXPERT

    @extend_schema(responses={200: AvailabilitySerializer, **problems()}, operation_id="expert_days_off_destroy")
    def delete(self, request: Request, day: str) -> Response:
        """Make a day off (`YYYY-MM-DD`, in your zone) a normal day again; one that is not a day off is a 404."""
        profile = own_profile(request)
        sent = DayOffSerializer(data={"day": day})
        sent.is_valid(raise_exception=True)
        if not day_off_remove(profile=profile, day=sent.validated_data["day"]):
            raise NotFound(_("That day is not a day off."))
        return Response(_availability(profile))


class ExpertSessions(ListAPIView):
    """Your sessions (paid ones; unpaid holds are not yours yet), newest start first."""

    serializer_class = BookingSerializer
    permission_classes = EXPERT

    def get_queryset(self):
        return expert_bookings(expert=self.request.user, status=_status_filter(self.request))

    @extend_schema(parameters=[STATUS_PARAMETER], responses={200: BookingSerializer(many=True), **problems()})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
