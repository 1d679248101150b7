"""``{% announcements %}``: the staff announcements a signed-in person has not dismissed, on their
dashboard, while the ``announcements`` feature flag is on for them."""

from __future__ import annotations

from django import template

from core.flags import ANNOUNCEMENTS, flag_on

from ..announcements import announcements_for

register = template.Library()


@register.inclusion_tag("notifications/includes/announcements.html", takes_context=True)
def announcements(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not flag_on(request, ANNOUNCEMENTS):
        return {"announcements": []}
    return {"announcements": announcements_for(user=user), "request": request}
