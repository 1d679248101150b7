"""Billing fixtures. The loopback Stripe server lives in ``tests/conftest.py`` so journeys can share it."""

import pytest
import responses
import stripe

from billing.gateways.testmode import stripe_local_setup_ensure
from bookings.models import Booking
from tests.builders import hold_through_the_page, pay_through_the_page
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

from .webhook_payloads import API


@pytest.fixture
def learner(db):
    return UserFactory(full_name="Grace Hopper", time_zone="America/New_York")


@pytest.fixture
def held(client, ada, learner):
    """Ada's Monday 9:00 (Berlin) held by Grace through the expert page, at EUR 80."""
    return hold_through_the_page(client, learner=learner, profile=ada, start=next_monday_nine_berlin())


@pytest.fixture
def stripe_api(db, settings):
    """Stripe's real host, answered by ``responses``; the local dj-stripe rows in place."""
    settings.DEBUG = False
    previous = stripe.api_base
    stripe.api_base = API
    if hasattr(settings, "STRIPE_API_HOST"):
        del settings.STRIPE_API_HOST
    stripe_local_setup_ensure()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
    stripe.api_base = previous


@pytest.fixture
def paid(client, held, stripe_server, django_capture_on_commit_callbacks, mailoutbox):
    """A confirmed booking paid with a real (loopback) PaymentIntent, 8000 EUR cents, days ahead."""
    pay_through_the_page(
        client, held, card="success", capture=django_capture_on_commit_callbacks, goals_note="Rust lifetimes"
    )
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED
    mailoutbox.clear()
    return held
