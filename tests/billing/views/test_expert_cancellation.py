"""The expert cancels a paid session: the learner always gets everything back (on the loopback Stripe server),
an apology with the expert's free times, and staff see the count."""

from datetime import timedelta

import pytest
import stripe
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from billing.errors import PaymentError
from billing.gateways import RefundState
from billing.models import LedgerTransaction, Payment
from billing.selectors import ledger_balances_for_owner, ledger_platform_balances, ledger_totals_by_currency
from billing.services.cancellation import booking_cancel_by_expert_with_refund, booking_cancel_with_refund
from bookings.errors import BookingError
from bookings.models import Booking
from bookings.selectors.reports import expert_cancellation_counts
from tests.builders import booking_in_state
from tests.factories import UserFactory

from ..money_builders import not_receipts

pytestmark = pytest.mark.django_db

KEY = "sk_test_TapTimeLocalOnly0000000000000000"


def url(booking):
    return reverse("booking_cancel_by_expert", kwargs={"pk": booking.pk})


def cancel_as_expert(client, booking, capture):
    with capture(execute=True):
        return client.post(url(booking))


def refunds_on_stripe(payment):
    return stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]


def late(booking, *, hours_ahead=2):
    start = timezone.now() + timedelta(hours=hours_ahead)
    Booking.objects.filter(pk=booking.pk).update(start=start, end=start + timedelta(hours=1))
    booking.refresh_from_db()
    return booking


def test_the_page_says_the_learner_gets_everything_back(client, paid, ada):
    client.force_login(ada.user)
    detail = client.get(reverse("booking_detail", kwargs={"pk": paid.pk})).content.decode()
    assert url(paid) in detail and reverse("booking_cancel", kwargs={"pk": paid.pk}) not in detail
    page = client.get(url(paid)).content.decode()
    assert "Grace Hopper gets the full payment of €80.00 back, whatever your refund policy says" in page
    assert "Cancellations by experts are counted and visible to the TapTime team." in page
    assert "Cancel and refund €80.00" in page
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and paid.refund_minor is None


def test_a_late_expert_cancellation_refunds_in_full_and_apologises_with_free_times(
    client, paid, ada, django_capture_on_commit_callbacks, mailoutbox
):
    late(paid)  # under the learner's own policy this would refund only half
    client.force_login(ada.user)

    response = cancel_as_expert(client, paid, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("expert_dashboard")
    assert "Grace Hopper gets the full €80.00 back" in client.get(response["Location"]).content.decode()
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CANCELLED_BY_EXPERT and paid.refund_minor == 8000
    assert paid.cancelling_by == "expert" and paid.cancelled_at is not None
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.REFUNDED
    assert [(item["amount"], item["status"]) for item in refunds_on_stripe(payment)] == [(8000, "succeeded")]
    assert ledger_balances_for_owner(owner=ada.user) == {("expert_pending", "EUR"): 0}
    assert ledger_platform_balances()[("platform_revenue", "EUR")] == 0
    assert ledger_totals_by_currency() == {"EUR": 0}

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {paid.learner.email, ada.user.email}
    apology = by_recipient[paid.learner.email]
    assert apology.subject.startswith("Sorry: your session on")
    assert "We are sorry: Ada Lovelace had to cancel your 60-minute session." in apology.body
    assert "The full payment of €80.00 is refunded" in apology.body
    assert "Ada Lovelace is free at these times, if one suits you:" in apology.body
    # Her Mondays 09:00-12:00 Berlin, in Grace's zone, each linked to the week of the expert page that lists it.
    links = [line for line in apology.body.splitlines() if line.startswith("- ")]
    assert 1 <= len(links) <= 3
    page_url = ada.pages.first().url
    assert all(f"{page_url}?session=60&tz=America%2FNew_York&week=" in line for line in links)
    assert all(line.endswith("#times") and "(America/New_York)" in line for line in links)
    html = apology.alternatives[0][0]
    assert f'href="http://testserver{page_url}?session=60&amp;tz=America%2FNew_York&amp;week=' in html or (
        f"{page_url}?session=60&amp;tz=America%2FNew_York&amp;week=" in html
    )
    confirmation = by_recipient[ada.user.email]
    assert "You cancelled your 60-minute session with Grace Hopper" in confirmation.body
    assert "counted and visible to the TapTime team" in confirmation.body
    for message in (apology, confirmation):
        name, content, mimetype = message.attachments[0]
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        assert "method=CANCEL" in mimetype and int(event["sequence"]) == 1
        assert str(event["uid"]).startswith(f"booking-{paid.pk}@")
    # The learner's dashboard and the booking page say what happened.
    client.force_login(paid.learner)
    assert "Cancelled by the expert" in client.get(reverse("booking_detail", kwargs={"pk": paid.pk})).content.decode()


def test_posting_twice_refunds_once(client, paid, ada, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(ada.user)
    cancel_as_expert(client, paid, django_capture_on_commit_callbacks)
    second = cancel_as_expert(client, paid, django_capture_on_commit_callbacks)
    assert second["Location"] == url(paid)
    page = client.get(second["Location"]).content.decode()
    assert "This session is already cancelled." in page and "Cancel and refund" not in page
    assert len(refunds_on_stripe(Payment.objects.get())) == 1
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL).count() == 1
    assert len(not_receipts(mailoutbox)) == 2


def test_only_the_expert_of_the_booking_reaches_it(client, paid, ada, django_capture_on_commit_callbacks):
    for user in (paid.learner, UserFactory()):
        client.force_login(user)
        assert client.get(url(paid)).status_code == 404
        assert cancel_as_expert(client, paid, django_capture_on_commit_callbacks).status_code == 404
    with pytest.raises(BookingError, match="Only the expert"):
        booking_cancel_by_expert_with_refund(booking=paid, by=paid.learner)
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and paid.refund_minor is None
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED


def test_after_the_start_it_is_refused_and_nothing_changes(
    client, paid, ada, django_capture_on_commit_callbacks, mailoutbox
):
    late(paid, hours_ahead=-0.1)
    client.force_login(ada.user)
    assert "already started" in client.get(url(paid)).content.decode()
    cancel_as_expert(client, paid, django_capture_on_commit_callbacks)
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and paid.refund_minor is None
    assert refunds_on_stripe(Payment.objects.get()) == [] and not mailoutbox


def test_a_learners_cancellation_in_progress_wins_and_the_expert_is_told(paid, ada):
    late(paid, hours_ahead=10)

    class LostAnswer:
        def refund(self, intent_id, *, idempotency_key, amount_minor=None):
            raise PaymentError("timeout", code="gateway")

    # The learner's cancellation fixed 40 € and then lost Stripe's answer: it is theirs to finish.
    with pytest.raises(PaymentError):
        booking_cancel_with_refund(booking=paid, by=paid.learner, gateway=LostAnswer(), expected_refund_minor=4000)
    with pytest.raises(BookingError, match="The learner is cancelling this session right now") as refused:
        booking_cancel_by_expert_with_refund(booking=paid, by=ada.user)
    assert refused.value.code == "learner_cancelling"
    paid.refresh_from_db()
    assert (paid.status, paid.refund_minor, paid.cancelling_by) == (Booking.Status.CONFIRMED, 4000, "learner")


def test_an_expert_cancellation_in_progress_wins_and_the_learner_is_told(paid, ada):
    class Recording:
        calls = []

        def refund(self, intent_id, *, idempotency_key, amount_minor=None):
            self.calls.append((idempotency_key, amount_minor))
            if len(self.calls) == 1:
                raise PaymentError("timeout", code="gateway")
            return RefundState(id="re_1", status="succeeded", amount_minor=8000)

    gateway = Recording()
    with pytest.raises(PaymentError):
        booking_cancel_by_expert_with_refund(booking=paid, by=ada.user, gateway=gateway)
    with pytest.raises(BookingError, match="The expert is cancelling this session right now"):
        booking_cancel_with_refund(booking=paid, by=paid.learner, gateway=gateway, expected_refund_minor=8000)
    # The expert's retry finishes with the same refund and the same key.
    booking_cancel_by_expert_with_refund(booking=paid, by=ada.user, gateway=gateway)
    payment = Payment.objects.get()
    assert gateway.calls == [(f"payment-{payment.pk}-refund-v1", None)] * 2
    assert Booking.objects.get(pk=paid.pk).status == Booking.Status.CANCELLED_BY_EXPERT


def test_staff_see_how_often_each_expert_cancelled(client, ada, learner, staff_user, django_assert_max_num_queries):
    now = timezone.now()
    for days_ago in (1, 10, 200):
        booking_in_state(
            learner=learner,
            expert=ada.user,
            start=now - timedelta(days=days_ago),
            status=Booking.Status.CANCELLED_BY_EXPERT,
            cancelled_at=now - timedelta(days=days_ago),
        )
    booking_in_state(learner=learner, expert=ada.user, start=now + timedelta(days=3))  # confirmed: not counted
    [row] = expert_cancellation_counts(now=now)
    assert (row.pk, row.cancelled_recent, row.cancelled_total) == (ada.user.pk, 2, 3)
    client.force_login(staff_user)
    report = reverse("expert_cancellations_report")
    with django_assert_max_num_queries(40) as first:
        html = client.get(report).content.decode()
    assert "Expert cancellations" in html and "Ada Lovelace" in html
    assert '<td class="">2</td>' in html.replace("\n", "") or ">2<" in html.replace(" ", "").replace("\n", "")
    other = UserFactory(full_name="Other Expert")
    for index in range(5):
        booking_in_state(
            learner=learner,
            expert=other,
            start=now - timedelta(days=20 + index),
            status=Booking.Status.CANCELLED_BY_EXPERT,
            cancelled_at=now - timedelta(days=20 + index),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert "Other Expert" in client.get(report).content.decode()
    # Learners and experts cannot open it.
    client.force_login(ada.user)
    assert client.get(report).status_code in (302, 403)
