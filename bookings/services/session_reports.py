"""Reports on a past session, and the decision that settles them (by the rules or by staff).

Where a case stands is ``bookings.no_show_rules.report_state``; this module writes. Every write
takes the booking's row lock first and rereads, so a report, the rules' job and a staff decision
never interleave. The decision is recorded once (``SessionDecision.booking`` is one-to-one: a
second decision, or two staff members pressing at once, is refused by the lock and, behind it, the
database). A decision that gives the learner money back sends ``session_refund_due`` in its
transaction: billing writes the refund to the outbox there, refunds (idempotency key from the
payment and the amount) and then calls ``session_decision_settle``; a decision that refunds
nothing is settled at once. Settling sets the booking's final status and emails both participants
through the outbox; the money that is not refunded stays with the expert as for a completed session.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.locking import locked_transaction
from core.outbox import outbox_enqueue

from .. import no_show_rules as rules
from ..errors import SessionReportError
from ..models import AttendanceEvent, Booking, SessionDecision, SessionReport
from ..signals import session_refund_due

DECIDE_PERMISSION = "bookings.decide_sessionreport"
LOG_DECIDE = "bookings.session_report.decide"
REASON_MAX_LENGTH = 2000


def _state_locked(locked: Booking, *, now: datetime) -> str:
    return rules.booking_report_state(
        booking=locked,
        reports=list(SessionReport.objects.filter(booking=locked)),
        events=list(AttendanceEvent.objects.filter(booking=locked)),
        decided=SessionDecision.objects.filter(booking=locked).exists(),
        now=now,
    )


def session_report_submit(
    *, booking: Booking, by, kind: str, text: str = "", now: datetime | None = None
) -> SessionReport:
    """A participant reports a problem with a past session, once, inside the report window.

    Only the other side can claim someone's absence: a learner may report the expert absent, an
    expert the learner; either may report a technical problem. Raises ``SessionReportError`` for a
    stranger, a session that has not ended or whose window closed, a kind that is not theirs, a
    second report, a text over the limit, or a case already decided.
    """
    now = now or timezone.now()
    text = (text or "").strip()
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        role = {locked.learner_id: SessionReport.Role.LEARNER, locked.expert_id: SessionReport.Role.EXPERT}.get(
            getattr(by, "pk", None)
        )
        if role is None:
            raise SessionReportError(
                _("Only the learner and the expert of a session can report on it."), code="not_participant"
            )
        if locked.status not in rules.REPORTABLE or now < locked.end:
            raise SessionReportError(_("A problem can be reported once the session has ended."), code="not_reportable")
        if not rules.report_window_open(end=locked.end, window=rules.report_window(), now=now):
            raise SessionReportError(
                _("Problems can be reported up to %(hours)d hours after the session; that time has passed.")
                % {"hours": settings.BOOKING_REPORT_WINDOW_HOURS},
                code="window_closed",
            )
        if kind not in SessionReport.KINDS_BY_ROLE[role]:
            raise SessionReportError(_("Please choose one of the problems listed."), code="bad_kind")
        if len(text) > SessionReport.TEXT_MAX_LENGTH:
            raise SessionReportError(
                _("Please keep the description under %(n)d characters.") % {"n": SessionReport.TEXT_MAX_LENGTH},
                code="text_too_long",
            )
        if SessionDecision.objects.filter(booking=locked).exists():
            raise SessionReportError(_("This session's reports have already been decided."), code="decided")
        if SessionReport.objects.filter(booking=locked, reporter_id=by.pk).exists():
            raise SessionReportError(_("You have already reported a problem with this session."), code="twice")
        try:
            report = SessionReport.objects.create(booking=locked, reporter=by, role=role, kind=kind, text=text)
        except IntegrityError:  # pragma: no cover - the lock above serialises reports on one booking
            raise SessionReportError(
                _("You have already reported a problem with this session."), code="twice"
            ) from None
        other = "expert" if role == SessionReport.Role.LEARNER else "learner"
        outbox_enqueue(
            app_label="bookings",
            handler="bookings.tasks.send_session_reported",
            payload={"booking_id": locked.pk, "role": other},
            dedupe_key=f"booking-{locked.pk}-reported-by-{role}",
        )
        return report


def _refund_for(booking: Booking, percent: int) -> int:
    """The learner's share of the price; rounds down (the odd minor unit stays with the expert)."""
    return int(booking.amount_minor) * percent // 100


def session_decide(
    *, booking: Booking, outcome: str, by, reason: str, refund_percent: int | None = None, now: datetime | None = None
) -> SessionDecision:
    """Staff decide a reported session: refund the learner in full, pay the expert, or split (the
    learner gets ``refund_percent`` back, 1-99). Once: a second decision is refused. Needs
    ``bookings.decide_sessionreport`` and a reason; logged in Wagtail's log for the audit.
    """
    now = now or timezone.now()
    if not getattr(by, "is_authenticated", False) or not by.has_perm(DECIDE_PERMISSION):
        raise SessionReportError(_("You may not decide session reports."), code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise SessionReportError(_("Please give the reason for the decision."), code="no_reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise SessionReportError(
            _("Please keep the reason under %(n)d characters.") % {"n": REASON_MAX_LENGTH}, code="reason_too_long"
        )
    if outcome == SessionDecision.Outcome.REFUND_LEARNER:
        percent = 100
    elif outcome == SessionDecision.Outcome.PAY_EXPERT:
        percent = 0
    elif outcome == SessionDecision.Outcome.SPLIT:
        if not isinstance(refund_percent, int) or isinstance(refund_percent, bool) or not 0 < refund_percent < 100:
            raise SessionReportError(_("A split gives the learner between 1 and 99 percent back."), code="bad_percent")
        percent = refund_percent
    else:
        raise SessionReportError(_("Please choose one of the decisions offered."), code="bad_outcome")
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        state = _state_locked(locked, now=now)
        if state == rules.DECIDED:
            raise SessionReportError(_("This session has already been decided."), code="decided")
        if state == rules.NONE:
            raise SessionReportError(_("Nobody reported a problem with this session."), code="no_report")
        decision = _decision_record(locked, outcome=outcome, percent=percent, reason=reason, by=by, now=now)
        log(instance=locked, action=LOG_DECIDE, user=by, data={"outcome": outcome, "refund_percent": percent})
        return decision


def session_reports_apply_due(*, now: datetime | None = None) -> int:
    """The periodic job: uncontested no-show reports whose window has closed are applied by the rules.

    Reads only reported sessions that ended before the window and have no decision; each is
    rechecked under its lock, so a run that overlaps another, or a staff decision, changes nothing
    twice. Contested cases are left for staff. Returns how many were decided.
    """
    now = now or timezone.now()
    due = (
        Booking.objects.filter(Exists(SessionReport.objects.filter(booking=OuterRef("pk"))))
        .filter(end__lte=now - rules.report_window(), session_decision__isnull=True)
        .values_list("pk", flat=True)
    )
    decided = 0
    for pk in list(due):
        with locked_transaction():
            locked = Booking.objects.select_for_update().get(pk=pk)
            state = _state_locked(locked, now=now)
            if state == rules.REFUND_LEARNER:
                reason = "The learner reported the expert absent; no join by the expert; unanswered in the window."
                _decision_record(locked, outcome=state, percent=100, reason=reason, by=None, now=now)
            elif state == rules.PAY_EXPERT:
                reason = "The expert reported the learner absent; no join by the learner; unanswered in the window."
                _decision_record(locked, outcome=state, percent=0, reason=reason, by=None, now=now)
            else:
                continue
            decided += 1
    return decided


def _decision_record(
    locked: Booking, *, outcome: str, percent: int, reason: str, by, now: datetime, absent: str = ""
) -> SessionDecision:
    """Under the booking's lock: write the decision; refunds go to billing, the rest settles now."""
    decision = SessionDecision.objects.create(
        booking=locked,
        absent=absent,
        outcome=outcome,
        refund_percent=percent,
        refund_minor=_refund_for(locked, percent),
        reason=reason,
        decided_by=by,
        decided_at=now,
    )
    if decision.refund_minor > 0:
        session_refund_due.send(sender=Booking, booking=locked, decision=decision)
    else:
        _settle(locked, decision, now=now)
    return decision


def session_decision_settle(*, booking: Booking, now: datetime | None = None) -> Booking:
    """After the decision's refund went through (billing calls this): the final status and both emails.

    Idempotent: a settled decision is left as it is.
    """
    now = now or timezone.now()
    with locked_transaction():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        decision = SessionDecision.objects.filter(booking=locked).first()
        if decision is not None and decision.settled_at is None:
            _settle(locked, decision, now=now)
        return locked


def _settle(locked: Booking, decision: SessionDecision, *, now: datetime) -> None:
    kinds = set(SessionReport.objects.filter(booking=locked).values_list("kind", flat=True))
    if decision.absent == SessionReport.Role.EXPERT:
        status = Booking.Status.NO_SHOW_EXPERT
    elif decision.absent == SessionReport.Role.LEARNER:
        status = Booking.Status.NO_SHOW_LEARNER
    elif decision.outcome == SessionDecision.Outcome.REFUND_LEARNER and SessionReport.Kind.EXPERT_ABSENT in kinds:
        status = Booking.Status.NO_SHOW_EXPERT
    elif decision.outcome == SessionDecision.Outcome.PAY_EXPERT and SessionReport.Kind.LEARNER_ABSENT in kinds:
        status = Booking.Status.NO_SHOW_LEARNER
    else:
        status = Booking.Status.COMPLETED  # the session counts as held; a split or a goodwill refund on top
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    decision.settled_at = now
    decision.save(update_fields=["settled_at"])
    for role in ("learner", "expert"):
        outbox_enqueue(
            app_label="bookings",
            handler="bookings.tasks.send_session_decision",
            payload={"booking_id": locked.pk, "role": role},
            dedupe_key=f"booking-{locked.pk}-decided-{role}",
        )
