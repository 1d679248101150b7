"""Card testing through hold → decline → hold again stops after a few declines (loopback Stripe)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from billing.errors import PaymentLimitReached
from billing.models import Payment
from billing.services.checkout import booking_pay
from bookings.services import booking_hold_again
from core.limits import LIMIT_REACHED
from tests.builders import bookable_expert, held_booking, pay_through_the_page
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_tester(settings, stripe_server):
    """A learner who declined three cards today, each on a fresh hold of the same time."""
    settings.BOOKING_UNPAID_HOLDS_PER_EXPERT_PER_DAY = 100  # isolate the payment limit
    assert settings.BILLING_DECLINES_PER_DAY == 3
    learner = UserFactory(full_name="Tess Tester")
    booking = held_booking(learner=learner, session_type=bookable_expert(), start=next_monday_nine_berlin())
    for _attempt in range(3):
        assert booking_pay(booking=booking, test_card="decline").last_error  # declined, and the time released
        booking.refresh_from_db()
        booking = booking_hold_again(booking=booking)
    return learner, booking


def test_the_fourth_attempt_after_three_declines_is_refused_before_stripe_is_asked(card_tester):
    learner, booking = card_tester
    with pytest.raises(PaymentLimitReached) as refused:
        booking_pay(booking=booking, test_card="success")
    assert refused.value.code == "declined_payments" and "Nothing was charged" in refused.value.message
    assert Payment.objects.filter(payer=learner).count() == 3  # no fourth payment, no fourth intent
    entry = ModelLogEntry.objects.get(action=LIMIT_REACHED, object_id=str(learner.pk))
    assert entry.data == {"limit": "declined_payments", "count": 3, "window_hours": 24}


def test_the_pay_page_says_why(client, card_tester, django_capture_on_commit_callbacks):
    learner, booking = card_tester
    client.force_login(learner)
    response = pay_through_the_page(client, booking, card="success", capture=django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("booking_review", kwargs={"pk": booking.pk})
    assert "paying is paused for your account" in client.get(response["Location"]).content.decode()


def test_declines_older_than_a_day_no_longer_count(card_tester):
    learner, booking = card_tester
    Payment.objects.filter(payer=learner).update(created_at=booking.created_at - timedelta(hours=25))
    assert booking_pay(booking=booking, test_card="success").status == Payment.Status.SUCCEEDED
