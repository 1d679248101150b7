"""Outgoing webhooks: recorded with the booking's change, signed, retried with back-off, logged, replayable;
only public HTTPS addresses outside dev and tests; the page at /expert/webhooks/ is the expert's own."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import responses
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import (
    RETRY_DELAYS,
    WebhookError,
    webhook_deliveries_send_due,
    webhook_endpoint_create,
    webhook_url_problem,
)
from billing.services.cancellation import booking_cancel_by_expert_with_refund, booking_cancel_with_refund
from bookings.services import booking_reschedule
from reviews.services import review_hide, review_submit, reviews_publish_due
from tests.builders import confirmed_booking, paid_booking, session_type_of
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin
from tests.reviews.helpers import completed_session, published_review

pytestmark = pytest.mark.django_db

HOOK = "https://hooks.example.com/taptime"


@pytest.fixture
def endpoint(ada):
    return webhook_endpoint_create(user=ada.user, url=HOOK, events=["booking.confirmed", "booking.cancelled"])


def test_a_confirmation_is_signed_and_sent(endpoint, ada, learner, django_capture_on_commit_callbacks):
    _endpoint, secret = endpoint
    with django_capture_on_commit_callbacks(execute=False):
        booking = confirmed_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "booking.confirmed" and delivery.payload["data"]["booking"]["id"] == booking.pk
    with responses.RequestsMock() as mocked:
        mocked.add(responses.POST, HOOK, status=204)
        assert webhook_deliveries_send_due() == 1
        (call,) = mocked.calls
    body = call.request.body
    stamp, v1 = (part.split("=", 1)[1] for part in call.request.headers["TapTime-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(v1, expected)
    assert call.request.headers["Webhook-Id"] == json.loads(body)["id"] == str(delivery.event_id)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 204)


def test_failures_back_off_then_give_up(endpoint, ada, learner):
    confirmed_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
    now = timezone.now()
    with responses.RequestsMock() as mocked:
        mocked.add(responses.POST, HOOK, status=500, body="down")
        for delay in [timedelta(0), *RETRY_DELAYS]:
            now += delay
            assert webhook_deliveries_send_due(now=now) == 1
            assert webhook_deliveries_send_due(now=now) == 0  # not due again before its delay
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == len(RETRY_DELAYS) + 1
    assert delivery.last_response == "down"
    assert sum(RETRY_DELAYS, timedelta()) <= timedelta(days=3)


def test_a_cancellation_reaches_the_experts_endpoint_only_for_subscribed_events(ada, learner, stripe_server):
    webhook_endpoint_create(user=ada.user, url=HOOK, events=["booking.cancelled"])
    booking = paid_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
    assert not WebhookDelivery.objects.exists()
    booking_cancel_with_refund(booking=booking, by=learner)
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["booking.cancelled"]


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",
        "https://127.0.0.1/x",
        "https://10.0.0.5/x",
        "https://169.254.169.254/latest",
        "https://[::1]/x",
        "https://user:pw@hooks.example.com/x",
        "ftp://hooks.example.com/x",
    ],
)
def test_outside_dev_only_public_https_addresses_are_taken(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    assert webhook_url_problem(url)
    with pytest.raises(WebhookError):
        webhook_endpoint_create(user=UserFactory(), url=url, events=["booking.confirmed"])


def test_a_host_that_resolves_to_a_private_address_is_refused(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("192.168.1.10", 443))])
    assert webhook_url_problem("https://looks-public.example/")
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.216.34", 443))])
    assert webhook_url_problem("https://looks-public.example/") is None


class TestPage:
    def test_add_see_the_secret_once_replay_and_delete(self, client, ada, learner):
        client.force_login(ada.user)
        response = client.post("/expert/webhooks/", {"url": HOOK, "events": ["booking.confirmed"]})
        assert response.status_code == 200 and response.context["created"]["secret"].startswith("whsec_")
        assert response.context["created"]["secret"] not in client.get("/expert/webhooks/").content.decode()
        endpoint = WebhookEndpoint.objects.get()
        assert endpoint.secret.startswith("fernet:")
        confirmed_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        delivery = WebhookDelivery.objects.get()
        assert client.post(f"/expert/webhooks/deliveries/{delivery.pk}/replay/").status_code == 302
        assert WebhookDelivery.objects.filter(event_id=delivery.event_id).count() == 2
        assert "booking.confirmed" in client.get("/expert/webhooks/").content.decode()
        assert client.post(f"/expert/webhooks/{endpoint.pk}/delete/").status_code == 302
        assert not WebhookEndpoint.objects.exists()

    def test_someone_elses_endpoint_and_delivery_are_404(self, client, ada, learner, expert_index):
        endpoint, _secret = webhook_endpoint_create(user=ada.user, url=HOOK, events=["booking.confirmed"])
        confirmed_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        delivery = WebhookDelivery.objects.get()
        other = UserFactory(is_expert=True)
        client.force_login(other)
        assert client.post(f"/expert/webhooks/{endpoint.pk}/delete/").status_code == 404
        assert client.post(f"/expert/webhooks/deliveries/{delivery.pk}/replay/").status_code == 404
        assert WebhookEndpoint.objects.count() == 1 and WebhookDelivery.objects.count() == 1

    @pytest.mark.parametrize(
        "data",
        [
            {"url": "not a url", "events": ["booking.confirmed"]},
            {"url": HOOK, "events": []},
            {"url": HOOK, "events": ["payout.refunded"]},
            {"url": "javascript:alert(1)", "events": ["booking.confirmed"]},
        ],
    )
    def test_wrong_input_is_refused(self, client, ada, data):
        client.force_login(ada.user)
        response = client.post("/expert/webhooks/", data)
        assert response.status_code == 400 and not WebhookEndpoint.objects.exists()

    def test_learners_cannot_open_it(self, client, learner):
        client.force_login(learner)
        assert client.get("/expert/webhooks/").status_code == 403


def test_the_page_costs_the_same_queries_for_more_deliveries(client, ada, learner, django_assert_num_queries):
    webhook_endpoint_create(user=ada.user, url=HOOK, events=["booking.confirmed"])
    webhook_endpoint_create(user=ada.user, url=HOOK + "/2", events=["booking.confirmed"])
    client.force_login(ada.user)
    confirmed_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
    client.get("/expert/webhooks/")
    with django_assert_num_queries(6):  # one of them the header's unread-messages badge
        client.get("/expert/webhooks/")
    for hours in (1, 2):
        confirmed_booking(
            learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin() + timedelta(hours=hours)
        )
    with django_assert_num_queries(6):
        assert client.get("/expert/webhooks/").content.decode().count("booking.confirmed") >= 6


def test_superusers_see_endpoints_and_deliveries_in_the_django_admin_without_secrets(client, ada, learner):
    endpoint, secret = webhook_endpoint_create(user=ada.user, url=HOOK, events=["booking.confirmed"])
    confirmed_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (
        "/django-admin/api/webhookendpoint/",
        f"/django-admin/api/webhookendpoint/{endpoint.pk}/change/",
        "/django-admin/api/webhookdelivery/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert secret not in response.content.decode() and "fernet:" not in response.content.decode()


def test_an_experts_cancellation_and_a_move_reach_the_subscribed_endpoints(ada, learner, stripe_server):
    webhook_endpoint_create(user=learner, url=HOOK, events=["booking.cancelled", "booking.rescheduled"])
    start = next_monday_nine_berlin()
    moved = paid_booking(learner=learner, session_type=session_type_of(ada), start=start)
    booking_reschedule(booking=moved, by=learner, start=start + timedelta(hours=1))
    cancelled = paid_booking(learner=learner, session_type=session_type_of(ada), start=start + timedelta(hours=2))
    booking_cancel_by_expert_with_refund(booking=cancelled, by=ada.user)
    sent = {(d.event, d.payload["data"]["booking"]["id"]) for d in WebhookDelivery.objects.all()}
    assert sent == {("booking.rescheduled", moved.pk), ("booking.cancelled", cancelled.pk)}


def test_a_published_review_reaches_the_experts_endpoint_with_its_public_fields_only(ada, learner):
    webhook_endpoint_create(user=ada.user, url=HOOK, events=["review.published"])
    webhook_endpoint_create(user=learner, url="https://learner.example.com/hook", events=["review.published"])
    now = timezone.now()
    booking = completed_session(learner=learner, expert_profile=ada)
    review = review_submit(
        booking=booking, learner=learner, rating=4, clarity=5, text="Clear and kind.", private_note="Secret", now=now
    )
    assert reviews_publish_due(now=now + timedelta(days=1)) == 0
    assert not WebhookDelivery.objects.exists()  # written, not yet public: nothing goes out

    assert reviews_publish_due(now=now + timedelta(days=30)) == 1
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.endpoint.user_id == ada.user.pk and delivery.event == "review.published"
    data = delivery.payload["data"]["review"]
    assert (data["id"], data["booking_id"], data["rating"], data["clarity"], data["text"]) == (
        review.pk,
        booking.pk,
        4,
        5,
        "Clear and kind.",
    )
    assert "Secret" not in json.dumps(delivery.payload) and "learner" not in json.dumps(delivery.payload)
    assert reviews_publish_due(now=now + timedelta(days=31)) == 0
    assert WebhookDelivery.objects.count() == 1  # published once, announced once


def test_a_review_hidden_before_publication_is_never_announced(ada, learner, staff_user):
    webhook_endpoint_create(user=ada.user, url=HOOK, events=["review.published"])
    review = review_submit(booking=completed_session(learner=learner, expert_profile=ada), learner=learner, rating=1)
    review_hide(review=review, staff=staff_user, reason="Abusive.")
    assert reviews_publish_due(now=timezone.now() + timedelta(days=30)) == 1
    assert not WebhookDelivery.objects.exists()


def test_an_endpoint_not_subscribed_to_reviews_gets_none(ada, learner):
    webhook_endpoint_create(user=ada.user, url=HOOK, events=["booking.cancelled"])
    published_review(learner=learner, expert_profile=ada)
    assert not WebhookDelivery.objects.exists()
