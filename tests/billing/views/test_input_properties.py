"""No input a browser can send to the pay and cancel forms answers 500 or takes money."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from billing.gateways.testmode import TEST_CARDS
from billing.models import Payment
from bookings.models import Booking
from tests.strategies import anything, numeric_text, view_settings

pytestmark = pytest.mark.django_db


@view_settings
@given(
    card=(anything | numeric_text).filter(lambda value: value not in TEST_CARDS),
    note=anything | st.text(min_size=1990, max_size=2100),
)
def test_the_pay_form_refuses_any_unknown_card_choice_and_charges_nothing(client, held, card, note):
    response = client.post(reverse("booking_review", kwargs={"pk": held.pk}), {"test_card": card, "goals_note": note})
    assert response.status_code == 400  # the form refuses it before anything reaches the payment service
    assert not Payment.objects.exists()
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD and held.goals_note == ""


@view_settings
@given(fields=st.dictionaries(anything, anything, max_size=4))
def test_the_cancel_form_answers_any_post_without_an_error(client, held, fields):
    response = client.post(reverse("booking_cancel", kwargs={"pk": held.pk}), fields)
    # The view reads the form (the refund it showed): a body Django cannot parse (a field name
    # past the multipart header limit) is a 400, anything else goes back to the screen.
    assert response.status_code in (302, 400)
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD and not Payment.objects.exists()
