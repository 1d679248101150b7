"""Input parsing for the slot picker on the expert page (the page itself is a Wagtail page).

Query parameters: ``session`` (length in minutes of one of the expert's
session types), ``tz`` (an IANA zone; anonymous visitors get it from the
browser via static/js/timezone.js, anyone can switch it) and ``week`` (0 is
this week). Bad values never fail the page: they fall back and say so.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.validators import available_time_zones

from ..models import ExpertProfile, SessionType
from ..selectors import expert_slot_listing

MAX_WEEK = 52


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw is not None and raw.strip() else None
    except ValueError:
        return None


def slot_picker_context(
    *, request: HttpRequest, profile: ExpertProfile, session_types: list[SessionType]
) -> dict[str, Any]:
    if not session_types:
        return {}
    notices: list[str] = []
    wanted = _int(request.GET.get("session"))
    session_type = next((item for item in session_types if item.duration_minutes == wanted), None)
    if session_type is None:
        if "session" in request.GET:
            notices.append(_("That session length is not offered; showing the first one."))
        session_type = session_types[0]

    zones = available_time_zones()
    user = request.user
    requested = request.GET.get("tz")
    zone_from_browser = False
    if requested and requested in zones:
        viewer_zone = requested
    else:
        if requested:
            notices.append(
                _("“%(tz)s” is not a known time zone; showing times in another zone.") % {"tz": requested[:64]}
            )
        if user.is_authenticated and user.time_zone in zones:
            viewer_zone = user.time_zone
        else:
            # Anonymous and no ``tz`` yet: the expert's zone until the browser's is filled in.
            viewer_zone = profile.time_zone
            zone_from_browser = not requested

    week = _int(request.GET.get("week"))
    if week is None or not 0 <= week <= MAX_WEEK:
        if "week" in request.GET:
            notices.append(_("That week is out of range; showing this week."))
        week = 0
    listing = expert_slot_listing(
        profile=profile, session_type=session_type, viewer_zone=viewer_zone, week=week, now=timezone.now()
    )
    return {
        "slots": listing,
        "slot_notices": notices,
        "zone_choices": sorted(zones),
        "zone_from_browser": zone_from_browser,
    }
