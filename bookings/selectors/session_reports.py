"""Reads of the attendance log and session reports: for a participant's screens and for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Value, When

from core.money import Money

from .. import no_show_rules as rules
from ..models import AttendanceEvent, Booking, SessionDecision, SessionReport
from ..no_show_rules import REPORTABLE, booking_report_state, report_window

CASES_PER_PAGE = 25


def with_attendance(bookings: QuerySet) -> QuerySet:
    """Bookings with their attendance log, reports and decision: two more queries for a whole page."""
    return bookings.select_related("session_decision").prefetch_related(
        Prefetch("attendance_events", queryset=AttendanceEvent.objects.order_by("at", "pk")),
        Prefetch("session_reports", queryset=SessionReport.objects.order_by("created_at", "pk")),
    )


def _decision(booking: Booking) -> SessionDecision | None:
    try:
        return booking.session_decision
    except SessionDecision.DoesNotExist:
        return None


@dataclass(frozen=True)
class Attendance:
    """A past session as one participant sees it: who joined when, the reports, the state, what they may do."""

    booking: Booking
    viewer_role: str
    joins: list[AttendanceEvent]
    mine: SessionReport | None
    theirs: SessionReport | None
    decision: SessionDecision | None
    state: str
    window_open: bool
    window_closes: datetime

    @property
    def can_report(self) -> bool:
        return self.window_open and self.mine is None and self.decision is None

    @property
    def refund(self) -> Money | None:
        """What the decision gives the learner back (None before a decision)."""
        return None if self.decision is None else Money(int(self.decision.refund_minor), self.booking.currency)

    @property
    def is_waiting(self) -> bool:
        return self.state == rules.WAITING

    @property
    def is_contested(self) -> bool:
        return self.state == rules.CONTESTED

    @property
    def my_joins(self) -> list[AttendanceEvent]:
        me = self.booking.learner_id if self.viewer_role == "learner" else self.booking.expert_id
        return [event for event in self.joins if event.user_id == me]

    @property
    def their_joins(self) -> list[AttendanceEvent]:
        other = self.booking.expert_id if self.viewer_role == "learner" else self.booking.learner_id
        return [event for event in self.joins if event.user_id == other]


def session_attendance(*, booking: Booking, viewer, now: datetime) -> Attendance | None:
    """The attendance and reports of a past session for one of its participants; None for a session
    that has not ended or was never held (a hold, a cancellation). Reads the prefetched rows of
    ``with_attendance`` when there are any (no query), else three small queries."""
    if booking.end > now or booking.status not in (
        *REPORTABLE,
        Booking.Status.NO_SHOW_EXPERT,
        Booking.Status.NO_SHOW_LEARNER,
    ):
        return None
    role = "learner" if viewer.pk == booking.learner_id else "expert"
    events = list(booking.attendance_events.all())
    reports = list(booking.session_reports.all())
    decision = _decision(booking)
    state = booking_report_state(booking=booking, reports=reports, events=events, decided=decision is not None, now=now)
    closes = rules.report_window_closes(end=booking.end, window=report_window())
    return Attendance(
        booking=booking,
        viewer_role=role,
        joins=[event for event in events if event.kind == AttendanceEvent.Kind.JOINED],
        mine=next((report for report in reports if report.role == role), None),
        theirs=next((report for report in reports if report.role != role), None),
        decision=decision,
        state=state,
        window_open=booking.status in REPORTABLE
        and rules.report_window_open(end=booking.end, window=report_window(), now=now),
        window_closes=closes,
    )


# --- Staff ------------------------------------------------------------------------------------


def _reported() -> Exists:
    return Exists(SessionReport.objects.filter(booking=OuterRef("pk")))


def session_reports_open_count() -> int:
    """Reported sessions without a decision (one count query): the admin menu's "Session reports (N)"."""
    return Booking.objects.filter(_reported(), session_decision__isnull=True).count()


def session_report_cases(*, page_number=1) -> Page:
    """Every reported session, open ones first (oldest end first: the closest to its window's close),
    then decided ones (latest first). Four queries for a page however many there are."""
    cases = (
        Booking.objects.filter(_reported())
        .annotate(
            decided_rank=Case(
                When(session_decision__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .select_related("learner", "expert", "session_decision")
        .prefetch_related(Prefetch("session_reports", queryset=SessionReport.objects.order_by("created_at", "pk")))
        .order_by("decided_rank", "end", "pk")
    )
    return Paginator(cases, CASES_PER_PAGE).get_page(page_number)


def session_report_case(*, pk: int) -> Booking | None:
    """One reported session with both participants, its reports, attendance log and decision."""
    return (
        with_attendance(Booking.objects.filter(_reported(), pk=pk))
        .select_related("learner", "expert__expert_profile", "session_decision__decided_by")
        .prefetch_related(
            Prefetch(
                "attendance_events",
                queryset=AttendanceEvent.objects.select_related("user").order_by("at", "pk"),
                to_attr="log_rows",
            )
        )
        .first()
    )
