"""Paying twice at once: six simultaneous submissions of one hold's pay form, on committed rows.

Each submission is a real request (Django's test client, one thread and one
database connection each) released together by a barrier, against the loopback
Stripe server, which ignores idempotency keys: every call that reaches it makes
a new PaymentIntent. The payment server is slowed a little so the other
submissions arrive while the first is in flight.

Locked run: no answer is a 500 (before, most trials raised IntegrityError on the
payment's idempotency key), every submission lands on the booking page, one
payment row exists and exactly one PaymentIntent was created and paid.

Control run: the booking's lock and the wait switched off
(``BILLING_PAYMENT_LOCKING = False``): the submissions reach Stripe together and
several charges succeed for one booking, which proves this test can see a double
charge. The reconciliation job then refunds every paid intent no payment row
owns, leaving exactly one charge.
"""

import threading
import time
from datetime import timedelta

import pytest
import stripe
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from billing.gateways.stripe import StripeGateway
from billing.models import Payment
from billing.services.reconciliation import payment_intents_reconcile
from bookings.models import Booking
from tests.builders import bookable_expert, held_booking
from tests.concurrency import delete_committed, in_own_connection
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = [pytest.mark.django_db, pytest.mark.race]

SUBMISSIONS = 6


@pytest.fixture
def committed_hold(stripe_server):
    def make():
        return held_booking(learner=UserFactory(), session_type=bookable_expert(), start=next_monday_nine_berlin())

    booking = in_own_connection(make)
    yield booking
    in_own_connection(lambda: delete_committed(bookings=[booking], users=[booking.learner, booking.expert]))


def submit_at_once(booking, monkeypatch) -> list:
    real_create = StripeGateway.create_payment_intent

    def slow_create(self, **kwargs):
        time.sleep(0.3)  # a payment server that takes a moment
        return real_create(self, **kwargs)

    monkeypatch.setattr(StripeGateway, "create_payment_intent", slow_create)
    barrier = threading.Barrier(SUBMISSIONS)
    answers, lock = [], threading.Lock()
    url = reverse("booking_review", kwargs={"pk": booking.pk})

    def submit():
        client = Client()
        try:
            client.force_login(booking.learner)
            barrier.wait()
            response = client.post(url, {"test_card": "success", "goals_note": ""})
            answer = (response.status_code, response.get("Location"))
        except Exception as error:  # a server error would be a failure of the promise
            answer = ("error", repr(error))
        finally:
            connections.close_all()
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=submit) for _ in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def paid_intents(booking) -> list[dict]:
    """The booking's succeeded PaymentIntents at the payment server that were not refunded."""
    key = settings.STRIPE_TEST_SECRET_KEY
    found = []
    for intent in stripe.PaymentIntent.list(limit=100, api_key=key).auto_paging_iter():
        if intent["metadata"].get("booking_ref") != booking.reference or intent["status"] != "succeeded":
            continue
        refunds = stripe.Refund.list(payment_intent=intent["id"], api_key=key)["data"]
        if sum(refund["amount"] for refund in refunds) < intent["amount"]:
            found.append(intent)
    return found


def test_six_submissions_at_once_charge_once_and_none_fails(committed_hold, monkeypatch):
    booking = committed_hold
    answers = submit_at_once(booking, monkeypatch)
    detail = reverse("booking_detail", kwargs={"pk": booking.pk})
    assert answers == [(302, detail)] * SUBMISSIONS
    (payment,) = Payment.objects.filter(booking=booking)
    assert payment.status == Payment.Status.SUCCEEDED
    assert [intent["id"] for intent in paid_intents(booking)] == [payment.stripe_payment_intent_id]
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def test_control_without_the_lock_charges_several_times_and_reconciliation_refunds_the_extra(
    committed_hold, monkeypatch, settings
):
    settings.BILLING_PAYMENT_LOCKING = False
    booking = committed_hold
    answers = submit_at_once(booking, monkeypatch)
    assert all(status != "error" and status < 500 for status, _location in answers)
    assert len(paid_intents(booking)) > 1  # the race reached the payment server: this test can fail
    (payment,) = Payment.objects.filter(booking=booking)
    result = payment_intents_reconcile(grace=timedelta(0))
    assert payment.stripe_payment_intent_id not in result.refunded and result.failed == []
    assert [intent["id"] for intent in paid_intents(booking)] == [payment.stripe_payment_intent_id]
