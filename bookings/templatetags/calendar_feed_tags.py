"""The settings page's calendar-feed section reads the user's feed address here (accounts sits below bookings)."""

from django import template

from ..selectors.calendar_feed import calendar_feed_url

register = template.Library()


@register.simple_tag
def calendar_feed_address(user) -> str:
    """The user's private feed address, or "" if they have none (one query)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return calendar_feed_url(user=user) or ""
