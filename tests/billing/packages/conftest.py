"""Package fixtures: Ada's package of 3 × 60 minutes at EUR 210, and Grace buying it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from billing.models import PackagePurchase
from marketplace.models import Package


@pytest.fixture
def package(ada):
    return Package.objects.create(
        profile=ada,
        session_type=ada.session_types.get(duration_minutes=60),
        sessions_count=3,
        price_minor=21000,
        currency="EUR",
        validity_days=90,
    )


def buy(client, package_id) -> object:
    return client.post(reverse("package_buy", kwargs={"package_id": package_id}))


def pay(client, purchase, capture, card="success"):
    with capture(execute=True):
        return client.post(reverse("package_purchase", kwargs={"pk": purchase.pk}), {"test_card": card})


@pytest.fixture
def bought(client, learner, package, stripe_server, django_capture_on_commit_callbacks, mailoutbox):
    """Grace bought Ada's package through the pages and paid it (loopback Stripe)."""
    client.force_login(learner)
    buy(client, package.pk)
    purchase = PackagePurchase.objects.get(learner=learner)
    pay(client, purchase, django_capture_on_commit_callbacks)
    purchase.refresh_from_db()
    assert purchase.status == PackagePurchase.Status.PAID
    mailoutbox.clear()
    return purchase


def monday(start, weeks: int = 0, hour: int = 0):
    return start + timedelta(weeks=weeks, hours=hour)
