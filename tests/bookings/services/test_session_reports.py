"""Reports on a past session and the rules that settle them (no money here: free sessions and the
expert-paid outcome; the refunds are in tests/billing/services/test_session_decisions.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from bookings import no_show_rules as rules
from bookings.errors import SessionReportError
from bookings.models import AttendanceEvent, Booking, SessionDecision, SessionReport
from bookings.services.attendance import attendance_join_record, record_provider_event
from bookings.services.lifecycle import booking_complete_past
from bookings.services.session_reports import session_decide, session_report_submit, session_reports_apply_due
from core.models import OutboxMessage
from tests.builders import booking_in_state
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
WINDOW = timedelta(hours=48)


@pytest.fixture
def ended():
    """A confirmed session that ended an hour ago (the completion job has not run yet)."""
    start = NOW - timedelta(hours=2)
    return booking_in_state(
        learner=UserFactory(full_name="Lena Learner"), expert=ExpertUserFactory(full_name="Ezra Expert"), start=start
    )


def decider():
    user = UserFactory(is_staff=True, full_name="Sam Staff")
    user.groups.add(Group.objects.get(name="Session reviewers"))
    return user


def report(booking, who, kind, now=NOW, text=""):
    return session_report_submit(booking=booking, by=who, kind=kind, text=text, now=now)


class TestSubmit:
    def test_a_learner_reports_the_expert_absent_and_the_expert_hears_of_it(self, ended):
        made = report(ended, ended.learner, "expert_absent", text="  Waited 20 minutes.  ")
        assert (made.role, made.kind, made.text) == ("learner", "expert_absent", "Waited 20 minutes.")
        message = OutboxMessage.objects.get(handler="bookings.tasks.send_session_reported")
        assert message.payload == {"booking_id": ended.pk, "role": "expert"}

    @pytest.mark.parametrize(
        ("who", "kind", "now", "code"),
        [
            ("learner", "expert_absent", NOW - timedelta(hours=1, minutes=30), "not_reportable"),  # still running
            ("learner", "expert_absent", NOW - timedelta(hours=1) + WINDOW, "window_closed"),
            ("stranger", "expert_absent", NOW, "not_participant"),
            ("learner", "learner_absent", NOW, "bad_kind"),  # only the other side claims an absence
            ("expert", "expert_absent", NOW, "bad_kind"),
            ("learner", "refund_me_twice", NOW, "bad_kind"),
        ],
    )
    def test_wrong_reports_are_refused_and_change_nothing(self, ended, who, kind, now, code):
        user = {"learner": ended.learner, "expert": ended.expert, "stranger": UserFactory()}[who]
        with pytest.raises(SessionReportError) as refused:
            report(ended, user, kind, now=now)
        assert refused.value.code == code and str(refused.value.message)
        assert not SessionReport.objects.exists() and not OutboxMessage.objects.exists()

    def test_once_per_participant_and_not_over_the_length_limit(self, ended):
        with pytest.raises(SessionReportError) as refused:
            report(ended, ended.learner, "technical", text="x" * 2001)
        assert refused.value.code == "text_too_long"
        report(ended, ended.learner, "technical")
        with pytest.raises(SessionReportError) as refused:
            report(ended, ended.learner, "expert_absent")
        assert refused.value.code == "twice"
        assert SessionReport.objects.count() == 1

    @pytest.mark.parametrize("status", [Booking.Status.CANCELLED_BY_LEARNER, Booking.Status.HELD])
    def test_a_session_that_was_never_held_cannot_be_reported(self, ended, status):
        Booking.objects.filter(pk=ended.pk).update(status=status, hold_expires_at=NOW)
        with pytest.raises(SessionReportError) as refused:
            report(ended, ended.learner, "expert_absent")
        assert refused.value.code == "not_reportable"


J, L = "joined", "learner"


class TestRules:
    @pytest.mark.parametrize(
        ("claims", "joined", "now", "state"),
        [
            ([], set(), NOW, rules.NONE),
            ([("learner", "expert_absent")], set(), NOW, rules.WAITING),
            ([("learner", "expert_absent")], {"learner"}, NOW, rules.WAITING),
            ([("learner", "expert_absent")], set(), NOW + WINDOW, rules.REFUND_LEARNER),
            ([("learner", "expert_absent")], {"expert"}, NOW + WINDOW, rules.CONTESTED),  # the log contradicts
            ([("expert", "learner_absent")], set(), NOW + WINDOW, rules.PAY_EXPERT),
            ([("expert", "learner_absent")], {"learner"}, NOW, rules.CONTESTED),
            ([("learner", "technical")], set(), NOW + WINDOW, rules.CONTESTED),
            ([("learner", "expert_absent"), ("expert", "learner_absent")], set(), NOW, rules.CONTESTED),
            ([("learner", "expert_absent"), ("expert", "technical")], set(), NOW + WINDOW, rules.CONTESTED),
        ],
    )
    def test_where_a_case_stands(self, claims, joined, now, state):
        got = rules.report_state(
            claims=[rules.Claim(role, kind) for role, kind in claims],
            joined=joined,
            decided=False,
            end=NOW,
            window=WINDOW,
            now=now,
        )
        assert got == state

    def test_a_decided_case_stays_decided(self):
        claims = [rules.Claim("learner", "expert_absent")]
        assert (
            rules.report_state(claims=claims, joined=set(), decided=True, end=NOW, window=WINDOW, now=NOW) == "decided"
        )


class TestApplyDue:
    def test_an_unanswered_learner_no_show_pays_the_expert_when_the_window_closes(self, ended, mailoutbox):
        report(ended, ended.expert, "learner_absent")
        assert session_reports_apply_due(now=NOW + timedelta(hours=46)) == 0  # the learner may still answer
        assert session_reports_apply_due(now=ended.end + WINDOW) == 1
        ended.refresh_from_db()
        decision = SessionDecision.objects.get()
        assert ended.status == Booking.Status.NO_SHOW_LEARNER
        assert (decision.outcome, decision.refund_minor, decision.decided_by) == ("pay_expert", 0, None)
        assert decision.settled_at is not None
        handlers = sorted(OutboxMessage.objects.values_list("handler", "payload__role"))
        assert handlers == [
            ("bookings.tasks.send_session_decision", "expert"),
            ("bookings.tasks.send_session_decision", "learner"),
            ("bookings.tasks.send_session_reported", "learner"),
        ]
        assert session_reports_apply_due(now=ended.end + WINDOW * 2) == 0  # once

    def test_a_free_session_whose_expert_never_came_ends_as_an_expert_no_show(self, ended):
        Booking.objects.filter(pk=ended.pk).update(amount_minor=0)
        attendance_join_record(booking=ended, user=ended.learner, now=ended.start)
        report(ended, ended.learner, "expert_absent")
        assert session_reports_apply_due(now=ended.end + WINDOW) == 1
        ended.refresh_from_db()
        assert ended.status == Booking.Status.NO_SHOW_EXPERT

    def test_a_claim_the_log_contradicts_waits_for_staff(self, ended):
        record_provider_event(
            booking=ended,
            email_or_user=ended.expert.email.upper(),
            kind="joined",
            at=ended.start + timedelta(minutes=2),
            source="zoom",
            external_id="evt-1",
        )
        report(ended, ended.learner, "expert_absent")
        assert session_reports_apply_due(now=ended.end + WINDOW) == 0
        ended.refresh_from_db()
        assert ended.status == Booking.Status.CONFIRMED and not SessionDecision.objects.exists()

    def test_the_completion_job_leaves_reported_sessions_alone(self, ended):
        quiet = booking_in_state(learner=UserFactory(), expert=ended.expert, start=NOW - timedelta(hours=5))
        report(ended, ended.learner, "technical")
        assert booking_complete_past(now=NOW) == 1
        ended.refresh_from_db()
        quiet.refresh_from_db()
        assert ended.status == Booking.Status.CONFIRMED and quiet.status == Booking.Status.COMPLETED

    def test_a_report_after_completion_still_counts(self, ended):
        booking_complete_past(now=NOW)
        ended.refresh_from_db()
        report(ended, ended.expert, "learner_absent")
        assert session_reports_apply_due(now=ended.end + WINDOW) == 1
        ended.refresh_from_db()
        assert ended.status == Booking.Status.NO_SHOW_LEARNER


class TestStaffDecision:
    def test_staff_without_the_permission_cannot_decide(self, ended):
        report(ended, ended.learner, "technical")
        with pytest.raises(SessionReportError) as refused:
            session_decide(booking=ended, outcome="pay_expert", by=UserFactory(is_staff=True), reason="ok", now=NOW)
        assert refused.value.code == "forbidden" and not SessionDecision.objects.exists()

    @pytest.mark.parametrize(
        ("outcome", "percent", "reason", "code"),
        [
            ("pay_expert", None, "   ", "no_reason"),
            ("split", None, "half", "bad_percent"),
            ("split", 100, "all", "bad_percent"),
            ("split", 0, "none", "bad_percent"),
            ("refund_everyone", None, "why not", "bad_outcome"),
        ],
    )
    def test_a_decision_needs_a_reason_and_a_fitting_share(self, ended, outcome, percent, reason, code):
        report(ended, ended.learner, "technical")
        with pytest.raises(SessionReportError) as refused:
            session_decide(booking=ended, outcome=outcome, refund_percent=percent, by=decider(), reason=reason)
        assert refused.value.code == code and not SessionDecision.objects.exists()

    def test_decided_once_and_only_when_reported(self, ended):
        staff = decider()
        with pytest.raises(SessionReportError) as refused:
            session_decide(booking=ended, outcome="pay_expert", by=staff, reason="nothing to decide")
        assert refused.value.code == "no_report"
        report(ended, ended.learner, "technical")
        session_decide(booking=ended, outcome="pay_expert", by=staff, reason="The recording shows the session.")
        with pytest.raises(SessionReportError) as refused:
            session_decide(booking=ended, outcome="refund_learner", by=staff, reason="changed my mind")
        assert refused.value.code == "decided"
        ended.refresh_from_db()
        assert ended.status == Booking.Status.COMPLETED  # a technical problem, paid: the session counts as held
        with pytest.raises(SessionReportError) as refused:
            report(ended, ended.expert, "technical")
        assert refused.value.code == "decided"


class TestAttendance:
    def test_a_provider_event_is_logged_once_and_matched_by_email(self, ended):
        first = record_provider_event(
            booking=ended,
            email_or_user=ended.learner.email.upper(),
            kind="joined",
            at=ended.start,
            source="zoom",
            external_id="evt-7",
        )
        again = record_provider_event(
            booking=ended, email_or_user="x@example.com", kind="left", at=ended.end, source="zoom", external_id="evt-7"
        )
        assert again.pk == first.pk and first.user_id == ended.learner_id
        guest = record_provider_event(
            booking=ended,
            email_or_user="guest@example.com",
            kind="joined",
            at=ended.start,
            source="zoom",
            external_id="e8",
        )
        stranger = record_provider_event(
            booking=ended, email_or_user=UserFactory(), kind="joined", at=ended.start, source="zoom", external_id="e9"
        )
        assert guest.user_id is None and stranger.user_id is None
        assert AttendanceEvent.objects.count() == 3

    @pytest.mark.parametrize(
        ("kind", "source", "external_id", "at", "code"),
        [
            ("waved", "zoom", "e1", NOW, "bad_kind"),
            ("joined", "link", "e1", NOW, "bad_source"),  # our own joins are logged by the join view only
            ("joined", "", "e1", NOW, "bad_source"),
            ("joined", "zoom", "", NOW, "bad_external_id"),
            ("joined", "zoom", "e" * 201, NOW, "bad_external_id"),
            ("joined", "zoom", "e1", NOW.replace(tzinfo=None), "bad_time"),
        ],
    )
    def test_events_that_cannot_be_logged_are_refused(self, ended, kind, source, external_id, at, code):
        with pytest.raises(SessionReportError) as refused:
            record_provider_event(
                booking=ended, email_or_user=ended.learner, kind=kind, at=at, source=source, external_id=external_id
            )
        assert refused.value.code == code and not AttendanceEvent.objects.exists()
