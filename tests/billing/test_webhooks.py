"""Stripe webhooks end to end through dj-stripe's endpoint, with signed payloads built here.

``responses`` stands in for the Stripe API that both dj-stripe and our
services call back to (they re-read the object instead of trusting the event).
"""

import json
import random
import time
from datetime import timedelta

import pytest
import responses
from django.utils import timezone
from djstripe.models import Event

from billing.models import LedgerTransaction, Payment
from billing.signals import payment_failed, payment_succeeded
from bookings.models import Booking
from core.models import OutboxMessage
from marketplace.models import ExpertProfile
from tests.factories import ExpertUserFactory, UserFactory

from .money_builders import not_receipts
from .webhook_payloads import API, URL, booking_with_payment, deliver, event, intent, refund_list


@pytest.fixture
def payment(db):
    return Payment.objects.create(
        reference="booking-1",
        payee=ExpertUserFactory(),
        amount_minor=4_500,
        currency="EUR",
        commission_rate_bp=1500,
        idempotency_key="booking-1-pi-v1",
        stripe_payment_intent_id="pi_one",
    )


@pytest.fixture
def received():
    calls = {"succeeded": [], "failed": []}

    def on_success(sender, payment, **kwargs):
        calls["succeeded"].append(payment.pk)

    def on_failure(sender, payment, **kwargs):
        calls["failed"].append(payment.pk)

    payment_succeeded.connect(on_success)
    payment_failed.connect(on_failure)
    yield calls
    payment_succeeded.disconnect(on_success)
    payment_failed.disconnect(on_failure)


def test_bad_signature_is_refused_and_changes_nothing(client, stripe_api, payment, received):
    stripe_api.get(f"{API}/v1/payment_intents/pi_one", json=intent("pi_one", "succeeded"))
    payload = event("evt_bad", "payment_intent.succeeded", intent("pi_one", "succeeded"))
    assert deliver(client, payload, secret="whsec_wrong").status_code == 400
    assert deliver(client, payload, timestamp=int(time.time()) - 3600).status_code == 400  # replayed too late
    body = json.dumps(payload)
    assert client.post(URL, data=body, content_type="application/json").status_code == 400  # unsigned
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not LedgerTransaction.objects.exists() and not Event.objects.exists()
    assert received == {"succeeded": [], "failed": []}


def test_duplicated_shuffled_events_confirm_once(client, stripe_api, payment, received):
    # Stripe's current state is "succeeded", whatever order the events arrive in.
    stripe_api.get(f"{API}/v1/payment_intents/pi_one", json=intent("pi_one", "succeeded"))
    stripe_api.get(f"{API}/v1/refunds", json={"object": "list", "data": [], "has_more": False, "url": "/v1/refunds"})
    events = [
        event(
            "evt_fail", "payment_intent.payment_failed", intent("pi_one", "requires_payment_method", error="Declined")
        ),
        event("evt_ok", "payment_intent.succeeded", intent("pi_one", "succeeded")),
    ] * 5
    random.Random(5).shuffle(events)
    for payload in events:
        assert deliver(client, payload).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert LedgerTransaction.objects.filter(reference=payment.ledger_reference).count() == 1
    assert received["succeeded"] == [payment.pk]
    assert Event.objects.count() == 2


def test_failure_after_success_does_not_unconfirm(client, stripe_api, payment, received):
    stripe_api.get(f"{API}/v1/payment_intents/pi_one", json=intent("pi_one", "succeeded"))
    assert (
        deliver(client, event("evt_ok", "payment_intent.succeeded", intent("pi_one", "succeeded"))).status_code == 200
    )
    # Stripe now (wrongly, or from a stale replica) reports a failure.
    stripe_api.replace(
        responses.GET,
        f"{API}/v1/payment_intents/pi_one",
        json=intent("pi_one", "requires_payment_method", error="Declined"),
    )
    late = event(
        "evt_late_fail", "payment_intent.payment_failed", intent("pi_one", "requires_payment_method", error="Declined")
    )
    assert deliver(client, late).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert received == {"succeeded": [payment.pk], "failed": []}


def test_failure_releases_and_a_later_success_still_confirms(client, stripe_api, payment, received):
    stripe_api.get(
        f"{API}/v1/payment_intents/pi_one", json=intent("pi_one", "requires_payment_method", error="Declined")
    )
    failed = event(
        "evt_f", "payment_intent.payment_failed", intent("pi_one", "requires_payment_method", error="Declined")
    )
    assert deliver(client, failed).status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.last_error) == (Payment.Status.FAILED, "Declined")
    assert received["failed"] == [payment.pk] and not LedgerTransaction.objects.exists()
    # The learner retries on the same intent and it succeeds.
    stripe_api.replace(responses.GET, f"{API}/v1/payment_intents/pi_one", json=intent("pi_one", "succeeded"))
    assert deliver(client, event("evt_s", "payment_intent.succeeded", intent("pi_one", "succeeded"))).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and payment.last_error == ""
    assert received["succeeded"] == [payment.pk]
    assert LedgerTransaction.objects.filter(reference=payment.ledger_reference).count() == 1


def test_refund_webhook_reverses_the_ledger_once(client, stripe_api, payment, received):
    stripe_api.get(f"{API}/v1/payment_intents/pi_one", json=intent("pi_one", "succeeded"))
    assert (
        deliver(client, event("evt_ok", "payment_intent.succeeded", intent("pi_one", "succeeded"))).status_code == 200
    )
    charge = {"id": "ch_one", "object": "charge", "payment_intent": "pi_one", "amount": 4_500, "amount_refunded": 4_500}
    stripe_api.get(f"{API}/v1/charges/ch_one", json=charge)
    refunds = {"object": "list", "has_more": False, "url": "/v1/refunds", "data": [
        {"id": "re_1", "object": "refund", "amount": 4_500, "status": "succeeded", "payment_intent": "pi_one"}
    ]}  # fmt: skip
    stripe_api.get(f"{API}/v1/refunds", json=refunds)
    for number in range(3):
        deliver(client, event(f"evt_r{number}", "charge.refunded", charge))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert LedgerTransaction.objects.filter(reference=f"{payment.ledger_reference}:reversal").count() == 1


def test_event_for_a_payment_that_is_not_ours_is_ignored(client, stripe_api, payment, received):
    stripe_api.get(f"{API}/v1/payment_intents/pi_other", json=intent("pi_other", "succeeded"))
    assert (
        deliver(client, event("evt_x", "payment_intent.succeeded", intent("pi_other", "succeeded"))).status_code == 200
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and received["succeeded"] == []


def test_amount_mismatch_is_never_booked(client, stripe_api, payment, received):
    stripe_api.get(f"{API}/v1/payment_intents/pi_one", json=intent("pi_one", "succeeded", amount=1))
    assert (
        deliver(client, event("evt_m", "payment_intent.succeeded", intent("pi_one", "succeeded", amount=1))).status_code
        == 200
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and not LedgerTransaction.objects.exists()
    # The follow-up failed and waits for a retry (then for staff), it was not dropped.
    (follow_up,) = OutboxMessage.objects.filter(dedupe_key="stripe-event-evt_m")
    assert follow_up.status == OutboxMessage.Status.PENDING and "does not match" in follow_up.last_error


def test_a_failure_webhook_releases_the_held_booking_and_closes_its_intent(client, stripe_api, received):
    booking, payment = booking_with_payment(Booking.Status.HELD, "pi_held")
    declined = intent("pi_held", "requires_payment_method", error="Your card was declined.")
    stripe_api.get(f"{API}/v1/payment_intents/pi_held", json=declined)
    stripe_api.post(f"{API}/v1/payment_intents/pi_held/cancel", json={**declined, "status": "canceled"})
    failed = event("evt_held_f", "payment_intent.payment_failed", declined)
    for _ in range(3):  # Stripe may deliver it more than once
        assert deliver(client, failed).status_code == 200

    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED  # the time is free for others at once
    assert (payment.status, payment.last_error) == (Payment.Status.CANCELED, "Your card was declined.")
    cancels = [call for call in stripe_api.calls if call.request.url.endswith("/pi_held/cancel")]
    assert len(cancels) == 1 and cancels[0].request.headers["Idempotency-Key"] == f"payment-{payment.pk}-cancel-v1"
    assert received["failed"] == [payment.pk] and not LedgerTransaction.objects.exists()


def test_a_failure_webhook_for_a_confirmed_booking_changes_nothing(client, stripe_api, received):
    # A failed first attempt on an intent whose booking a second attempt already confirmed (a stale event).
    booking, _ = booking_with_payment(Booking.Status.CONFIRMED, "pi_old")
    declined = intent("pi_old", "requires_payment_method", error="Declined")
    stripe_api.get(f"{API}/v1/payment_intents/pi_old", json=declined)
    assert deliver(client, event("evt_old_f", "payment_intent.payment_failed", declined)).status_code == 200
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert not [call for call in stripe_api.calls if call.request.url.endswith("/cancel")]


def test_a_late_success_books_the_time_if_it_is_still_free(client, stripe_api, received, mailoutbox):
    booking, payment = booking_with_payment(Booking.Status.EXPIRED, "pi_late")
    stripe_api.get(f"{API}/v1/payment_intents/pi_late", json=intent("pi_late", "succeeded"))
    assert (
        deliver(client, event("evt_late_ok", "payment_intent.succeeded", intent("pi_late", "succeeded"))).status_code
        == 200
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.video_url
    assert {message.to[0] for message in mailoutbox} == {booking.learner.email, booking.expert.email}


def test_a_late_success_for_a_time_someone_took_is_refunded_once_and_the_learner_told(
    client, stripe_api, received, mailoutbox
):
    booking, payment = booking_with_payment(Booking.Status.EXPIRED, "pi_gone")
    Booking.objects.create(  # someone else holds the time now
        learner=UserFactory(),
        expert=booking.expert,
        start=booking.start,
        end=booking.end,
        status=Booking.Status.HELD,
        hold_expires_at=timezone.now() + timedelta(minutes=10),
        amount_minor=4_500,
        currency="EUR",
    )
    stripe_api.get(f"{API}/v1/payment_intents/pi_gone", json=intent("pi_gone", "succeeded"))
    stripe_api.post(f"{API}/v1/refunds", json=refund_list("pi_gone")["data"][0])
    stripe_api.get(f"{API}/v1/refunds", json=refund_list("pi_gone"))
    succeeded = event("evt_gone_ok", "payment_intent.succeeded", intent("pi_gone", "succeeded"))
    for _ in range(3):
        assert deliver(client, succeeded).status_code == 200

    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED and not booking.video_url
    assert payment.status == Payment.Status.REFUNDED
    refunds = [call for call in stripe_api.calls if call.request.method == "POST" and "/v1/refunds" in call.request.url]
    assert len(refunds) == 1 and refunds[0].request.headers["Idempotency-Key"] == f"payment-{payment.pk}-refund-v1"
    # Booked, then reversed: the ledger is back to zero for this payment.
    assert LedgerTransaction.objects.filter(reference=payment.ledger_reference).count() == 1
    assert LedgerTransaction.objects.filter(reference=f"{payment.ledger_reference}:reversal").count() == 1
    (mail,) = not_receipts(mailoutbox)
    assert mail.to == [booking.learner.email] and "refunded the full" in mail.body and "Nothing was booked" in mail.body
    assert "€45.00" in mail.subject


def test_a_late_success_for_an_expert_who_paused_meanwhile_is_refunded(client, stripe_api, received, mailoutbox):
    booking, payment = booking_with_payment(Booking.Status.EXPIRED, "pi_paused")
    ExpertProfile.objects.filter(user=booking.expert).update(status=ExpertProfile.Status.PAUSED)
    stripe_api.get(f"{API}/v1/payment_intents/pi_paused", json=intent("pi_paused", "succeeded"))
    stripe_api.post(f"{API}/v1/refunds", json=refund_list("pi_paused")["data"][0])
    stripe_api.get(f"{API}/v1/refunds", json=refund_list("pi_paused"))
    succeeded = event("evt_paused_ok", "payment_intent.succeeded", intent("pi_paused", "succeeded"))
    assert deliver(client, succeeded).status_code == 200
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED and payment.status == Payment.Status.REFUNDED
    (mail,) = not_receipts(mailoutbox)
    assert mail.to == [booking.learner.email] and "Nothing was booked" in mail.body
