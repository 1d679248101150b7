"""Where the reports on a past session stand: ``report_state`` is a pure function of the reports,
the attendance log, the decision and the clock (no ORM, no settings), so every screen, the job and
the services agree; ``booking_report_state`` feeds it a booking's rows.

The rules (decision log, "uncontested"):

- no report: nothing to decide; the completion job completes the session as before;
- a decision exists: decided (once; it never changes);
- a "technical problem" from either side, or reports from both sides (each side may only claim
  the *other* side's absence, so two reports always disagree): contested, for staff;
- one absence claim that the attendance log contradicts (the absent side has a "joined" event
  before the end, through our link or a provider): contested, for staff;
- one absence claim the log does not contradict: the other side may answer until the report
  window closes (``waiting``); once it has closed unanswered the claim is uncontested and the
  rules apply it: an absent expert refunds the learner in full, an absent learner pays the expert.

A claim is never applied before the window closes, even when the log looks unambiguous: a
participant who opened the room from the raw room address (a calendar entry, a bookmark) leaves
no "joined" row, and must get the chance to say so before money moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from .models import AttendanceEvent, Booking

NONE = "none"
WAITING = "waiting"
CONTESTED = "contested"
REFUND_LEARNER = "refund_learner"
PAY_EXPERT = "pay_expert"
DECIDED = "decided"

# Report kinds (``SessionReport.Kind``), repeated here so this module stays free of the ORM.
EXPERT_ABSENT = "expert_absent"
LEARNER_ABSENT = "learner_absent"
TECHNICAL = "technical"


@dataclass(frozen=True)
class Claim:
    role: str  # "learner" or "expert"
    kind: str


def report_window_closes(*, end: datetime, window: timedelta) -> datetime:
    return end + window


def report_window_open(*, end: datetime, window: timedelta, now: datetime) -> bool:
    """Reports are taken from the end of the session until ``window`` after it."""
    return end <= now < end + window


def report_state(
    *,
    claims: Iterable[Claim],
    joined: set[str],
    decided: bool,
    end: datetime,
    window: timedelta,
    now: datetime,
) -> str:
    """``joined``: the roles ("learner", "expert") with a "joined" event before the end."""
    claims = list(claims)
    if decided:
        return DECIDED
    if not claims:
        return NONE
    if len(claims) > 1 or any(claim.kind == TECHNICAL for claim in claims):
        return CONTESTED
    (claim,) = claims
    absent = "expert" if claim.kind == EXPERT_ABSENT else "learner"
    if absent in joined:
        return CONTESTED
    if report_window_open(end=end, window=window, now=now):
        return WAITING
    return REFUND_LEARNER if absent == "expert" else PAY_EXPERT


# The statuses a past session may be reported in: ended but not yet completed by the job, or completed.
REPORTABLE = (Booking.Status.CONFIRMED, Booking.Status.COMPLETED)


def report_window() -> timedelta:
    return timedelta(hours=settings.BOOKING_REPORT_WINDOW_HOURS)


def booking_report_state(*, booking: Booking, reports, events, decided: bool, now: datetime) -> str:
    """Where ``booking``'s reports stand, from rows already loaded (no query)."""
    roles = {booking.learner_id: "learner", booking.expert_id: "expert"}
    joined = {
        roles[event.user_id]
        for event in events
        if event.kind == AttendanceEvent.Kind.JOINED and event.user_id in roles and event.at < booking.end
    }
    return report_state(
        claims=[Claim(role=report.role, kind=report.kind) for report in reports],
        joined=joined,
        decided=decided,
        end=booking.end,
        window=report_window(),
        now=now,
    )
