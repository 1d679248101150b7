"""Live mode: the purchase page's Payment Element and Stripe's return, with ``responses`` standing in
for api.stripe.com (Stripe's request and response shapes, as tests/billing/views/test_payment_element.py)."""

import json
from urllib.parse import parse_qs

import pytest
import responses
from django.urls import reverse

from billing.models import PackagePurchase, Payment, SessionCredit
from tests.billing.views.test_payment_element import API, PUBLISHABLE_KEY, calls, payment_intent, stripe_api  # noqa: F401
from tests.factories import UserFactory

from .conftest import buy

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(client, learner, package):
    client.force_login(learner)
    buy(client, package.pk)
    return PackagePurchase.objects.get()


def page(client, purchase):
    return client.get(reverse("package_purchase", kwargs={"pk": purchase.pk}))


def test_the_page_creates_an_intent_at_the_servers_price_and_the_return_creates_the_credits(
    client,
    pending,
    stripe_api,  # noqa: F811
):
    stripe_api.add(
        responses.POST,
        f"{API}/v1/payment_intents",
        json=payment_intent("pi_p", "requires_payment_method", amount=21000),
    )
    stripe_api.add(
        responses.GET,
        f"{API}/v1/payment_intents/pi_p",
        json=payment_intent("pi_p", "requires_payment_method", amount=21000),
    )
    response = page(client, pending)
    assert response.status_code == 200
    (create,) = calls(stripe_api, "POST", "/v1/payment_intents")
    sent = parse_qs(create.request.body)
    assert sent["amount"] == ["21000"] and sent["currency"] == ["eur"] and "confirm" not in sent
    assert create.request.headers["Idempotency-Key"] == f"package-{pending.pk}-pi-v1"
    html = response.content.decode()
    config = json.loads(html.split('id="payment-element-config" type="application/json">')[1].split("</script>")[0])
    assert config["clientSecret"] == "pi_p_secret_TapTime" and config["publishableKey"] == PUBLISHABLE_KEY
    assert config["returnUrl"].endswith(reverse("package_purchase_paid", kwargs={"pk": pending.pk}))
    assert "js.stripe.com" in response["Content-Security-Policy"]
    # The script's POST before confirming: nothing to save, "go on".
    assert client.post(
        reverse("package_purchase", kwargs={"pk": pending.pk}), HTTP_ACCEPT="application/json"
    ).json() == {"ok": True}

    stripe_api.replace(
        responses.GET, f"{API}/v1/payment_intents/pi_p", json=payment_intent("pi_p", "succeeded", amount=21000)
    )
    back = client.get(reverse("package_purchase_paid", kwargs={"pk": pending.pk}) + "?payment_intent=pi_other")
    assert back["Location"] == reverse("package_purchase", kwargs={"pk": pending.pk})
    pending.refresh_from_db()
    assert pending.status == "paid" and SessionCredit.objects.filter(purchase=pending).count() == 3
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED


def test_a_declined_card_creates_no_credits(client, pending, stripe_api):  # noqa: F811
    stripe_api.add(
        responses.POST,
        f"{API}/v1/payment_intents",
        json=payment_intent("pi_d", "requires_payment_method", amount=21000),
    )
    declined = payment_intent("pi_d", "requires_payment_method", amount=21000, error="Your card was declined.")
    stripe_api.add(
        responses.GET,
        f"{API}/v1/payment_intents/pi_d",
        json=payment_intent("pi_d", "requires_payment_method", amount=21000),
    )
    page(client, pending)
    stripe_api.replace(responses.GET, f"{API}/v1/payment_intents/pi_d", json=declined)
    client.get(reverse("package_purchase_paid", kwargs={"pk": pending.pk}))
    pending.refresh_from_db()
    assert pending.status == "pending" and not SessionCredit.objects.exists()


def test_another_learners_return_url_is_a_404(client, pending, stripe_api):  # noqa: F811
    client.force_login(UserFactory())
    assert client.get(reverse("package_purchase_paid", kwargs={"pk": pending.pk})).status_code == 404
    assert not calls(stripe_api, "GET", "/v1/payment_intents")
