"""Imported calendars shaped for the expert's screen and for staff: one query each, whatever the count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from marketplace.models import ExpertProfile

from ..models import ConnectedCalendar, ExpertCalendar

_SHOWN = (
    *("pk", "name", "url_hint", "last_attempt_at", "last_success_at", "last_error"),
    *("failures_in_a_row", "busy_count", "created"),
)


def expert_calendars_of(*, profile: ExpertProfile) -> list[ExpertCalendar]:
    """The expert's calendars with their health (never the address itself), oldest first: one query."""
    return list(ExpertCalendar.objects.filter(profile=profile).only(*_SHOWN).order_by("created", "pk"))


def calendars_in_error() -> QuerySet[ExpertCalendar]:
    """Calendars whose last sync failed, worst first, with their expert (for staff)."""
    return (
        ExpertCalendar.objects.filter(failures_in_a_row__gt=0)
        .select_related("profile__user")
        .defer("url_encrypted", "etag")
        .order_by("-failures_in_a_row", "pk")
    )


@dataclass(frozen=True)
class CalendarInError:
    """One row of the staff report: an imported address or a connected account that fails."""

    kind: str
    expert_name: str
    expert_email: str
    calendar: str
    failures_in_a_row: int
    last_error: str
    last_success_at: datetime | None


def calendars_in_error_rows() -> list[CalendarInError]:
    """Imported and connected calendars in error (a connection that needs reconnecting counts), worst
    first: two queries whatever the count."""
    rows = [
        CalendarInError(
            kind=str(_("Calendar address")),
            expert_name=calendar.profile.user.full_name,
            expert_email=calendar.profile.user.email,
            calendar=calendar.name,
            failures_in_a_row=calendar.failures_in_a_row,
            last_error=calendar.last_error,
            last_success_at=calendar.last_success_at,
        )
        for calendar in calendars_in_error()
    ]
    connections = (
        ConnectedCalendar.objects.filter(Q(failures_in_a_row__gt=0) | Q(status=ConnectedCalendar.Status.BROKEN))
        .select_related("expert")
        .defer("access_token", "refresh_token")
    )
    rows += [
        CalendarInError(
            kind=connection.get_provider_display(),
            expert_name=connection.expert.full_name,
            expert_email=connection.expert.email,
            calendar=connection.calendar_name or connection.account_email,
            failures_in_a_row=connection.failures_in_a_row,
            last_error=connection.last_error,
            last_success_at=connection.last_synced_at,
        )
        for connection in connections
    ]
    return sorted(rows, key=lambda row: -row.failures_in_a_row)
