"""Staff cancel a paid session with a full refund from the operations console (on the loopback Stripe
server): the refund on Stripe, the ledger back to zero, the time freed, both sides told, one audit entry
with the reason in the session's timeline and in Wagtail's site history; refusals change nothing."""

import re

import pytest
import stripe
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from billing.models import Payment
from billing.selectors import ledger_balances_for_owner, ledger_platform_balances
from billing.services.refunds import LOG_REFUND
from bookings.models import Booking
from bookings.services.staff_actions import LOG_CANCEL
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEY = "sk_test_TapTimeLocalOnly0000000000000000"


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def support(db):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = UserFactory(is_staff=True, full_name="Sam Support")
    user.groups.add(Group.objects.get(name="Support"))
    return user


def url(booking):
    return reverse("ops_session_cancel_refund", args=[booking.pk])


def test_support_cancels_with_a_full_refund_and_the_audit_shows_it(
    client, paid, ada, support, django_capture_on_commit_callbacks, mailoutbox
):
    payment = Payment.objects.get(status=Payment.Status.SUCCEEDED)
    client.force_login(support)
    page = text(client.get(reverse("ops_session_detail", args=[paid.pk])))
    assert "Cancel with a full refund" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(paid), {"cancel_refund-reason": "The learner wrote to support: a family emergency."})
    assert response.status_code == 302
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CANCELLED_REFUNDED and paid.refund_minor == 8000
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    refunds = stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]
    assert [(item["amount"], item["status"]) for item in refunds] == [(8000, "succeeded")]
    assert ledger_balances_for_owner(owner=ada.user) == {("expert_pending", "EUR"): 0}
    assert ledger_platform_balances()[("platform_revenue", "EUR")] == 0
    assert {message.to[0] for message in mailoutbox} == {paid.learner.email, paid.expert.email}
    entry = ModelLogEntry.objects.get(action=LOG_CANCEL)
    assert (entry.user, entry.object_id, entry.data["refund_minor"]) == (support, str(paid.pk), 8000)
    refund = ModelLogEntry.objects.get(action=LOG_REFUND)  # the refund itself, on the payment
    assert refund.object_id == str(payment.pk) and refund.data == {
        "refunded_minor": 8000,
        "currency": "EUR",
        "full": True,
        "source": "app",
    }
    timeline = text(client.get(reverse("ops_session_detail", args=[paid.pk])))
    assert "Cancel a session with a full refund" in timeline and "family emergency" in timeline
    assert "Cancel with a full refund" not in timeline.replace("Cancel a session with a full refund", "")
    # A second press refunds nothing more and logs nothing more.
    client.post(url(paid), {"cancel_refund-reason": "again"})
    assert len(stripe.Refund.list(api_key=KEY, payment_intent=payment.stripe_payment_intent_id)["data"]) == 1
    assert ModelLogEntry.objects.filter(action=LOG_CANCEL).count() == 1
    assert ModelLogEntry.objects.filter(action=LOG_REFUND).count() == 1


def test_the_site_history_lists_the_cancellation_for_an_administrator(client, paid, support):
    client.force_login(support)
    client.post(url(paid), {"cancel_refund-reason": "Duplicate booking."})
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    history = text(client.get("/admin/reports/site-history/"))
    assert "Cancel a session with a full refund" in history


@pytest.mark.parametrize("data", [{}, {"cancel_refund-reason": "  "}, {"cancel_refund-reason": "x" * 2001}])
def test_without_a_reason_nothing_moves(client, paid, support, data):
    client.force_login(support)
    response = client.post(url(paid), data)
    assert response.status_code == 400
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and paid.refund_minor is None
    assert Payment.objects.get().refunded_minor == 0 and not ModelLogEntry.objects.for_instance(paid).exists()


def test_finance_and_learners_cannot_cancel(client, paid, support):
    finance = UserFactory(is_staff=True)
    finance.groups.add(Group.objects.get(name="Finance"))
    for user in (finance, paid.learner):
        client.force_login(user)
        assert client.post(url(paid), {"cancel_refund-reason": "mine"}).status_code == 302
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and not ModelLogEntry.objects.for_instance(paid).exists()


def test_suspending_an_expert_with_the_refund_rule_cancels_their_upcoming_sessions(
    client, paid, ada, support, django_capture_on_commit_callbacks
):
    from accounts.services import LOG_SUSPEND

    client.force_login(support)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ops_person_suspend", args=[ada.user.pk]),
            {"suspend-reason": "Repeated no-shows", "suspend-upcoming": "cancel_refund"},
        )
    assert response.status_code == 302
    ada.user.refresh_from_db()
    paid.refresh_from_db()
    assert not ada.user.is_active
    assert paid.status == Booking.Status.CANCELLED_REFUNDED and paid.refund_minor == 8000
    assert Payment.objects.get().status == Payment.Status.REFUNDED
    assert ModelLogEntry.objects.get(action=LOG_SUSPEND).data["upcoming"] == "cancel_refund"
    assert ModelLogEntry.objects.get(action=LOG_CANCEL).data["reason"] == "Account suspended: Repeated no-shows"


def test_suspending_with_keep_leaves_the_sessions_booked(client, paid, ada, support):
    client.force_login(support)
    client.post(
        reverse("ops_person_suspend", args=[ada.user.pk]),
        {"suspend-reason": "Investigating", "suspend-upcoming": "keep"},
    )
    paid.refresh_from_db()
    assert paid.status == Booking.Status.CONFIRMED and Payment.objects.get().status == Payment.Status.SUCCEEDED
