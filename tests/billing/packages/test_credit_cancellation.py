"""A cancelled credit-booked session returns its credit under the same refund policy as cash."""

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import LedgerEntry, Payment, SessionCredit
from bookings.models import Booking
from bookings.policy import booking_refund_quote
from tests.builders import hold_through_the_page
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = pytest.mark.django_db


@pytest.fixture
def credit_booked(client, learner, ada, bought, django_capture_on_commit_callbacks, mailoutbox):
    booking = hold_through_the_page(client, learner=learner, profile=ada, start=next_monday_nine_berlin())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("booking_use_credit", kwargs={"pk": booking.pk}))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.paid_with_credit
    mailoutbox.clear()
    return booking


def cancel(client, booking, capture):
    booking.refresh_from_db()
    refund = booking_refund_quote(booking=booking, now=timezone.now()).amount.amount
    with capture(execute=True):
        return client.post(reverse("booking_cancel", kwargs={"pk": booking.pk}), {"refund": str(refund)})


def test_cancelling_in_the_full_refund_window_returns_the_credit(
    client, credit_booked, bought, django_capture_on_commit_callbacks, mailoutbox
):
    page = client.get(reverse("booking_cancel", kwargs={"pk": credit_booked.pk})).content.decode()
    assert "the package credit you booked this session with is returned" in page
    entries, payments = LedgerEntry.objects.count(), Payment.objects.count()
    response = cancel(client, credit_booked, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    credit_booked.refresh_from_db()
    assert credit_booked.status == Booking.Status.CANCELLED_BY_LEARNER
    assert SessionCredit.objects.filter(purchase=bought, status="available").count() == 3
    # No money moves for a credit: no refund asked of Stripe, no ledger posting.
    assert (LedgerEntry.objects.count(), Payment.objects.count()) == (entries, payments)
    assert Payment.objects.get().refunded_minor == 0
    mail = next(m for m in mailoutbox if m.to == [credit_booked.learner.email])
    assert "back in your package" in mail.body and "refunded to the card" not in mail.body


def test_cancelling_after_the_refund_deadline_keeps_the_credit_spent(
    client, credit_booked, bought, django_capture_on_commit_callbacks, mailoutbox
):
    # The session's policy snapshot: no refund from a week before.
    Booking.objects.filter(pk=credit_booked.pk).update(full_refund_hours=24 * 30, partial_refund_hours=0)
    page = client.get(reverse("booking_cancel", kwargs={"pk": credit_booked.pk})).content.decode()
    assert "stays used" in page
    cancel(client, credit_booked, django_capture_on_commit_callbacks)
    credit_booked.refresh_from_db()
    assert credit_booked.status == Booking.Status.CANCELLED_BY_LEARNER
    credit = SessionCredit.objects.get(purchase=bought, status="used")
    assert credit.booking_id == credit_booked.pk
    mail = next(m for m in mailoutbox if m.to == [credit_booked.learner.email])
    assert "stays used" in mail.body


def test_the_expert_cancelling_always_returns_the_credit(
    client, ada, credit_booked, bought, django_capture_on_commit_callbacks, mailoutbox
):
    Booking.objects.filter(pk=credit_booked.pk).update(full_refund_hours=24 * 30, partial_refund_hours=0)
    client.force_login(ada.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("booking_cancel_by_expert", kwargs={"pk": credit_booked.pk}))
    assert response.status_code == 302
    credit_booked.refresh_from_db()
    assert credit_booked.status == Booking.Status.CANCELLED_BY_EXPERT
    assert SessionCredit.objects.filter(purchase=bought, status="available").count() == 3
    mail = next(m for m in mailoutbox if m.to == [credit_booked.learner.email])
    assert "back in your package" in mail.body


def test_a_returned_credit_books_again(client, learner, ada, credit_booked, bought, django_capture_on_commit_callbacks):
    cancel(client, credit_booked, django_capture_on_commit_callbacks)
    again = hold_through_the_page(client, learner=learner, profile=ada, start=next_monday_nine_berlin())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("booking_use_credit", kwargs={"pk": again.pk}))
    again.refresh_from_db()
    assert again.status == Booking.Status.CONFIRMED and (again.credit_used, again.credit_total) == (1, 3)
