"""``{% session_attendance booking zone %}``: a past session's attendance and report state, with
"Report a problem" while the window is open, for the participant viewing it.

Reads the rows ``bookings.selectors.session_reports.with_attendance`` prefetched (no query per
row); renders nothing for a session that has not ended or was never held."""

from django import template
from django.utils import timezone

from ..selectors.session_reports import session_attendance as attendance_of

register = template.Library()


@register.inclusion_tag("bookings/includes/_attendance.html", takes_context=True)
def session_attendance(context, booking, zone):
    request = context.get("request")
    viewer = getattr(request, "user", None)
    attendance = None
    if viewer is not None and viewer.is_authenticated:
        attendance = attendance_of(booking=booking, viewer=viewer, now=timezone.now())
    return {"attendance": attendance, "zone": zone or "UTC"}
