"""The one email an expert gets when an imported or connected calendar keeps failing."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from notifications.services import email_send

from ..models import ConnectedCalendar, ExpertCalendar


def calendar_failing_email_send(*, calendar_id: int) -> int:
    """Tell the expert that a calendar has failed several times in a row and what went wrong.
    Nothing if it has recovered or is gone since (a late job says nothing out of date)."""
    calendar = ExpertCalendar.objects.select_related("profile__user").filter(pk=calendar_id).first()
    if calendar is None or calendar.failures_in_a_row < settings.CALENDAR_FAILURES_BEFORE_EMAIL:
        return 0
    user = calendar.profile.user
    email_send(
        to=user.email,
        template="calendar_failing",
        context={
            "user": user,
            "calendar": calendar,
            "calendars_path": reverse("expert_calendars"),
        },
        language=user.preferred_language,
    )
    return 1


def connected_calendar_failing_email_send(*, connection_id: int) -> int:
    """Tell the expert that a connected Google or Outlook calendar keeps failing, or needs reconnecting.
    Nothing if it has recovered or is gone since."""
    connection = ConnectedCalendar.objects.select_related("expert").filter(pk=connection_id).first()
    if connection is None:
        return 0
    broken = connection.status == ConnectedCalendar.Status.BROKEN
    if not broken and connection.failures_in_a_row < settings.CALENDAR_FAILURES_BEFORE_EMAIL:
        return 0
    user = connection.expert
    email_send(
        to=user.email,
        template="connected_calendar_failing",
        context={
            "user": user,
            "connection": connection,
            "broken": broken,
            "calendars_path": reverse("expert_calendars"),
        },
        language=user.preferred_language,
    )
    return 1
