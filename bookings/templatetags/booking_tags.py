"""The expert page's free times, asked for by its template: ``{% load booking_tags %}{% slot_picker ... %}``.

Query parameters: ``session`` (length in minutes of one of the expert's
session types), ``tz`` (an IANA zone; anonymous visitors get it from the
browser via static/js/timezone.js, anyone can switch it) and ``week`` (0 is
this week). Bad values never fail the page: they fall back and say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.parsing import parse_int
from core.timezones import canonical_zone, zone_choices
from marketplace.models import ExpertProfile, SessionType

from ..selectors.slots import expert_slot_listing

register = template.Library()

MAX_WEEK = 52


def _int(raw: str | None) -> int | None:
    # Session lengths and week numbers are small; anything else is "not given".
    return parse_int(raw, minimum=0, maximum=10_000)


# The picker's own query parameters: a page that names one renders the picker inline (the path
# without JavaScript); a page without them shows the placeholder that static/js/slot-picker.js fills.
PICKER_PARAMS = ("session", "tz", "week")


@dataclass(frozen=True)
class PickerChoice:
    """What the visitor asked for, resolved: the session type, the zone and the week, and notices about
    anything that fell back."""

    session_type: SessionType
    viewer_zone: str
    zone_from_browser: bool
    week: int
    notices: tuple[str, ...]


def slot_picker_choice(request, profile: ExpertProfile, session_types: list[SessionType]) -> PickerChoice:
    """Resolve ``session``, ``tz`` and ``week`` (and ``browser_tz``, the zone the fragment's script
    reports for an anonymous visitor) without failing on any value."""
    notices: list[str] = []
    wanted = _int(request.GET.get("session"))
    session_type = next((item for item in session_types if item.duration_minutes == wanted), None)
    if session_type is None:
        if "session" in request.GET:
            notices.append(_("That session length is not offered; showing the first one."))
        session_type = session_types[0]

    user = request.user
    requested = request.GET.get("tz")
    # A legacy name a browser reports (Asia/Calcutta) is shown as its zone (Asia/Kolkata).
    requested_zone = canonical_zone(requested)
    zone_from_browser = False
    if requested_zone:
        viewer_zone = requested_zone
    else:
        if requested:
            notices.append(
                _("“%(tz)s” is not a known time zone; showing times in another zone.") % {"tz": requested[:64]}
            )
        if user.is_authenticated and canonical_zone(user.time_zone):
            viewer_zone = canonical_zone(user.time_zone)
        elif canonical_zone(request.GET.get("browser_tz")):
            viewer_zone = canonical_zone(request.GET.get("browser_tz"))
        else:
            # Anonymous and no ``tz`` yet: the expert's zone until the browser's is filled in.
            viewer_zone = profile.time_zone
            zone_from_browser = not requested

    week = _int(request.GET.get("week"))
    if week is None or not 0 <= week <= MAX_WEEK:
        if "week" in request.GET:
            notices.append(_("That week is out of range; showing this week."))
        week = 0
    return PickerChoice(session_type, viewer_zone, zone_from_browser, week, tuple(notices))


def slot_picker_context(
    request, *, page, profile: ExpertProfile, session_types: list[SessionType], choice: PickerChoice, csrf_token
) -> dict[str, Any]:
    """The picker template's context for a resolved choice (three queries: hours, days off, busy times)."""
    listing = expert_slot_listing(
        profile=profile,
        session_type=choice.session_type,
        viewer_zone=choice.viewer_zone,
        week=choice.week,
        now=timezone.now(),
    )
    return {
        "request": request,
        "page": page,
        "csrf_token": csrf_token,
        "session_types": session_types,
        "slots": listing,
        "slot_notices": list(choice.notices),
        "zone_choices": zone_choices(),
        "zone_from_browser": choice.zone_from_browser,
        "picker_action": page.url if page is not None else request.path,
    }


@register.inclusion_tag("bookings/includes/slot_picker.html", takes_context=True)
def slot_picker(context, profile: ExpertProfile, session_types: list[SessionType]) -> dict[str, Any]:
    """``{% slot_picker profile session_types %}``: the expert page's free times, for the chosen session length.

    The expert page belongs to the catalogue, which knows nothing of bookings;
    its template asks for this section here. Without ``session``, ``tz`` or
    ``week`` in the query string the page shows a placeholder of fixed height
    that ``static/js/slot-picker.js`` fills from ``slot_fragment`` (so the page
    itself holds no free time and no CSRF token and can be cached); its link
    opens the same page with ``?week=0``, where the picker is rendered inline
    (three queries: hours, days off, busy times) as it always was.
    """
    request = context["request"]
    page = context.get("page")
    if not session_types:
        return {"slots": None}
    if page is not None and not any(name in request.GET for name in PICKER_PARAMS):
        return {
            "placeholder": True,
            "page": page,
            "fragment_url": reverse("slot_fragment", kwargs={"page_id": page.pk}),
        }
    choice = slot_picker_choice(request, profile, session_types)
    return slot_picker_context(
        request,
        page=page,
        profile=profile,
        session_types=session_types,
        choice=choice,
        csrf_token=context.get("csrf_token"),
    )


def zone_option_marks(groups, selected: str) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """(group, [(zone, label, is selected)]): only the first listing of ``selected`` is marked, and a
    zone outside the list (``Etc/GMT+5``) gets a group of its own so the select still shows it."""
    marked = False
    result = []
    for group, options in groups:
        rows = []
        for value, label in options:
            is_selected = value == selected and not marked
            marked |= is_selected
            rows.append((value, label, is_selected))
        result.append((group, rows))
    if selected and not marked:
        result.insert(0, (_("Current"), [(selected, selected, True)]))
    return result


@register.simple_tag
def zone_options(groups, selected) -> str:
    """``<optgroup>``s of ``<option>``s for the slot picker's ~420 zones (``core.timezones.zone_choices``).

    The same markup as a template loop over ``zone_option_marks``, built in one
    pass: the loop was a third of the expert page's rendering time.
    """
    parts = []
    for group, rows in zone_option_marks(groups, selected):
        parts.append(f'<optgroup label="{escape(group)}">')
        for value, label, is_selected in rows:
            mark = " selected" if is_selected else ""
            parts.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
        parts.append("</optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every name and label is escaped


@register.simple_tag
def slot_buttons(starts, day_name: str) -> str:
    """One day's free times as submit buttons of the day's booking form (``name="start"``).

    Times are shown in the active zone (the picker's ``{% timezone %}`` block) and
    posted in UTC. The same markup as a template loop, built in one pass: a busy
    week has hundreds of them.
    """
    label = _("Book %(day)s at %(time)s")
    items = []
    for start in starts:
        iso = start.astimezone(UTC).isoformat()
        shown = timezone.localtime(start).strftime("%H:%M")
        items.append(
            format_html(
                '<li><button type="submit" name="start" value="{}" class="slot-button" aria-label="{}">'
                '<time datetime="{}">{}</time></button></li>',
                iso,
                label % {"day": day_name, "time": shown},
                iso,
                shown,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every part went through format_html
