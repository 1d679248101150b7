"""Buying a package on the expert's page: one payment through the booking's payment flow, N credits."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import LedgerAccount, LedgerEntry, PackagePurchase, Payment, SessionCredit
from billing.services.packages import package_purchase_fulfil
from marketplace.models import Package
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

from .conftest import buy, pay

pytestmark = pytest.mark.django_db


def test_the_expert_page_lists_offered_packages_with_a_link_to_buy(client, ada, package):
    html = client.get(ada.pages.first().url).content.decode()
    assert "3 × 60-minute sessions, valid 90 days" in html
    assert reverse("package_buy", kwargs={"package_id": package.pk}) in html
    # The page may be cached for visitors: it links to the buy page, it carries no form token.
    assert "csrfmiddlewaretoken" not in html.split('id="offers-heading"')[1].split("</aside>")[0]


def test_an_inactive_package_is_not_listed_and_cannot_be_bought(client, ada, package, learner):
    Package.objects.filter(pk=package.pk).update(is_active=False)
    assert (
        reverse("package_buy", kwargs={"package_id": package.pk})
        not in client.get(ada.pages.first().url).content.decode()
    )
    client.force_login(learner)
    assert client.get(reverse("package_buy", kwargs={"package_id": package.pk})).status_code == 404
    assert buy(client, package.pk).status_code == 404
    assert not PackagePurchase.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client, package):
    response = client.get(reverse("package_buy", kwargs={"package_id": package.pk}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_buying_pays_once_and_creates_the_credits(
    client, learner, package, stripe_server, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(learner)
    page = client.get(reverse("package_buy", kwargs={"package_id": package.pk}))
    assert page.status_code == 200 and "Continue to payment" in page.content.decode()
    response = buy(client, package.pk)
    purchase = PackagePurchase.objects.get()
    assert response["Location"] == reverse("package_purchase", kwargs={"pk": purchase.pk})
    # A second click continues the same purchase.
    assert buy(client, package.pk)["Location"] == response["Location"]
    assert PackagePurchase.objects.count() == 1
    assert "Test card: success" in client.get(response["Location"]).content.decode()

    pay(client, purchase, django_capture_on_commit_callbacks)
    purchase.refresh_from_db()
    assert purchase.status == PackagePurchase.Status.PAID and purchase.expires_at is not None
    assert (purchase.expires_at - purchase.paid_at).days == 90
    payment = Payment.objects.get()
    assert (payment.status, payment.amount_minor, payment.booking) == (Payment.Status.SUCCEEDED, 21000, None)
    assert payment.idempotency_key == f"package-{purchase.pk}-pi-v1"
    assert list(purchase.credits.values_list("number", "value_minor", "status")) == [
        (1, 7000, "available"),
        (2, 7000, "available"),
        (3, 7000, "available"),
    ]
    # The ledger books it as any payment: the expert's share pending, the commission, nothing else.
    pending = LedgerAccount.objects.get(kind="expert_pending", owner=package.profile.user)
    assert LedgerEntry.objects.filter(account=pending).get().amount == 21000 - 21000 * 1500 // 10000
    html = client.get(reverse("package_purchase", kwargs={"pk": purchase.pk})).content.decode()
    assert "0 of 3 used" in html and "Test card" not in html

    # A double submit after success charges nothing more; the follow-up creates no second set.
    pay(client, purchase, django_capture_on_commit_callbacks)
    package_purchase_fulfil(payment=payment)
    assert Payment.objects.count() == 1 and SessionCredit.objects.count() == 3


def test_a_declined_card_creates_no_credits_and_can_be_retried(
    client, learner, package, stripe_server, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    buy(client, package.pk)
    purchase = PackagePurchase.objects.get()
    response = pay(client, purchase, django_capture_on_commit_callbacks, card="decline")
    assert response.status_code == 302
    purchase.refresh_from_db()
    assert purchase.status == "pending" and not SessionCredit.objects.exists()
    assert not LedgerEntry.objects.exists()
    pay(client, purchase, django_capture_on_commit_callbacks)
    purchase.refresh_from_db()
    assert purchase.status == "paid" and purchase.credits.count() == 3
    assert Payment.objects.get(status="succeeded").idempotency_key == f"package-{purchase.pk}-pi-v2"


def test_an_unknown_card_choice_is_a_400_and_changes_nothing(client, learner, package, stripe_server):
    client.force_login(learner)
    buy(client, package.pk)
    purchase = PackagePurchase.objects.get()
    response = client.post(reverse("package_purchase", kwargs={"pk": purchase.pk}), {"test_card": "pm_card_visa"})
    assert response.status_code == 400 and not Payment.objects.exists()


def test_another_learners_purchase_is_a_404(client, learner, package, stripe_server):
    client.force_login(learner)
    buy(client, package.pk)
    purchase = PackagePurchase.objects.get()
    client.force_login(UserFactory())
    url = reverse("package_purchase", kwargs={"pk": purchase.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"test_card": "success"}).status_code == 404
    assert client.get(reverse("package_purchase", kwargs={"pk": 999999})).status_code == 404
    assert not Payment.objects.exists()


def test_tampered_ids_and_own_packages_are_refused(client, ada, package, learner):
    client.force_login(learner)
    assert buy(client, 999999).status_code == 404
    assert client.post("/packages/abc/buy/").status_code == 404
    # The expert cannot buy their own package.
    client.force_login(ada.user)
    response = buy(client, package.pk)
    assert response.status_code == 302 and response["Location"] == reverse("learner_packages")
    assert not PackagePurchase.objects.exists()


def test_the_price_is_the_servers_not_the_browsers(
    client, learner, package, stripe_server, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    buy(client, package.pk)
    purchase = PackagePurchase.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("package_purchase", kwargs={"pk": purchase.pk}),
            {"test_card": "success", "amount": "1", "price_minor": "1", "currency": "JPY"},
        )
    assert Payment.objects.get().amount_minor == 21000


def test_buying_needs_csrf(learner, package):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post(reverse("package_buy", kwargs={"package_id": package.pk})).status_code == 403


def test_the_packages_list_costs_the_same_queries_for_many(client, learner, expert_index):
    def make(n):
        for i in range(n):
            expert = make_expert(expert_index, name=f"Expert {i} {n}", prices={60: "50"})
            PackagePurchase.objects.create(
                learner=learner,
                expert=expert.user,
                sessions_count=2,
                duration_minutes=60,
                price_minor=9000,
                currency="EUR",
                validity_days=30,
            )

    client.force_login(learner)
    make(2)
    client.get(reverse("learner_packages"))  # the session's first request loads more
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("learner_packages")).status_code == 200
    make(8)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("learner_packages")).content.decode()
    assert len(many) == len(few)
    assert html.count("Awaiting payment") == 10


def test_an_empty_packages_list_says_so(client, learner):
    client.force_login(learner)
    assert "You have no packages yet" in client.get(reverse("learner_packages")).content.decode()
