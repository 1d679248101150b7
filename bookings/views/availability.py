"""The expert's availability screen: weekly hours, booking rules and days off. Changes apply at once."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from marketplace.access import expert_required, own_profile

from ..forms import DayOffForm, RefundPolicyForm, SchedulingPolicyForm, VideoProviderForm, WeeklyHoursFormSet
from ..models import REFUND_TERMS, DateOverride, WeeklyHours, expert_refund_terms
from ..services import (
    day_off_add,
    day_off_remove,
    refund_policy_set,
    scheduling_policy_update,
    video_provider_set,
    weekly_hours_replace,
)
from ..services.video_rooms import expert_video_provider
from ..video import configured_providers


@expert_required
def expert_availability(request: HttpRequest) -> HttpResponse:
    """Weekly hours (a formset), the scheduling policy, the refund policy, the video provider and days off:
    small forms on one page."""
    profile = own_profile(request)
    zone = ZoneInfo(profile.time_zone)
    today = timezone.now().astimezone(zone).date()
    current = WeeklyHours.objects.filter(profile=profile).order_by("weekday", "start")
    weekly_formset = WeeklyHoursFormSet(
        prefix="weekly", initial=[{"weekday": row.weekday, "start": row.start, "end": row.end} for row in current]
    )
    policy_form = SchedulingPolicyForm(
        prefix="policy",
        initial={
            "min_notice_hours": profile.min_notice_hours,
            "horizon_days": profile.horizon_days,
            "buffer_minutes": profile.buffer_minutes,
            "slot_step_minutes": profile.slot_step_minutes,
        },
    )
    day_off_form = DayOffForm(prefix="dayoff")
    refund_form = RefundPolicyForm(prefix="refund", initial={"tier": expert_refund_terms(profile).tier})
    available = configured_providers()
    video_form = VideoProviderForm(
        prefix="video", available=available, initial={"provider": expert_video_provider(expert_id=profile.user_id)}
    )
    if request.method == "POST":
        kind = request.POST.get("kind")
        try:
            if kind == "weekly":
                weekly_formset = WeeklyHoursFormSet(request.POST, prefix="weekly")
                if weekly_formset.is_valid():
                    weekly_hours_replace(profile=profile, windows=weekly_formset.windows())
                    messages.success(request, _("Weekly hours saved. Learners see the new times right away."))
                    return redirect("expert_availability")
            elif kind == "policy":
                policy_form = SchedulingPolicyForm(request.POST, prefix="policy")
                if policy_form.is_valid():
                    scheduling_policy_update(profile=profile, **policy_form.cleaned_data)
                    messages.success(request, _("Booking rules saved."))
                    return redirect("expert_availability")
            elif kind == "refund_policy":
                refund_form = RefundPolicyForm(request.POST, prefix="refund")
                if refund_form.is_valid():
                    refund_policy_set(profile=profile, tier=refund_form.cleaned_data["tier"])
                    messages.success(request, _("Refund policy saved. It applies to sessions booked from now on."))
                    return redirect("expert_availability")
            elif kind == "video_provider":
                video_form = VideoProviderForm(request.POST, prefix="video", available=available)
                if video_form.is_valid():
                    video_provider_set(profile=profile, provider=video_form.cleaned_data["provider"])
                    messages.success(request, _("Video rooms saved. Sessions confirmed from now on use them."))
                    return redirect("expert_availability")
            elif kind == "day_off":
                day_off_form = DayOffForm(request.POST, prefix="dayoff")
                if day_off_form.is_valid():
                    day = day_off_form.cleaned_data["day"]
                    day_off_add(profile=profile, day=day, today=today)
                    messages.success(request, _("%(day)s is now a day off.") % {"day": date_format(day, "DAY_FORMAT")})
                    return redirect("expert_availability")
            elif kind == "day_off_remove":
                day_off_form = DayOffForm(request.POST, prefix="dayoff")
                if day_off_form.is_valid():
                    day = day_off_form.cleaned_data["day"]
                    if day_off_remove(profile=profile, day=day):
                        messages.success(
                            request,
                            _("%(day)s follows your weekly hours again.") % {"day": date_format(day, "DAY_FORMAT")},
                        )
                    return redirect("expert_availability")
            else:
                messages.error(request, _("Something was missing from the form. Please try again."))
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(
        request,
        "bookings/expert_availability.html",
        {
            "profile": profile,
            "weekly_formset": weekly_formset,
            "policy_form": policy_form,
            "day_off_form": day_off_form,
            "refund_form": refund_form,
            "refund_tiers": list(REFUND_TERMS.values()),
            "video_form": video_form,
            "video_choice_count": len(available),
            "days_off": DateOverride.objects.filter(profile=profile, start__isnull=True, date__gte=today),
        },
    )
