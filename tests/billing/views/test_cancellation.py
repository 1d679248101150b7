"""A learner cancels a paid session: full refund on the loopback Stripe server, ledger back to zero,
both sides told, the slot freed; refusals change nothing."""

from datetime import timedelta

import pytest
import responses
import stripe
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

import billing.services.cancellation as cancellation_service
from billing.errors import PaymentError
from billing.gateways import RefundState, payment_gateway
from billing.gateways.stripe import StripeGateway
from billing.gateways.testmode import DEMO_INTENT_PREFIX, TestModeGateway
from billing.models import LedgerTransaction, Payment
from billing.selectors import ledger_balances_for_owner, ledger_platform_balances, ledger_totals_by_currency
from billing.services.cancellation import booking_cancel_with_refund
from billing.services.ledger import ledger_book_payment
from bookings.errors import BookingError
from bookings.models import Booking
from bookings.policy import booking_refund_quote
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

from ..money_builders import not_receipts

pytestmark = pytest.mark.django_db

KEY = "sk_test_TapTimeLocalOnly0000000000000000"


def cancel(client, booking, capture, refund=None):
    """Post the cancel form as the page renders it: with the refund it shows now (or ``refund``)."""
    if refund is None:
        booking.refresh_from_db()
        refund = booking_refund_quote(booking=booking, now=timezone.now()).amount.amount
    with capture(execute=True):
        return client.post(reverse("booking_cancel", kwargs={"pk": booking.pk}), {"refund": str(refund)})


def refunds_on_stripe(payment):
    return stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]


def test_the_confirmation_page_says_what_will_happen(client, paid):
    page = client.get(reverse("booking_cancel", kwargs={"pk": paid.pk})).content.decode()
    assert "the full payment of €80.00 is refunded to the card you paid with" in page
    assert 'method="post"' in page and 'name="csrfmiddlewaretoken"' in page
    assert "Cancel and refund €80.00" in page
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED  # looking changes nothing


def test_cancelling_refunds_in_full_balances_the_ledger_and_frees_the_slot(
    client,
    paid,
    ada,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    payment = Payment.objects.get(status=Payment.Status.SUCCEEDED)
    assert ledger_balances_for_owner(owner=ada.user) == {("expert_pending", "EUR"): 6800}

    response = cancel(client, paid, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("learner_dashboard")
    assert "Your session is cancelled" in client.get(response["Location"]).content.decode()
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CANCELLED_BY_LEARNER and paid.cancelled_at is not None
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    # The refund exists on the (loopback) Stripe server, for the whole amount.
    assert [(item["amount"], item["status"]) for item in refunds_on_stripe(payment)] == [(8000, "succeeded")]
    # The ledger is back to zero for the expert and the platform's commission; what came in went back out.
    assert ledger_balances_for_owner(owner=ada.user) == {("expert_pending", "EUR"): 0}
    platform = ledger_platform_balances()
    assert platform[("platform_revenue", "EUR")] == 0
    assert platform[("learner_payments", "EUR")] == -8000 and platform[("refunds", "EUR")] == 8000
    assert ledger_totals_by_currency() == {"EUR": 0}
    # The time is free again: another learner can hold it.
    client.force_login(UserFactory())
    client.post(
        reverse("booking_start", kwargs={"page_id": ada.pages.first().pk}),
        {"session": "60", "start": next_monday_nine_berlin().isoformat()},
    )
    assert Booking.objects.filter(status=Booking.Status.HELD, start=paid.start).exists()


def test_both_sides_get_a_cancellation_in_their_zone_that_removes_the_calendar_event(
    client, paid, django_capture_on_commit_callbacks, mailoutbox
):
    cancel(client, paid, django_capture_on_commit_callbacks)
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {paid.learner.email, paid.expert.email}
    learner_mail, expert_mail = by_recipient[paid.learner.email], by_recipient[paid.expert.email]
    assert "You cancelled your 60-minute session with Ada Lovelace" in learner_mail.body
    assert "€80.00 is refunded" in learner_mail.body and "(America/New_York)" in learner_mail.body
    assert "Grace Hopper cancelled their 60-minute session" in expert_mail.body
    assert "09:00 – 10:00 (Europe/Berlin)" in expert_mail.body and "Session cancelled" in expert_mail.subject
    for message in (learner_mail, expert_mail):
        name, content, mimetype = message.attachments[0]
        assert name == "session.ics" and "method=CANCEL" in mimetype
        calendar = Calendar.from_ical(content)
        event = calendar.walk("VEVENT")[0]
        assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
        # Same UID as the confirmation's invite, higher SEQUENCE: calendars remove the event.
        assert str(event["uid"]).startswith(f"booking-{paid.pk}@") and int(event["sequence"]) == 1


def test_posting_twice_refunds_once_and_says_so(client, paid, django_capture_on_commit_callbacks, mailoutbox):
    cancel(client, paid, django_capture_on_commit_callbacks)
    second = cancel(client, paid, django_capture_on_commit_callbacks)
    assert second["Location"] == reverse("booking_cancel", kwargs={"pk": paid.pk})
    page = client.get(second["Location"]).content.decode()
    assert "already cancelled" in page and "Cancel and refund" not in page
    payment = Payment.objects.get(status=Payment.Status.REFUNDED)
    assert len(refunds_on_stripe(payment)) == 1
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL).count() == 1
    assert len(not_receipts(mailoutbox)) == 2


def test_after_the_start_it_is_refused_and_nothing_changes(
    client, paid, django_capture_on_commit_callbacks, mailoutbox
):
    start = timezone.now() - timedelta(minutes=1)
    Booking.objects.filter(pk=paid.pk).update(start=start, end=start + timedelta(hours=1))
    page = client.get(reverse("booking_cancel", kwargs={"pk": paid.pk})).content.decode()
    assert "This session has already started, so it can no longer be cancelled." in page
    assert "Cancel and refund" not in page and "Cancel without a refund" not in page
    response = cancel(client, paid, django_capture_on_commit_callbacks, refund=0)
    assert "already started" in client.get(response["Location"]).content.decode()
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and paid.cancelled_at is None and paid.refund_minor is None
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.SUCCEEDED and refunds_on_stripe(payment) == []
    assert not LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL).exists()
    assert not mailoutbox
    # The dashboard offers no Cancel either: the screen and the service read the same rule.
    assert (
        reverse("booking_cancel", kwargs={"pk": paid.pk})
        not in client.get(reverse("learner_dashboard")).content.decode()
    )


def test_only_the_learner_may_cancel(client, paid, ada, django_capture_on_commit_callbacks):
    url = reverse("booking_cancel", kwargs={"pk": paid.pk})
    for user in (UserFactory(), ada.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert cancel(client, paid, django_capture_on_commit_callbacks).status_code == 404
    client.force_login(paid.learner)
    assert client.get(reverse("booking_cancel", kwargs={"pk": paid.pk + 1000})).status_code == 404
    # The service refuses the expert too, whoever calls it.
    with pytest.raises(BookingError, match="Only the learner"):
        booking_cancel_with_refund(booking=paid, by=ada.user)
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED


def test_anonymous_visitors_are_sent_to_login(client, paid):
    client.logout()
    response = client.get(reverse("booking_cancel", kwargs={"pk": paid.pk}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("booking_cancel", kwargs={"pk": paid.pk}))
    assert response.status_code == 302
    assert Booking.objects.get(pk=paid.pk).status == Booking.Status.CONFIRMED


def test_a_held_booking_cannot_be_cancelled_here(client, held):
    page = client.get(reverse("booking_cancel", kwargs={"pk": held.pk})).content.decode()
    assert "Only a confirmed, upcoming session can be cancelled" in page
    client.post(reverse("booking_cancel", kwargs={"pk": held.pk}))
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.HELD


def test_a_refused_refund_changes_nothing_and_says_so(
    client,
    paid,
    ada,
    stripe_server,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    payment = Payment.objects.get()
    # Stripe answers the refund request with an error (its real error shape); everything else passes through.
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.add_passthru(stripe_server)
        mock.add(
            responses.POST,
            f"{stripe_server}/v1/refunds",
            status=400,
            json={
                "error": {
                    "type": "invalid_request_error",
                    "code": "charge_disputed",
                    "message": f"Charge for {payment.stripe_payment_intent_id} has been disputed.",
                }
            },
        )
        response = cancel(client, paid, django_capture_on_commit_callbacks)
    page = client.get(response["Location"]).content.decode()
    assert "The refund could not be made right now, so your session is still booked" in page
    assert "Cancel and refund" in page  # the learner may try again
    paid.refresh_from_db()
    payment.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and paid.cancelled_at is None
    assert payment.status == Payment.Status.SUCCEEDED and refunds_on_stripe(payment) == []
    assert ledger_balances_for_owner(owner=ada.user) == {("expert_pending", "EUR"): 6800}
    assert not mailoutbox


class RecordingGateway:
    """Refunds at the gateway and records the idempotency keys it was sent."""

    def __init__(self):
        self.keys = []

    def refund(self, intent_id, *, idempotency_key, amount_minor=None):
        self.keys.append(idempotency_key)
        return RefundState(id="re_fake", status="succeeded", amount_minor=8000)


def test_a_failure_after_the_refund_keeps_the_refund_and_the_retry_finishes_without_refunding_again(paid, monkeypatch):
    gateway = RecordingGateway()

    def broken_cancel(**kwargs):
        raise PaymentError("database trouble", code="boom")

    monkeypatch.setattr(cancellation_service, "booking_cancel", broken_cancel)
    with pytest.raises(PaymentError):
        booking_cancel_with_refund(booking=paid, by=paid.learner, gateway=gateway)
    # The gateway refunded, so our records say so: refunded, ledger reversed; the session is still booked.
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.REFUNDED
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL).count() == 1
    assert Booking.objects.get(pk=paid.pk).status == Booking.Status.CONFIRMED
    monkeypatch.undo()
    # The retry finishes the cancellation without asking the gateway again, even past the deadline.
    booking_cancel_with_refund(booking=paid, by=paid.learner, gateway=gateway, now=paid.start - timedelta(hours=1))
    assert gateway.keys == [f"payment-{payment.pk}-refund-v1"]
    assert Booking.objects.get(pk=paid.pk).status == Booking.Status.CANCELLED_BY_LEARNER
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL).count() == 1


def test_a_refund_in_progress_is_never_started_twice_and_no_lock_is_held_while_the_gateway_answers(paid):
    payment = Payment.objects.get()
    seen = {}

    class WatchingGateway(RecordingGateway):
        def refund(self, intent_id, *, idempotency_key, amount_minor=None):
            # While the gateway works the payment says "refund in progress", and no transaction of
            # ours is open (the test's own is the only one: no savepoint), so no row lock is held.
            seen["status"] = Payment.objects.get(pk=payment.pk).status
            seen["open_transactions"] = len(connection.savepoint_ids)
            return super().refund(intent_id, idempotency_key=idempotency_key, amount_minor=amount_minor)

    booking_cancel_with_refund(booking=paid, by=paid.learner, gateway=WatchingGateway())
    assert seen == {"status": Payment.Status.REFUND_PENDING, "open_transactions": 0}


def test_a_seeded_demo_session_can_be_cancelled_without_any_stripe_server(
    client, held, learner, django_capture_on_commit_callbacks, mailoutbox, settings, monkeypatch
):
    # What `seed_demo` leaves: a confirmed session paid by a made-up PaymentIntent no Stripe server knows.
    monkeypatch.setattr(stripe, "api_base", stripe.api_base)  # restored afterwards: the gateway sets it globally
    settings.STRIPE_API_HOST = "http://127.0.0.1:9"  # nothing listens: any Stripe call would fail the cancel
    Booking.objects.filter(pk=held.pk).update(status=Booking.Status.CONFIRMED)
    payment = Payment.objects.create(
        booking=held,
        reference=held.reference,
        payer=learner,
        payee=held.expert,
        amount_minor=8000,
        currency="EUR",
        commission_rate_bp=1500,
        status=Payment.Status.SUCCEEDED,
        idempotency_key=f"{held.reference}-pi-v1",
        stripe_payment_intent_id=f"{DEMO_INTENT_PREFIX}{held.pk}",
    )
    ledger_book_payment(
        reference=payment.ledger_reference, currency="EUR", gross=8000, commission_rate_bp=1500, expert=held.expert
    )
    client.force_login(learner)
    response = cancel(client, held, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("learner_dashboard")
    held.refresh_from_db()
    payment.refresh_from_db()
    assert held.status == Booking.Status.CANCELLED_BY_LEARNER and payment.status == Payment.Status.REFUNDED
    assert ledger_balances_for_owner(owner=held.expert) == {("expert_pending", "EUR"): 0}
    assert len(not_receipts(mailoutbox)) == 2


def test_demo_intent_ids_are_special_only_to_the_test_mode_gateway(settings):
    assert type(payment_gateway()) is TestModeGateway
    settings.STRIPE_LIVE_MODE = True
    settings.PAYMENT_GATEWAY = "billing.gateways.stripe.StripeGateway"
    assert type(payment_gateway()) is StripeGateway  # live: no local refunds of made-up ids
    # The test-mode gateway refuses to run with live keys, whatever the setting says.
    settings.PAYMENT_GATEWAY = "billing.gateways.testmode.TestModeGateway"
    with pytest.raises(RuntimeError, match="live keys"):
        payment_gateway()
