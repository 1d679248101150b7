"""Booking with a credit: no payment, "1 of N used" on the booking, dashboard and email; wrong inputs."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import LedgerEntry, PackagePurchase, Payment, SessionCredit
from bookings.models import Booking
from bookings.services import weekly_hours_replace
from tests.builders import hold_through_the_page
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert, next_monday_nine_berlin

pytestmark = pytest.mark.django_db


def use_credit(client, booking, capture):
    with capture(execute=True):
        return client.post(reverse("booking_use_credit", kwargs={"pk": booking.pk}))


def test_the_review_page_offers_the_credit_and_booking_with_it_needs_no_payment(
    client, learner, ada, bought, django_capture_on_commit_callbacks, mailoutbox
):
    held = hold_through_the_page(client, learner=learner, profile=ada, start=next_monday_nine_berlin())
    html = client.get(reverse("booking_review", kwargs={"pk": held.pk})).content.decode()
    assert "Book with a credit" in html
    entries = LedgerEntry.objects.count()

    response = use_credit(client, held, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("booking_detail", kwargs={"pk": held.pk})
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED and (held.credit_used, held.credit_total) == (1, 3)
    assert Payment.objects.filter(booking=held).count() == 0 and LedgerEntry.objects.count() == entries
    assert SessionCredit.objects.get(booking=held).number == 1
    detail = client.get(response["Location"]).content.decode()
    assert "A package credit: 1 of 3 used" in detail
    dashboard = client.get(reverse("learner_dashboard")).content.decode()
    assert "Package credit: 1 of 3 used" in dashboard
    learner_mail = next(m for m in mailoutbox if m.to == [learner.email])
    assert "Booked with a package credit: 1 of 3 used." in learner_mail.body

    # A double submit spends nothing more.
    use_credit(client, held, django_capture_on_commit_callbacks)
    assert SessionCredit.objects.filter(status="used").count() == 1

    second = hold_through_the_page(
        client, learner=learner, profile=ada, start=next_monday_nine_berlin() + timedelta(hours=1)
    )
    use_credit(client, second, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    assert (second.credit_used, second.credit_total) == (2, 3)
    page = client.get(reverse("package_purchase", kwargs={"pk": bought.pk})).content.decode()
    assert '<dd data-testid="credits-used">2 of 3 used</dd>' in page


def test_no_credit_for_another_expert_or_length(
    client, learner, ada, bought, expert_index, django_capture_on_commit_callbacks
):
    other = make_expert(expert_index, name="Alan Turing", prices={60: "80"}, currency="EUR")
    weekly_hours_replace(profile=other, windows=[(0, time(9), time(12))])
    held = hold_through_the_page(client, learner=learner, profile=other, start=next_monday_nine_berlin())
    assert "Book with a credit" not in client.get(reverse("booking_review", kwargs={"pk": held.pk})).content.decode()
    response = use_credit(client, held, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("booking_review", kwargs={"pk": held.pk})
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD and not SessionCredit.objects.filter(status="used").exists()


def test_an_expired_credit_cannot_be_used(client, learner, ada, bought, django_capture_on_commit_callbacks):
    PackagePurchase.objects.filter(pk=bought.pk).update(expires_at=timezone.now() + timedelta(hours=1))
    held = hold_through_the_page(client, learner=learner, profile=ada, start=next_monday_nine_berlin())
    # The package runs out before the session starts.
    use_credit(client, held, django_capture_on_commit_callbacks)
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD and not SessionCredit.objects.filter(status="used").exists()


def test_another_users_booking_or_credit_is_refused(client, learner, ada, bought, django_capture_on_commit_callbacks):
    held = hold_through_the_page(client, learner=learner, profile=ada, start=next_monday_nine_berlin())
    # Someone else posting to Grace's booking: 404, nothing spent.
    client.force_login(UserFactory())
    assert use_credit(client, held, django_capture_on_commit_callbacks).status_code == 404
    # A learner without credits cannot spend Grace's on their own hold.
    thief = UserFactory()
    theirs = hold_through_the_page(
        client, learner=thief, profile=ada, start=next_monday_nine_berlin() + timedelta(hours=1)
    )
    use_credit(client, theirs, django_capture_on_commit_callbacks)
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.HELD
    assert not SessionCredit.objects.filter(status="used").exists()
    # The expert cannot either.
    client.force_login(ada.user)
    assert use_credit(client, held, django_capture_on_commit_callbacks).status_code == 404
    assert client.get(reverse("booking_use_credit", kwargs={"pk": held.pk})).status_code == 405


def test_a_lapsed_hold_spends_no_credit(client, learner, ada, bought, django_capture_on_commit_callbacks):
    held = hold_through_the_page(client, learner=learner, profile=ada, start=next_monday_nine_berlin())
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    use_credit(client, held, django_capture_on_commit_callbacks)
    held.refresh_from_db()
    assert held.status != Booking.Status.CONFIRMED and not SessionCredit.objects.filter(status="used").exists()


def test_the_review_page_costs_the_same_with_or_without_credits(client, learner, ada, bought):
    held = hold_through_the_page(client, learner=learner, profile=ada, start=next_monday_nine_berlin())
    url = reverse("booking_review", kwargs={"pk": held.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as with_three:
        client.get(url)
    SessionCredit.objects.filter(purchase=bought).update(status="lapsed")
    with CaptureQueriesContext(connection) as with_none:
        client.get(url)
    assert len(with_three) == len(with_none)
