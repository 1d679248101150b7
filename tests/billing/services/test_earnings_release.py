"""The scheduled release: pending shares become available once, only when the session is settled,
the hold period is over and nothing about it is in dispute."""

import pytest
from django.db import IntegrityError, transaction

from billing.models import LedgerAccount, LedgerTransaction, Payment, PlatformSettings
from billing.selectors import expert_balances
from billing.services.earnings import earnings_release_due
from billing.services.ledger import ledger_dispute_post, ledger_reverse
from billing.tasks import release_earnings
from bookings.models import Booking, SessionReport
from core.schedules import SCHEDULES
from tests.factories import ExpertUserFactory

from ..money_builders import ledger_totals_are_zero, no_expert_balance_negative, past_paid_session

pytestmark = pytest.mark.django_db


def balances(expert):
    (row,) = expert_balances(expert=expert)
    return row.pending, row.available


def test_the_job_is_in_the_list_of_periodic_jobs():
    assert any(job.func == "billing.tasks.release_earnings" for job in SCHEDULES)


def test_a_completed_session_past_the_hold_becomes_available_once():
    payment = past_paid_session(ended_days_ago=8)
    expert = payment.payee
    assert balances(expert) == (6_800, 0)
    assert release_earnings() == 1
    assert balances(expert) == (0, 6_800)
    assert release_earnings() == 0  # the second run books nothing
    assert earnings_release_due() == 0
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.RELEASE).count() == 1
    assert ledger_totals_are_zero() and no_expert_balance_negative()


def test_the_unique_reference_refuses_a_second_release_even_past_the_service():
    payment = past_paid_session(ended_days_ago=8)
    earnings_release_due()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerTransaction.objects.create(kind="release", reference=f"payment-{payment.pk}:release")


def test_not_before_the_hold_period_which_is_a_platform_setting():
    payment = past_paid_session(ended_days_ago=6)
    assert earnings_release_due() == 0
    settings = PlatformSettings.load()
    settings.hold_days = 5
    settings.save()
    assert earnings_release_due() == 1
    assert balances(payment.payee) == (0, 6_800)


@pytest.mark.parametrize(
    "status", [Booking.Status.CONFIRMED, Booking.Status.CANCELLED_BY_LEARNER, Booking.Status.NO_SHOW_EXPERT]
)
def test_not_for_a_session_that_is_not_settled_in_the_experts_favour(status):
    payment = past_paid_session(ended_days_ago=30, status=status)
    assert earnings_release_due() == 0
    assert balances(payment.payee) == (6_800, 0)


def test_a_learner_no_show_pays_the_expert():
    payment = past_paid_session(ended_days_ago=30, status=Booking.Status.NO_SHOW_LEARNER)
    assert earnings_release_due() == 1
    assert balances(payment.payee) == (0, 6_800)


def test_not_while_a_report_waits_for_staff_nor_while_the_payment_is_disputed():
    reported = past_paid_session(ended_days_ago=30)
    SessionReport.objects.create(
        booking=reported.booking, reporter=reported.payer, role="learner", kind="expert_absent"
    )
    disputed = past_paid_session(ended_days_ago=30)
    Payment.objects.filter(pk=disputed.pk).update(dispute_status=Payment.DisputeStatus.OPEN)
    assert earnings_release_due() == 0
    Payment.objects.filter(pk=disputed.pk).update(dispute_status=Payment.DisputeStatus.WON)
    assert earnings_release_due() == 1


def test_only_what_refunds_left_is_released_and_a_later_refund_comes_from_available():
    payment = past_paid_session(ended_days_ago=30)
    ledger_reverse(reference=payment.ledger_reference, refunded_total=4_000)  # expert gives back 3 400
    earnings_release_due()
    assert balances(payment.payee) == (0, 3_400)
    ledger_reverse(reference=payment.ledger_reference)  # staff refund the rest after the release
    assert balances(payment.payee) == (0, 0)
    assert ledger_totals_are_zero() and no_expert_balance_negative()


def test_a_dispute_after_the_release_comes_from_available_too():
    payment = past_paid_session(ended_days_ago=30)
    earnings_release_due()
    ledger_dispute_post(reference=payment.ledger_reference, dispute_id="dp_1", amount=8_000, reinstated=False)
    assert balances(payment.payee) == (0, 0)
    pending = LedgerAccount.objects.get(owner=payment.payee, kind="expert_pending")
    assert sum(pending.entries.values_list("amount", flat=True)) == 0


def test_each_expert_gets_their_own_share_and_the_ledger_balances():
    experts = [ExpertUserFactory() for _ in range(3)]
    for index, expert in enumerate(experts):
        for _ in range(index + 1):
            past_paid_session(expert=expert, ended_days_ago=9, amount=1_000 * (index + 1))
    assert earnings_release_due() == 6
    assert [balances(expert)[1] for expert in experts] == [850, 2 * 1_700, 3 * 2_550]
    assert ledger_totals_are_zero() and no_expert_balance_negative()
