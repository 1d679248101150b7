"""Reads for the operations console's sessions (``/admin/ops/sessions/``): the list and one session's page.

The list is one query for the page of rows and one count, however many bookings match: both
participants come by JOIN, "problem reported" is an EXISTS, never a query per row. A session's page
reads a fixed handful of queries: the booking with both people, its reminders, attendance log,
reports, decision and log entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from core.money import Money

from ..models import (
    AttendanceEvent,
    Booking,
    ConnectedCalendar,
    ExpertCalendar,
    Reminder,
    SessionDecision,
    SessionReport,
)


def sessions_for_staff() -> QuerySet[Booking]:
    """Every booking, newest start first, with both participants and whether anyone reported a problem."""
    return (
        Booking.objects.select_related("learner", "expert")
        .annotate(reported=Exists(SessionReport.objects.filter(booking=OuterRef("pk"))))
        .order_by("-start", "-pk")
    )


def session_for_staff(*, pk: int) -> Booking | None:
    return Booking.objects.select_related("learner", "expert").filter(pk=pk).first()


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    label: str
    detail: str = ""
    user: str = ""


def session_timeline(*, booking: Booking) -> list[TimelineEntry]:
    """What happened to a session, oldest first: held, paid, reminded, joined and left, reported,
    decided, cancelled and refunded, moved, disputed, and every logged staff action with its reason.

    Built from the booking's own timestamps, its reminders, the attendance log, reports, the
    decision and Wagtail's log entries (the audit), so it cannot say something the records do not.
    """
    entries = [TimelineEntry(booking.created_at, _("Held"))]
    if booking.confirmed_at:
        entries.append(TimelineEntry(booking.confirmed_at, _("Paid and confirmed")))
    for reminder in Reminder.objects.filter(booking=booking, status=Reminder.Status.SENT).order_by("handled_at"):
        if reminder.handled_at:
            entries.append(
                TimelineEntry(
                    reminder.handled_at,
                    _("Reminded"),
                    f"{reminder.get_kind_display()} · {reminder.get_channel_display()}",
                )
            )
    for event in AttendanceEvent.objects.filter(booking=booking).order_by("at", "pk"):
        who = _("Learner") if event.user_id == booking.learner_id else _("Expert")
        entries.append(TimelineEntry(event.at, f"{who}: {event.get_kind_display()}", event.source))
    for report in SessionReport.objects.filter(booking=booking).order_by("created_at"):
        entries.append(
            TimelineEntry(
                report.created_at, _("Problem reported"), f"{report.get_role_display()}: {report.get_kind_display()}"
            )
        )
    decision = SessionDecision.objects.filter(booking=booking).first()
    if decision is not None:
        entries.append(TimelineEntry(decision.decided_at, _("Decided"), decision.get_outcome_display()))
        if decision.settled_at:
            entries.append(TimelineEntry(decision.settled_at, _("Decision settled"), booking.get_status_display()))
    if booking.disputed_at:
        entries.append(TimelineEntry(booking.disputed_at, _("Payment disputed by the bank")))
    if booking.cancelled_at:
        detail = booking.get_status_display()
        if booking.refund_minor:
            refunded = Money(int(booking.refund_minor), booking.currency).format()
            detail = f"{detail} · {_('refunded')} {refunded}"
        entries.append(TimelineEntry(booking.cancelled_at, _("Cancelled"), detail))
    if booking.status == Booking.Status.COMPLETED:
        entries.append(TimelineEntry(booking.end, _("Completed")))
    for entry in ModelLogEntry.objects.for_instance(booking).select_related("user").order_by("timestamp", "pk"):
        try:
            action = log_registry.get_action_label(entry.action)
        except KeyError:  # an action whose app no longer registers it: show its name
            action = entry.action
        reason = (entry.data or {}).get("reason", "")
        user = (entry.user.full_name or entry.user.email) if entry.user else ""
        entries.append(TimelineEntry(entry.timestamp, str(action), reason, user))
    return sorted(entries, key=lambda item: item.at)


def sessions_panel_counts(*, now: datetime) -> dict[str, int]:
    """The sessions panel of the admin home in one query: what waits for a person, and today's figures
    (UTC day): reported sessions not yet decided, bookings whose payment is disputed and not settled,
    sessions starting today, and today's cancellations."""
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + timedelta(days=1)
    reported = Exists(SessionReport.objects.filter(booking=OuterRef("pk")))
    return Booking.objects.aggregate(
        reports_waiting=Count("pk", filter=Q(reported, session_decision__isnull=True)),
        disputed=Count("pk", filter=Q(disputed_at__isnull=False)),
        today=Count(
            "pk", filter=Q(start__gte=day_start, start__lt=day_end, status__in=[*Booking.SLOT_HOLDING, "completed"])
        ),
        cancelled_today=Count("pk", filter=Q(cancelled_at__gte=day_start, cancelled_at__lt=day_end)),
    )


def calendars_in_error_counts() -> dict[str, int]:
    """Experts' calendars that fail, in one query: connected calendars needing reconnection, and
    subscribed ICS calendars whose last fetch failed (two sub-selects; table names from the models)."""
    connected, subscribed = ConnectedCalendar._meta.db_table, ExpertCalendar._meta.db_table
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {connected} WHERE status = %s), "  # noqa: S608 - names from _meta
        f"(SELECT COUNT(*) FROM {subscribed} WHERE failures_in_a_row > 0)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ConnectedCalendar.Status.BROKEN.value])
        broken, failing = cursor.fetchone()
    return {"connected_broken": broken, "ics_failing": failing}
