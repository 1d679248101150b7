"""Six holds booked at once with the learner's last credit: exactly one is confirmed. The control run
switches the row locks off (``BILLING_CREDIT_LOCKING = False``) and spends one credit several times,
which shows the test can fail."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from billing.models import PackagePurchase, SessionCredit
from billing.services import packages as packages_module
from billing.services.packages import booking_book_with_credit
from bookings.models import Booking
from core.errors import ApplicationError
from tests.concurrency import delete_committed, in_own_connection
from tests.factories import ExpertUserFactory, UserFactory

from .builders import held

pytestmark = [pytest.mark.django_db, pytest.mark.race]

REQUESTS = 6


@pytest.fixture
def committed_holds():
    """Committed: a learner's paid package with one credit left, and six holds with the same expert."""

    def make():
        learner, expert = UserFactory(), ExpertUserFactory()
        now = timezone.now()
        purchase = PackagePurchase.objects.create(
            learner=learner,
            expert=expert,
            sessions_count=3,
            duration_minutes=60,
            price_minor=21_000,
            currency="EUR",
            validity_days=90,
            status=PackagePurchase.Status.PAID,
            paid_at=now,
            expires_at=now + timedelta(days=90),
        )
        SessionCredit.objects.bulk_create(
            [
                SessionCredit(purchase=purchase, number=1, value_minor=7000, status="refunded"),
                SessionCredit(purchase=purchase, number=2, value_minor=7000, status="refunded"),
                SessionCredit(purchase=purchase, number=3, value_minor=7000),
            ]
        )
        holds = [held(learner=learner, expert=expert, hours_ahead=2 * i) for i in range(REQUESTS)]
        return learner, expert, purchase, holds

    learner, expert, purchase, holds = in_own_connection(make)
    yield holds

    def clean():
        SessionCredit.objects.filter(purchase=purchase).delete()
        PackagePurchase.objects.filter(pk=purchase.pk).delete()
        delete_committed(bookings=holds, users=[learner, expert])

    in_own_connection(clean)


def book_at_once(holds) -> list[str]:
    barrier = threading.Barrier(len(holds))
    outcomes, lock = [], threading.Lock()

    def book(booking):
        try:
            barrier.wait()
            booking_book_with_credit(booking=booking)
            outcome = "ok"
        except ApplicationError as refused:
            outcome = refused.code
        except Exception as error:  # anything else breaks the promise
            outcome = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=book, args=(booking,)) for booking in holds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


def slow_confirm(monkeypatch):
    real = packages_module.booking_confirm

    def slow(**kwargs):
        time.sleep(0.2)  # the others read the credit meanwhile
        return real(**kwargs)

    monkeypatch.setattr(packages_module, "booking_confirm", slow)


def confirmed(holds) -> int:
    ids = [booking.pk for booking in holds]
    return in_own_connection(lambda: Booking.objects.filter(pk__in=ids, status=Booking.Status.CONFIRMED).count())


def test_six_bookings_with_the_last_credit_confirm_exactly_one(committed_holds, monkeypatch):
    slow_confirm(monkeypatch)
    outcomes = book_at_once(committed_holds)
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"no_credit", "busy"} and "no_credit" in outcomes
    assert confirmed(committed_holds) == 1


def test_control_without_the_locks_spends_one_credit_several_times(committed_holds, monkeypatch, settings):
    settings.BILLING_CREDIT_LOCKING = False
    slow_confirm(monkeypatch)
    outcomes = book_at_once(committed_holds)
    assert outcomes.count("ok") > 1  # the race was real
    assert confirmed(committed_holds) > 1
