"""Billing fixtures. The loopback Stripe server lives in ``tests/conftest.py`` so journeys can share it."""

import pytest

from tests.builders import hold_through_the_page
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin


@pytest.fixture
def learner(db):
    return UserFactory(full_name="Grace Hopper", time_zone="America/New_York")


@pytest.fixture
def held(client, ada, learner):
    """Ada's Monday 9:00 (Berlin) held by Grace through the expert page, at EUR 80."""
    return hold_through_the_page(client, learner=learner, profile=ada, start=next_monday_nine_berlin())
