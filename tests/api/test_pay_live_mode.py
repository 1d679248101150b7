"""Live mode over the API: POST pay/ answers the PaymentIntent's client secret for Stripe's SDKs, at the
server's price; GET pay/ re-reads the outcome from Stripe and confirms the booking. ``responses`` stands
in for api.stripe.com with Stripe's real shapes (as tests/billing/views/test_payment_element.py does)."""

from urllib.parse import parse_qs

import pytest
import responses
import stripe

from billing.models import Payment
from tests.billing.views.test_payment_element import API, PUBLISHABLE_KEY, SECRET_KEY, calls, expect_intent
from tests.builders import held_booking, session_type_of
from tests.marketplace.factories import next_monday_nine_berlin

from .conftest import problem_of, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_stripe(settings, monkeypatch):
    settings.STRIPE_LIVE_MODE = True
    settings.PAYMENT_GATEWAY = "billing.gateways.stripe.StripeGateway"
    settings.STRIPE_LIVE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_API_HOST = ""
    monkeypatch.setattr(stripe, "api_base", API)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        yield mocked


def test_the_client_secret_comes_back_and_the_return_confirms(ada, learner, live_stripe):
    booking = held_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
    client = token_client(learner, "read", "book")
    expect_intent(live_stripe, "pi_1", "requires_payment_method", "succeeded")
    body = client.post(f"/api/v1/bookings/{booking.pk}/pay/", {}, format="json").json()
    assert body["client_secret"] == "pi_1_secret_TapTime" and body["publishable_key"] == PUBLISHABLE_KEY
    assert body["booking"]["status"] == "held"
    (create,) = calls(live_stripe, "POST", "/v1/payment_intents")
    sent = parse_qs(create.request.body)
    assert sent["amount"] == ["8000"] and "confirm" not in sent  # the app confirms with Stripe's SDK
    assert SECRET_KEY not in str(body)
    # The app confirmed the intent with Stripe; it asks us to look.
    after = client.get(f"/api/v1/bookings/{booking.pk}/pay/").json()
    assert after["payment_status"] == "succeeded" and after["booking"]["status"] == "confirmed"
    assert Payment.objects.get().status == "succeeded"


def test_a_test_card_is_refused_in_live_mode(ada, learner, live_stripe):
    booking = held_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
    expect_intent(live_stripe, "pi_2", "requires_payment_method", "requires_payment_method")
    body = token_client(learner).post(f"/api/v1/bookings/{booking.pk}/pay/", {"test_card": "success"}, format="json")
    assert body.json()["client_secret"]  # live mode ignores test cards: the SDK pays
    problem_of(token_client(ada.user).post(f"/api/v1/bookings/{booking.pk}/pay/", {}, format="json"), 404, "not_found")
