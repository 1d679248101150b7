"""Cancelling under the booking's refund policy: the screen shows the exact refund, a partial refund goes
through the loopback Stripe server and splits the ledger, no refund asks Stripe nothing, and a refund
that changed while the learner was deciding changes nothing."""

from datetime import timedelta

import pytest
import stripe
from django.urls import reverse
from django.utils import timezone

import billing.services.cancellation as cancellation_service
from billing.errors import PaymentError
from billing.gateways import RefundState
from billing.models import LedgerTransaction, Payment
from billing.selectors import ledger_balances_for_owner, ledger_platform_balances, ledger_totals_by_currency
from billing.services.cancellation import booking_cancel_with_refund
from bookings.errors import BookingError
from bookings.models import Booking, ExpertRefundPolicy, MoveProposal
from bookings.policy import booking_refund_quote
from tests.builders import hold_through_the_page, pay_through_the_page
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = pytest.mark.django_db

KEY = "sk_test_TapTimeLocalOnly0000000000000000"


def move_start(booking, *, hours_ahead: float):
    start = timezone.now() + timedelta(hours=hours_ahead)
    Booking.objects.filter(pk=booking.pk).update(start=start, end=start + timedelta(hours=1))
    booking.refresh_from_db()
    return booking


def cancel(client, booking, capture, refund):
    with capture(execute=True):
        return client.post(reverse("booking_cancel", kwargs={"pk": booking.pk}), {"refund": str(refund)})


def refunds_on_stripe(payment):
    return stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]


def test_the_hold_keeps_the_experts_policy_of_that_moment(paid, ada, held):
    assert (paid.refund_tier, paid.full_refund_hours, paid.partial_refund_hours, paid.partial_refund_percent) == (
        "flexible",
        24,
        0,
        50,
    )
    ExpertRefundPolicy.objects.create(profile=ada, tier="strict")
    paid.refresh_from_db()
    assert paid.refund_tier == "flexible"  # sold under flexible, stays flexible


def test_a_late_cancellation_refunds_half_on_stripe_and_splits_the_ledger(
    client, paid, ada, django_capture_on_commit_callbacks, mailoutbox
):
    move_start(paid, hours_ahead=10)
    page = client.get(reverse("booking_cancel", kwargs={"pk": paid.pk})).content.decode()
    assert "€40.00 of the €80.00 you paid (50 %) is refunded" in page
    assert "Cancel and refund €40.00" in page and 'name="refund" value="4000"' in page
    assert "Flexible" in page and "full refund up to 24 hours before the start, 50 % after that." in page

    response = cancel(client, paid, django_capture_on_commit_callbacks, refund=4000)

    assert response["Location"] == reverse("learner_dashboard")
    assert "€40.00 of €80.00 is on its way back" in client.get(response["Location"]).content.decode()
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CANCELLED_BY_LEARNER and paid.refund_minor == 4000
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.SUCCEEDED and payment.refunded_minor == 4000
    assert [(item["amount"], item["status"]) for item in refunds_on_stripe(payment)] == [(4000, "succeeded")]
    # The learner's 40 € come back from the expert's share (68 → 34) and the commission (12 → 6) in proportion.
    assert ledger_balances_for_owner(owner=ada.user) == {("expert_pending", "EUR"): 3400}
    platform = ledger_platform_balances()
    assert platform[("platform_revenue", "EUR")] == 600 and platform[("refunds", "EUR")] == 4000
    assert ledger_totals_by_currency() == {"EUR": 0}
    by_recipient = {message.to[0]: message.body for message in mailoutbox}
    assert "€40.00 of the €80.00 you paid is refunded" in by_recipient[paid.learner.email]
    assert "they get €40.00 of €80.00 back" in by_recipient[paid.expert.email]


def test_a_strict_policy_late_refunds_nothing_and_asks_stripe_nothing(
    client, held, ada, stripe_server, django_capture_on_commit_callbacks, mailoutbox
):
    ExpertRefundPolicy.objects.create(profile=ada, tier="strict")
    # A new hold takes the strict terms: release the fixture's and hold again.
    Booking.objects.filter(pk=held.pk).update(status=Booking.Status.EXPIRED)
    booking = hold_through_the_page(client, learner=held.learner, profile=ada, start=next_monday_nine_berlin())
    assert booking.refund_tier == "strict" and booking.full_refund_hours == 168
    pay_through_the_page(client, booking, card="success", capture=django_capture_on_commit_callbacks)
    mailoutbox.clear()
    move_start(booking, hours_ahead=30)
    page = client.get(reverse("booking_cancel", kwargs={"pk": booking.pk})).content.decode()
    assert "nothing of the €80.00 you paid is refunded" in page and "Cancel without a refund" in page

    cancel(client, booking, django_capture_on_commit_callbacks, refund=0)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_LEARNER and booking.refund_minor == 0
    payment = Payment.objects.get(booking=booking)
    assert payment.status == Payment.Status.SUCCEEDED and refunds_on_stripe(payment) == []
    assert not LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL).exists()
    assert ledger_balances_for_owner(owner=ada.user) == {("expert_pending", "EUR"): 6800}
    assert "nothing of the €80.00 you paid is refunded" in {m.to[0]: m.body for m in mailoutbox}[booking.learner.email]


def test_a_refund_that_changed_while_the_learner_decided_changes_nothing(
    client, paid, django_capture_on_commit_callbacks, mailoutbox
):
    move_start(paid, hours_ahead=10)  # the page showed 80 € a moment ago; 40 € now
    response = cancel(client, paid, django_capture_on_commit_callbacks, refund=8000)
    page = client.get(response["Location"]).content.decode()
    assert "The refund for this session is now €40.00" in page and "Cancel and refund €40.00" in page
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and paid.refund_minor is None
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.SUCCEEDED and refunds_on_stripe(payment) == []
    assert not mailoutbox


@pytest.mark.parametrize("value", [None, "", "abc", "-1", "8001", "40.00", "4000.0", "١٢", "9" * 40])
def test_a_missing_or_wrong_refund_field_changes_nothing(client, paid, value, mailoutbox):
    fields = {} if value is None else {"refund": value}
    response = client.post(reverse("booking_cancel", kwargs={"pk": paid.pk}), fields)
    assert response.status_code == 302 and response["Location"] == reverse("booking_cancel", kwargs={"pk": paid.pk})
    assert "Something was missing from the form" in client.get(response["Location"]).content.decode()
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and paid.refund_minor is None
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED and not mailoutbox


class RecordingGateway:
    def __init__(self):
        self.calls = []

    def refund(self, intent_id, *, idempotency_key, amount_minor=None):
        self.calls.append((idempotency_key, amount_minor))
        return RefundState(id="re_fake", status="succeeded", amount_minor=amount_minor or 8000)


def test_a_partial_refund_is_fixed_once_and_a_retry_after_the_start_asks_the_same_refund(paid, monkeypatch):
    move_start(paid, hours_ahead=10)
    gateway = RecordingGateway()

    def broken_cancel(**kwargs):
        raise PaymentError("database trouble", code="boom")

    monkeypatch.setattr(cancellation_service, "booking_cancel", broken_cancel)
    with pytest.raises(PaymentError):
        booking_cancel_with_refund(booking=paid, by=paid.learner, gateway=gateway, expected_refund_minor=4000)
    monkeypatch.undo()
    payment = Payment.objects.get()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.SUCCEEDED, 4000)
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and paid.refund_minor == 4000
    # The screen shows the fixed refund, not a new quote.
    assert booking_refund_quote(booking=paid, now=paid.start - timedelta(hours=1)).amount.amount == 4000
    # After the start, the retry finishes without asking the gateway again and without a second reversal.
    booking_cancel_with_refund(booking=paid, by=paid.learner, gateway=gateway, now=paid.start + timedelta(minutes=5))
    assert gateway.calls == [(f"payment-{payment.pk}-refund-to-4000-v1", 4000)]
    assert Booking.objects.get(pk=paid.pk).status == Booking.Status.CANCELLED_BY_LEARNER
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL).count() == 1
    assert ledger_totals_by_currency() == {"EUR": 0}


def test_a_refused_partial_refund_keeps_the_session_and_the_fixed_amount(paid):
    move_start(paid, hours_ahead=10)

    class RefusingGateway:
        def refund(self, intent_id, *, idempotency_key, amount_minor=None):
            raise PaymentError("card_declined", code="gateway")

    with pytest.raises(PaymentError, match="still booked"):
        booking_cancel_with_refund(booking=paid, by=paid.learner, gateway=RefusingGateway(), expected_refund_minor=4000)
    paid.refresh_from_db()
    payment = Payment.objects.get()
    assert paid.status == Booking.Status.CONFIRMED and paid.refund_minor == 4000
    assert (payment.status, payment.refunded_minor) == (Payment.Status.SUCCEEDED, 0)
    assert not LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL).exists()


def test_the_expert_cannot_cancel_through_the_learners_service(paid, ada):
    with pytest.raises(BookingError, match="Only the learner"):
        booking_cancel_with_refund(booking=paid, by=ada.user, expected_refund_minor=8000)
    paid.refresh_from_db()
    assert paid.refund_minor is None and paid.status == Booking.Status.CONFIRMED


def test_while_the_expert_asks_to_move_a_late_cancellation_refunds_in_full(
    client, paid, ada, django_capture_on_commit_callbacks, mailoutbox
):
    MoveProposal.objects.create(booking=paid, start=paid.start + timedelta(hours=1), end=paid.end + timedelta(hours=1))
    move_start(paid, hours_ahead=10)  # the flexible policy alone would give back half
    page = client.get(reverse("booking_cancel", kwargs={"pk": paid.pk})).content.decode()
    assert "the full payment of €80.00 is refunded" in page and 'name="refund" value="8000"' in page
    cancel(client, paid, django_capture_on_commit_callbacks, refund=8000)
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CANCELLED_BY_LEARNER and paid.refund_minor == 8000
    assert Payment.objects.get().status == Payment.Status.REFUNDED
