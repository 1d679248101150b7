"""Imported calendars shaped for the expert's screen and for staff: one query each, whatever the count."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.models import ExpertProfile

from ..models import ExpertCalendar

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
