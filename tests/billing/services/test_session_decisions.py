"""The money of a decision on a reported session, on the loopback Stripe server: an expert no-show
refunds the learner in full, a learner no-show pays the expert, staff may split; never twice."""

import threading
from datetime import timedelta

import pytest
import stripe
from django.contrib.auth.models import Group
from django.db import connections
from django.utils import timezone

from billing.models import Payment
from billing.selectors import ledger_balances_for_owner, ledger_platform_balances, ledger_totals_by_currency
from billing.services.session_decisions import session_decision_refund
from bookings.errors import SessionReportError
from bookings.models import Booking, SessionDecision, SessionReport
from bookings.services.attendance import attendance_join_record
from bookings.services.session_reports import session_decide, session_report_submit, session_reports_apply_due
from core.models import OutboxMessage
from tests.builders import booking_in_state
from tests.concurrency import in_own_connection
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = "sk_test_TapTimeLocalOnly0000000000000000"
WINDOW = timedelta(hours=48)


def refunds_on_stripe(payment):
    return [
        (item["amount"], item["status"])
        for item in stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]
    ]


@pytest.fixture
def past(paid):
    """Grace's paid EUR 80 session with Ada, moved to have ended an hour ago."""
    start = timezone.now() - timedelta(hours=2)
    Booking.objects.filter(pk=paid.pk).update(start=start, end=start + timedelta(hours=1))
    paid.refresh_from_db()
    return paid


def decider():
    user = UserFactory(is_staff=True, full_name="Sam Staff")
    user.groups.add(Group.objects.get(name="Session reviewers"))
    return user


def test_an_uncontested_expert_no_show_refunds_the_learner_in_full(
    past, ada, django_capture_on_commit_callbacks, mailoutbox
):
    attendance_join_record(booking=past, user=past.learner, now=past.start + timedelta(minutes=1))
    session_report_submit(booking=past, by=past.learner, kind="expert_absent", text="Nobody came.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert session_reports_apply_due(now=past.end + WINDOW) == 1

    past.refresh_from_db()
    payment = Payment.objects.get(booking=past)
    assert past.status == Booking.Status.NO_SHOW_EXPERT
    assert payment.status == Payment.Status.REFUNDED and refunds_on_stripe(payment) == [(8000, "succeeded")]
    assert ledger_balances_for_owner(owner=ada.user) == {("expert_pending", "EUR"): 0}
    assert ledger_platform_balances()[("platform_revenue", "EUR")] == 0
    assert ledger_totals_by_currency() == {"EUR": 0}
    assert SessionDecision.objects.get().settled_at is not None
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert "Refund the learner in full" in bodies[past.learner.email]
    assert "€80.00 back" in bodies[past.expert.email]


def test_a_learner_no_show_pays_the_expert_as_a_completed_session(past, ada, django_capture_on_commit_callbacks):
    before = ledger_balances_for_owner(owner=ada.user)
    session_report_submit(booking=past, by=past.expert, kind="learner_absent")
    with django_capture_on_commit_callbacks(execute=True):
        assert session_reports_apply_due(now=past.end + WINDOW) == 1
    past.refresh_from_db()
    payment = Payment.objects.get(booking=past)
    assert past.status == Booking.Status.NO_SHOW_LEARNER
    assert payment.status == Payment.Status.SUCCEEDED and payment.refunded_minor == 0
    assert refunds_on_stripe(payment) == []
    assert ledger_balances_for_owner(owner=ada.user) == before and before[("expert_pending", "EUR")] > 0


def test_staff_split_refunds_that_share_and_the_ledger_splits_the_rest(
    past, ada, django_capture_on_commit_callbacks, mailoutbox
):
    expert_before = ledger_balances_for_owner(owner=ada.user)[("expert_pending", "EUR")]
    fee_before = ledger_platform_balances()[("platform_revenue", "EUR")]
    session_report_submit(booking=past, by=past.learner, kind="expert_absent")
    session_report_submit(booking=past, by=past.expert, kind="technical", text="My connection dropped.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_decide(booking=past, outcome="split", refund_percent=30, by=decider(), reason="Half the hour was lost.")

    past.refresh_from_db()
    payment = Payment.objects.get(booking=past)
    assert past.status == Booking.Status.COMPLETED
    assert payment.status == Payment.Status.SUCCEEDED and payment.refunded_minor == 2400
    assert refunds_on_stripe(payment) == [(2400, "succeeded")]
    expert_after = ledger_balances_for_owner(owner=ada.user)[("expert_pending", "EUR")]
    fee_after = ledger_platform_balances()[("platform_revenue", "EUR")]
    # 30 % of each share goes back: the refund is taken from both in the payment's proportions.
    assert (expert_before - expert_after) + (fee_before - fee_after) == 2400
    assert (expert_after, fee_after) == (expert_before * 70 // 100, fee_before * 70 // 100)
    assert ledger_totals_by_currency() == {"EUR": 0}
    # The decision to both, and the learner's refund receipt (with its PDF).
    receipts = [message for message in mailoutbox if message.attachments]
    assert [message.to[0] for message in receipts] == [past.learner.email]
    assert "Refund receipt" in receipts[0].subject
    decisions = [message for message in mailoutbox if not message.attachments]
    assert sorted(message.to[0] for message in decisions) == sorted([past.learner.email, past.expert.email])


def test_a_second_decision_or_a_repeated_refund_never_refunds_twice(past, django_capture_on_commit_callbacks):
    session_report_submit(booking=past, by=past.learner, kind="technical")
    staff = decider()
    with django_capture_on_commit_callbacks(execute=True):
        session_decide(booking=past, outcome="refund_learner", by=staff, reason="Room never opened.")
    with pytest.raises(SessionReportError) as refused:
        session_decide(booking=past, outcome="refund_learner", by=staff, reason="Pressed again.")
    assert refused.value.code == "decided"
    assert session_decision_refund(booking_id=past.pk) is None  # a replayed outbox message: settled, nothing to do
    SessionDecision.objects.update(settled_at=None)  # as if the worker died after Stripe answered
    session_decision_refund(booking_id=past.pk)
    payment = Payment.objects.get(booking=past)
    assert refunds_on_stripe(payment) == [(8000, "succeeded")]
    assert payment.status == Payment.Status.REFUNDED and ledger_totals_by_currency() == {"EUR": 0}


# --- Two staff members press at once ----------------------------------------------------------


@pytest.fixture
def committed_case(db):
    """A reported EUR 80 session and four deciders, committed so parallel connections see them."""

    def make():
        start = timezone.now() - timedelta(hours=3)
        booking = booking_in_state(learner=UserFactory(), expert=ExpertUserFactory(), start=start)
        SessionReport.objects.create(booking=booking, reporter=booking.learner, role="learner", kind="technical")
        staff = []
        for _ in range(4):
            user = UserFactory(is_staff=True)
            user.groups.add(Group.objects.get(name="Session reviewers"))
            staff.append(user)
        return booking, staff

    booking, staff = in_own_connection(make)
    yield booking, staff

    def clean():
        OutboxMessage.objects.filter(dedupe_key__startswith=f"booking-{booking.pk}-").delete()
        Booking.objects.filter(pk=booking.pk).delete()
        for user in [booking.learner, booking.expert, *staff]:
            user.emailaddress_set.all().delete()
            user.delete()

    in_own_connection(clean)


@pytest.mark.race
def test_parallel_decisions_record_one_and_queue_one_refund(committed_case, settings):
    settings.OUTBOX_NUDGE = False  # the queued refund is counted here, not run
    booking, staff = committed_case
    barrier = threading.Barrier(len(staff))
    results, lock = [], threading.Lock()

    def attempt(user):
        try:
            barrier.wait()
            session_decide(booking=booking, outcome="refund_learner", by=user, reason="Race")
            outcome = "ok"
        except SessionReportError as refused:
            outcome = refused.code
        except Exception as error:  # an IntegrityError would be a 500 for the second staff member
            outcome = repr(error)
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == ["decided"] * (len(staff) - 1) + ["ok"]
    assert in_own_connection(lambda: SessionDecision.objects.filter(booking_id=booking.pk).count()) == 1
    refunds = in_own_connection(
        lambda: OutboxMessage.objects.filter(
            handler="billing.tasks.session_decision_refund", payload__booking_id=booking.pk
        ).count()
    )
    assert refunds == 1
