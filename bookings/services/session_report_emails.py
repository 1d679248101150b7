"""Emails about reports on a past session: the other side hears of a report (and until when it may
answer), and both participants hear the decision. Each is one outbox message per participant."""

from __future__ import annotations

from django.conf import settings

from core.money import Money

from ..models import Booking, SessionDecision, SessionReport
from ..no_show_rules import report_window
from .emails import _send_to


def session_reported_email_send(*, booking_id: int, role: str) -> int:
    """Tell ``role`` (the side that did not report) what the other side reported and until when they may
    report their own view. Nothing once the case is decided (a late job says nothing out of date)."""
    booking = Booking.objects.select_related("learner", "expert__expert_profile").filter(pk=booking_id).first()
    if booking is None or SessionDecision.objects.filter(booking=booking).exists():
        return 0
    reporter_role = "expert" if role == "learner" else "learner"
    report = SessionReport.objects.filter(booking=booking, role=reporter_role).first()
    if report is None:
        return 0
    return _send_to(
        booking,
        role=role,
        template="session_reported",
        method="",
        extra={
            "report": report,
            "answer_until": booking.end + report_window(),
            "window_hours": settings.BOOKING_REPORT_WINDOW_HOURS,
        },
    )


def session_decision_email_send(*, booking_id: int, role: str) -> int:
    """Tell one participant how the reports were decided and what that means for the money."""
    booking = Booking.objects.select_related("learner", "expert__expert_profile").filter(pk=booking_id).first()
    decision = SessionDecision.objects.filter(booking_id=booking_id, settled_at__isnull=False).first()
    if booking is None or decision is None:
        return 0
    return _send_to(
        booking,
        role=role,
        template="session_decided",
        method="",
        extra={"decision": decision, "refund": Money(int(decision.refund_minor), booking.currency)},
    )
