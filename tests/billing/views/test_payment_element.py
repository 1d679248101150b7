"""Live mode: the review page's Payment Element and Stripe's return to us.

Stripe.js cannot run offline, so the browser half is checked for its wiring
(publishable key, client secret, return URL, script, CSP); the server half
talks to ``responses`` standing in for api.stripe.com with Stripe's real
request and response shapes.
"""

import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import responses
import stripe
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import LedgerTransaction, Payment
from bookings.models import Booking
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.builders import hold_through_the_page
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

from ..money_builders import not_receipts

pytestmark = pytest.mark.django_db

API = "https://api.stripe.com"
SECRET_KEY = "sk_live_TapTimeSecretNeverInPages00000000"
PUBLISHABLE_KEY = "pk_live_TapTimePublishable0000000000000"


def hold(client, ada, user, start=None):
    return hold_through_the_page(client, learner=user, profile=ada, start=start or next_monday_nine_berlin())


@pytest.fixture
def stripe_api(settings, monkeypatch):
    """Live mode with ``responses`` as api.stripe.com; any call not registered fails the test."""
    settings.STRIPE_LIVE_MODE = True
    settings.PAYMENT_GATEWAY = "billing.gateways.stripe.StripeGateway"
    settings.STRIPE_LIVE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_API_HOST = ""
    monkeypatch.setattr(stripe, "api_base", API)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        yield mocked


def payment_intent(intent_id, status, *, amount=8_000, currency="eur", error=None, metadata=None):
    """A PaymentIntent as Stripe's API returns it (the fields the SDK and we read, and their neighbours)."""
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": amount if status == "succeeded" else 0,
        "automatic_payment_methods": None,
        "capture_method": "automatic",
        "client_secret": f"{intent_id}_secret_TapTime",
        "confirmation_method": "automatic",
        "created": 1_790_000_000,
        "currency": currency,
        "customer": None,
        "description": None,
        "last_payment_error": (
            {"type": "card_error", "code": "card_declined", "decline_code": "generic_decline", "message": error}
            if error
            else None
        ),
        "latest_charge": "ch_1" if status == "succeeded" else None,
        "livemode": True,
        "metadata": metadata or {},
        "next_action": None,
        "payment_method": "pm_1" if status != "requires_payment_method" or error else None,
        "payment_method_types": ["card"],
        "status": status,
    }


def review(client, booking):
    return client.get(reverse("booking_review", kwargs={"pk": booking.pk}))


def paid_url(booking, **query):
    url = reverse("booking_paid", kwargs={"pk": booking.pk})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def from_stripe(client, booking, **query):
    """Stripe's redirect to the return URL with its query string: the page first drops the query
    string (client secret included) with a redirect to its clean URL, which then answers."""
    response = client.get(paid_url(booking, **query))
    assert response.status_code == 302 and response["Location"] == paid_url(booking)
    return client.get(response["Location"])


def expect_intent(stripe_api, intent_id, *states):
    """Register the create call and one retrieve answer per state, in order."""
    stripe_api.add(responses.POST, f"{API}/v1/payment_intents", json=payment_intent(intent_id, states[0]))
    for state in states:
        body = state if isinstance(state, dict) else payment_intent(intent_id, state)
        stripe_api.add(responses.GET, f"{API}/v1/payment_intents/{intent_id}", json=body)


def calls(stripe_api, method, path):
    return [
        call for call in stripe_api.calls if call.request.method == method and call.request.url.startswith(API + path)
    ]


def test_the_review_page_creates_an_intent_at_the_servers_price_and_mounts_the_element(client, held, stripe_api):
    expect_intent(stripe_api, "pi_1", "requires_payment_method")
    response = review(client, held)
    assert response.status_code == 200

    (create,) = calls(stripe_api, "POST", "/v1/payment_intents")
    sent = parse_qs(create.request.body)
    assert sent["amount"] == ["8000"] and sent["currency"] == ["eur"]
    assert sent["metadata[booking_ref]"] == [f"booking-{held.pk}"]
    assert "confirm" not in sent and "payment_method" not in sent  # the browser confirms
    assert create.request.headers["Idempotency-Key"] == f"booking-{held.pk}-pi-v1"
    assert create.request.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    payment = Payment.objects.get()
    assert (payment.stripe_payment_intent_id, payment.status, payment.amount_minor) == ("pi_1", "pending", 8000)

    html = response.content.decode()
    config = json.loads(html.split('id="payment-element-config" type="application/json">')[1].split("</script>")[0])
    assert config["publishableKey"] == PUBLISHABLE_KEY and config["clientSecret"] == "pi_1_secret_TapTime"
    assert config["returnUrl"] == f"http://testserver/bookings/{held.pk}/paid/"
    assert SECRET_KEY not in html and "sk_" not in html
    assert 'src="https://js.stripe.com/v3/"' in html and "js/payment-element.js" in html
    assert 'id="payment-element"' in html and "data-payment-element" in html
    assert "JavaScript is needed to pay by card" in html
    assert "Test card" not in html
    # No inline script: the only <script> without src is the JSON data block.
    assert html.count("<script") == html.count("<script src=") + 1


def test_reloading_the_page_reuses_the_intent(client, held, stripe_api):
    expect_intent(stripe_api, "pi_1", "requires_payment_method")
    review(client, held)
    assert review(client, held).status_code == 200
    assert len(calls(stripe_api, "POST", "/v1/payment_intents")) == 1
    assert Payment.objects.count() == 1


def test_stripe_js_is_allowed_only_on_the_pay_page(client, held, stripe_api, settings):
    expect_intent(stripe_api, "pi_1", "requires_payment_method")
    csp = review(client, held)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert "https://js.stripe.com" in directives["script-src"] and "'self'" in directives["script-src"]
    assert "https://js.stripe.com" in directives["frame-src"]
    assert "https://api.stripe.com" in directives["connect-src"]
    assert "'unsafe-inline'" not in csp
    for url in (paid_url(held), reverse("learner_dashboard"), "/"):
        response = client.get(url)
        assert "stripe.com" not in response["Content-Security-Policy"], url
    settings.STRIPE_LIVE_MODE = False
    assert "stripe.com" not in review(client, held)["Content-Security-Policy"]


def test_the_payment_element_script_is_served_and_wired(client):
    path = finders.find("js/payment-element.js")
    assert path, "static/js/payment-element.js is missing"
    source = Path(path).read_text()
    for wiring in ("payment-element-config", "form[data-payment-element]", "#payment-element", "confirmPayment"):
        assert wiring in source
    assert "return_url: config.returnUrl" in source and "publishableKey" in source


def test_a_succeeded_return_confirms_the_booking_once(
    client, held, stripe_api, django_capture_on_commit_callbacks, mailoutbox
):
    expect_intent(stripe_api, "pi_1", "requires_payment_method", "succeeded")
    review(client, held)
    with django_capture_on_commit_callbacks(execute=True):
        response = from_stripe(client, held, payment_intent="pi_1", redirect_status="succeeded")
    assert response["Location"] == reverse("booking_detail", kwargs={"pk": held.pk})
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED and held.video_url
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    assert LedgerTransaction.objects.count() == 1 and len(not_receipts(mailoutbox)) == 2
    assert "Payment received" in client.get(response["Location"]).content.decode()
    # Coming back again (a reload, the back button) changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(paid_url(held))["Location"] == reverse("booking_detail", kwargs={"pk": held.pk})
    assert LedgerTransaction.objects.count() == 1 and len(not_receipts(mailoutbox)) == 2


def test_a_declined_return_releases_the_time_cancels_the_intent_and_offers_a_new_hold(
    client, held, stripe_api, django_capture_on_commit_callbacks
):
    declined = payment_intent("pi_1", "requires_payment_method", error="Your card was declined.")
    expect_intent(stripe_api, "pi_1", "requires_payment_method", declined)
    stripe_api.add(responses.POST, f"{API}/v1/payment_intents/pi_1/cancel", json={**declined, "status": "canceled"})
    review(client, held)
    with django_capture_on_commit_callbacks(execute=True):
        response = from_stripe(client, held, payment_intent="pi_1", redirect_status="failed")
    assert response["Location"] == reverse("booking_review", kwargs={"pk": held.pk})
    held.refresh_from_db()
    assert held.status == Booking.Status.EXPIRED and not held.video_url
    payment = Payment.objects.get()
    assert (payment.status, payment.last_error) == (Payment.Status.CANCELED, "Your card was declined.")
    # The failed intent is closed, so no card typed into a stale page can pay for a time no longer held.
    (cancel,) = calls(stripe_api, "POST", "/v1/payment_intents/pi_1/cancel")
    assert cancel.request.headers["Idempotency-Key"] == f"payment-{payment.pk}-cancel-v1"
    assert not LedgerTransaction.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Your card was declined" in html and "the time was released" in html and "Hold this time again" in html
    assert "pi_1_secret_TapTime" not in html and 'id="payment-element"' not in html

    # Holding the time again starts over: a new booking with a new intent of its own.
    stripe_api.replace(
        responses.POST, f"{API}/v1/payment_intents", json=payment_intent("pi_2", "requires_payment_method")
    )
    stripe_api.add(
        responses.GET, f"{API}/v1/payment_intents/pi_2", json=payment_intent("pi_2", "requires_payment_method")
    )
    response = client.post(reverse("booking_rehold", kwargs={"pk": held.pk}))
    again = Booking.objects.get(status=Booking.Status.HELD)
    assert response["Location"] == reverse("booking_review", kwargs={"pk": again.pk})
    html = review(client, again).content.decode()
    assert "pi_2_secret_TapTime" in html and 'id="payment-element"' in html
    creates = [
        call for call in calls(stripe_api, "POST", "/v1/payment_intents") if not call.request.url.endswith("/cancel")
    ]
    assert creates[-1].request.headers["Idempotency-Key"] == f"booking-{again.pk}-pi-v1"


def test_a_processing_return_says_so_and_confirms_nothing(client, held, stripe_api):
    expect_intent(stripe_api, "pi_1", "requires_payment_method", "processing", "processing")
    review(client, held)
    response = from_stripe(client, held, payment_intent="pi_1", redirect_status="processing")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your payment is being processed" in html and f'href="/bookings/{held.pk}/paid/"' in html
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD
    assert Payment.objects.get().status == Payment.Status.PROCESSING
    # The review page does not offer to pay a second time while the first payment is on its way.
    assert review(client, held)["Location"] == paid_url(held)


def test_a_tampered_or_foreign_payment_intent_parameter_confirms_nothing(client, ada, held, learner, stripe_api):
    other_learner = UserFactory()
    other = hold(client, ada, other_learner, start=next_monday_nine_berlin() + timedelta(hours=1))
    expect_intent(stripe_api, "pi_other", "requires_payment_method")
    review(client, other)
    stripe_api.add(responses.GET, f"{API}/v1/payment_intents/pi_other", json=payment_intent("pi_other", "succeeded"))

    client.force_login(learner)
    stripe_api.replace(
        responses.POST, f"{API}/v1/payment_intents", json=payment_intent("pi_1", "requires_payment_method")
    )
    stripe_api.add(
        responses.GET, f"{API}/v1/payment_intents/pi_1", json=payment_intent("pi_1", "requires_payment_method")
    )
    review(client, held)
    before = len(stripe_api.calls)
    response = from_stripe(client, held, payment_intent="pi_other", redirect_status="succeeded")
    assert response["Location"] == reverse("booking_review", kwargs={"pk": held.pk})
    # Only our own intent was read back; the foreign one was never even asked about.
    assert [call.request.url for call in stripe_api.calls[before:]] == [f"{API}/v1/payment_intents/pi_1"]
    for booking in (held, other):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.HELD
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()
    assert not LedgerTransaction.objects.exists()

    # Someone else's return page is a 404, and asks Stripe nothing.
    before = len(stripe_api.calls)
    for user in (other_learner, ada.user):
        client.force_login(user)
        assert client.get(paid_url(held, payment_intent="pi_1")).status_code == 404
    assert len(stripe_api.calls) == before
    client.logout()
    assert client.get(paid_url(held))["Location"].startswith(reverse("account_login"))


def test_the_return_page_without_a_payment_goes_back_to_review(client, held, stripe_api):
    assert client.get(paid_url(held))["Location"] == reverse("booking_review", kwargs={"pk": held.pk})
    assert not stripe_api.calls
    assert client.post(paid_url(held)).status_code == 405


def test_the_note_is_kept_before_the_browser_confirms(client, held, stripe_api):
    url = reverse("booking_review", kwargs={"pk": held.pk})
    response = client.post(url, {"goals_note": "Ship my first crate"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"ok": True}
    held.refresh_from_db()
    assert held.goals_note == "Ship my first crate"
    # Money fields posted by a browser are not read at all: nothing is created or charged.
    client.post(url, {"goals_note": "x", "amount_minor": "1", "test_card": "success"}, HTTP_ACCEPT="application/json")
    assert not Payment.objects.exists() and not stripe_api.calls

    response = client.post(url, {"goals_note": "x" * 2001}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "2000" in response.json()["error"]
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(url, {"goals_note": "late"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "expired" in response.json()["error"]
    held.refresh_from_db()
    assert held.goals_note == "x"
    # Without JavaScript the same POST keeps the note and comes back to the page.
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() + timedelta(minutes=5))
    assert client.post(url, {"goals_note": "plain form"})["Location"] == url


def test_an_expired_hold_creates_no_intent(client, held, stripe_api):
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    html = review(client, held).content.decode()
    assert "no longer held for you" in html and 'id="payment-element"' not in html
    assert not stripe_api.calls and not Payment.objects.exists()


def test_a_stripe_outage_shows_a_message_not_an_error_page(client, held, stripe_api):
    stripe_api.add(
        responses.POST,
        f"{API}/v1/payment_intents",
        status=401,
        json={"error": {"type": "invalid_request_error", "message": "Invalid API Key provided: sk_live_***"}},
    )
    response = review(client, held)
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not complete the request" in html and 'id="payment-element"' not in html
    assert "stripe.com" not in response["Content-Security-Policy"]
    assert not Booking.objects.filter(status=Booking.Status.CONFIRMED).exists()


def test_the_live_review_page_costs_the_same_queries_however_many_bookings_exist(
    client, ada, held, learner, stripe_api
):
    expect_intent(stripe_api, "pi_1", "requires_payment_method")
    review(client, held)  # creates the intent and warms caches

    def count():
        client.force_login(learner)
        with CaptureQueriesContext(connection) as queries:
            assert review(client, held).status_code == 200
        return len(queries)

    before = count()
    monday = next_monday_nine_berlin()
    for week in (1, 2):
        for hour in (0, 1, 2):
            hold(client, ada, UserFactory(), start=monday + timedelta(days=7 * week, hours=hour))
    assert Booking.objects.count() == 7
    assert count() == before


def refund_answer(stripe_api, *, works: bool):
    if works:
        refund = {"id": "re_1", "object": "refund", "amount": 8_000, "status": "succeeded", "payment_intent": "pi_1"}
        stripe_api.add(responses.POST, f"{API}/v1/refunds", json=refund)
    else:
        error = {"type": "invalid_request_error", "message": "This charge cannot be refunded right now."}
        stripe_api.add(responses.POST, f"{API}/v1/refunds", status=400, json={"error": error})


def test_a_return_after_the_hold_ran_out_still_books_a_free_time(
    client, held, stripe_api, django_capture_on_commit_callbacks, mailoutbox
):
    expect_intent(stripe_api, "pi_1", "requires_payment_method", "succeeded")
    review(client, held)
    # The bank's authentication took longer than the hold; nobody else wanted the time.
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(paid_url(held))
    assert response["Location"] == reverse("booking_detail", kwargs={"pk": held.pk})
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED and len(not_receipts(mailoutbox)) == 2


@pytest.mark.parametrize("refund_works", [True, False])
def test_a_return_after_the_time_was_taken_refunds_the_payment(
    client, ada, held, learner, stripe_api, django_capture_on_commit_callbacks, mailoutbox, refund_works
):
    expect_intent(stripe_api, "pi_1", "requires_payment_method", "succeeded")
    review(client, held)
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    rival = hold(client, ada, UserFactory())  # the time went to someone else meanwhile
    assert rival.status == Booking.Status.HELD and rival.start == held.start
    refund_answer(stripe_api, works=refund_works)
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(paid_url(held))
    held.refresh_from_db()
    payment = Payment.objects.get()
    assert held.status != Booking.Status.CONFIRMED and not held.video_url
    if refund_works:
        assert payment.status == Payment.Status.REFUNDED
        assert response["Location"] == reverse("booking_review", kwargs={"pk": held.pk})
        html = client.get(response["Location"]).content.decode()
        assert "we refunded it in full" in html and "Choose another time" in html
        (mail,) = not_receipts(mailoutbox)
        assert mail.to == [learner.email] and "€80.00" in mail.body
        # Coming back again neither refunds nor mails a second time.
        with django_capture_on_commit_callbacks(execute=True):
            client.get(paid_url(held))
        assert len(calls(stripe_api, "POST", "/v1/refunds")) == 1 and len(not_receipts(mailoutbox)) == 1
    else:
        # Stripe said no: the money is still taken, so the page says a person will refund it (and staff see the log).
        assert payment.status == Payment.Status.SUCCEEDED
        assert response.status_code == 200
        assert "Our team will refund you" in response.content.decode() and not not_receipts(mailoutbox)


# --- payment-element.js itself, in headless Chromium -------------------------------------------------
# Stripe.js cannot load offline, so the browser gets a stand-in at Stripe's own address that mounts a
# placeholder and answers confirmPayment with the error under test, the way Stripe.js reports a payment
# it did not redirect. Everything else is real: our page, CSP, script, views and the Stripe API shapes.
BROWSER_PORTS = range(8171, 8180)  # this file's live servers
STRIPE_JS_STAND_IN = """
window.Stripe = function () {
  return {
    elements: function () {
      return { create: function () {
        var handlers = {};
        return {
          on: function (name, handler) { handlers[name] = handler; },
          mount: function (selector) {
            document.querySelector(selector).textContent = "card form";
            setTimeout(function () { handlers.ready(); }, 0);
          }
        };
      } };
    },
    confirmPayment: function () { return Promise.resolve({ error: %s }); }
  };
};
"""


@pytest.fixture
def live_page(db, client, held, learner, stripe_api, monkeypatch):
    """The learner's live-mode review page of ``held`` in Chromium, signed in with the test client's session."""
    client.force_login(learner)
    with (
        live_server_in_test_transaction(BROWSER_PORTS, monkeypatch) as url,
        chromium_page(monkeypatch, locale="en-US") as page,
    ):
        page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}])
        page.base_url = url
        yield page


def stripe_js_answers(page, error: dict) -> None:
    body = STRIPE_JS_STAND_IN % json.dumps(error)
    page.route("https://js.stripe.com/v3/", lambda route: route.fulfill(body=body, content_type="text/javascript"))


@pytest.mark.e2e
def test_the_browser_sends_a_declined_card_to_the_server_which_frees_the_time(live_page, held, stripe_api):
    declined = payment_intent("pi_1", "requires_payment_method", error="Your card was declined.")
    expect_intent(stripe_api, "pi_1", "requires_payment_method", declined)
    stripe_api.add(responses.POST, f"{API}/v1/payment_intents/pi_1/cancel", json={**declined, "status": "canceled"})
    stripe_js_answers(live_page, {"type": "card_error", "code": "card_declined", "message": "Your card was declined."})
    live_page.goto(live_page.base_url + reverse("booking_review", kwargs={"pk": held.pk}))
    live_page.get_by_label("What would you like to get out of this session?").fill("Async views")
    live_page.get_by_role("button", name="Pay €80.00").click()

    live_page.wait_for_url(f"**/bookings/{held.pk}/review/")
    banner = live_page.get_by_role("alert").filter(has_text="The payment did not go through. Your card was declined.")
    expect(banner).to_have_count(1)
    assert "declined (" not in live_page.content()
    expect(live_page.get_by_role("button", name="Hold this time again")).to_be_visible()
    held.refresh_from_db()
    assert held.status == Booking.Status.EXPIRED and held.goals_note == "Async views"
    assert len(calls(stripe_api, "POST", "/v1/payment_intents/pi_1/cancel")) == 1


@pytest.mark.e2e
def test_card_details_to_correct_stay_on_the_page(live_page, held, stripe_api):
    expect_intent(stripe_api, "pi_1", "requires_payment_method")
    stripe_js_answers(live_page, {"type": "validation_error", "message": "Your card number is incomplete."})
    review_url = live_page.base_url + reverse("booking_review", kwargs={"pk": held.pk})
    live_page.goto(review_url)
    pay = live_page.get_by_role("button", name="Pay €80.00")
    pay.click()

    expect(live_page.get_by_role("alert").filter(has_text="Your card number is incomplete.")).to_be_visible()
    expect(pay).to_be_enabled()
    assert live_page.url == review_url
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD  # nothing released, nothing charged
    assert not calls(stripe_api, "POST", "/v1/payment_intents/pi_1/cancel")
