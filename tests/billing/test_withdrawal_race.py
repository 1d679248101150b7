"""Twenty simultaneous withdrawals of 60 % of the balance: at most one goes through. The control run
switches the row lock off (``BILLING_WITHDRAWAL_LOCKING = False``) and overdraws, which shows the
test can fail."""

import threading
import time

import pytest
from django.db import connections

from billing.models import PayoutAccount, Withdrawal
from billing.selectors import expert_balances
from billing.services import withdrawals as withdrawals_module
from billing.services.earnings import earnings_release_due
from billing.services.withdrawals import withdrawal_request
from core.errors import ApplicationError
from tests.concurrency import delete_committed, in_own_connection

from .money_builders import past_paid_session, ready_payout_account

pytestmark = [pytest.mark.django_db, pytest.mark.race]

REQUESTS = 20


@pytest.fixture
def committed_expert():
    def make():
        payment = past_paid_session(ended_days_ago=9, amount=11_765)  # share 10 001
        earnings_release_due()
        ready_payout_account(payment.payee)
        return payment

    payment = in_own_connection(make)
    yield payment.payee

    def clean():
        Withdrawal.objects.filter(expert=payment.payee).delete()
        PayoutAccount.objects.filter(expert=payment.payee).delete()
        delete_committed(bookings=[payment.booking], users=[payment.payer, payment.payee])

    in_own_connection(clean)


def request_at_once(expert, amount) -> list[str]:
    barrier = threading.Barrier(REQUESTS)
    outcomes, lock = [], threading.Lock()

    def request():
        try:
            barrier.wait()
            withdrawal_request(expert=expert, amount_minor=amount, currency="EUR")
            outcome = "ok"
        except ApplicationError as refused:  # refused, or "busy, try again" after the lock timeout
            outcome = refused.code
        except Exception as error:  # anything else breaks the promise
            outcome = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=request) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


def slow_balance(monkeypatch):
    real = withdrawals_module.ledger_balance

    def slow(**kwargs):
        value = real(**kwargs)
        time.sleep(0.05)  # another request reads the same balance meanwhile
        return value

    monkeypatch.setattr(withdrawals_module, "ledger_balance", slow)


def available(expert) -> int:
    return in_own_connection(lambda: expert_balances(expert=expert)[0].available)


def test_twenty_requests_of_sixty_percent_let_exactly_one_through(committed_expert, monkeypatch):
    slow_balance(monkeypatch)
    outcomes = request_at_once(committed_expert, 6_000)
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"insufficient_funds", "busy"} and "insufficient_funds" in outcomes
    assert available(committed_expert) == 4_001


def test_control_without_the_lock_overdraws(committed_expert, monkeypatch, settings):
    settings.BILLING_WITHDRAWAL_LOCKING = False
    slow_balance(monkeypatch)
    outcomes = request_at_once(committed_expert, 6_000)
    assert outcomes.count("ok") > 1  # the race was real: without the lock the balance goes negative
    assert available(committed_expert) < 0
