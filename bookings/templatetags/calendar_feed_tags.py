"""The settings page's calendar-feed section reads the user's feed address here (accounts sits below bookings)."""

from django import template

from ..models import ConnectedCalendar
from ..selectors.calendar_feed import calendar_feed_url, expert_connected_calendars
from ..services.connected_calendars import provider_configured

register = template.Library()


@register.simple_tag
def calendar_feed_address(user) -> str:
    """The user's private feed address, or "" if they have none (one query)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return calendar_feed_url(user=user) or ""


@register.inclusion_tag("bookings/includes/_connected_calendars.html", takes_context=True)
def connected_calendars_section(context) -> dict:
    """The expert's connected Google and Outlook calendars, and the connect buttons (one query)."""
    user = context["request"].user
    return {
        "connections": expert_connected_calendars(expert=user),
        "providers": [
            {"value": value, "label": label, "configured": provider_configured(value)}
            for value, label in ConnectedCalendar.Provider.choices
        ],
        "csrf_token": context.get("csrf_token"),
    }
