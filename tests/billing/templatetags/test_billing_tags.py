"""The expert's booking page: what the learner paid, TapTime's fee and the expert's own share."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from billing.models import Payment
from billing.templatetags.billing_tags import booking_split
from core.money import Money
from tests.builders import booking_in_state
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(expert_index):
    ada = make_expert(expert_index, name="Ada Lovelace", prices={60: "150"})
    learner = UserFactory(full_name="Lena Learner")
    booking = booking_in_state(
        learner=learner,
        expert=ada.user,
        start=(timezone.now() + timedelta(days=2)).replace(microsecond=0),
        amount_minor=15_000,
        currency="USD",
        video_url="https://meet.jit.si/TapTime-room",
    )
    Payment.objects.create(
        booking=booking,
        reference=booking.reference,
        payer=learner,
        payee=ada.user,
        amount_minor=15_000,
        currency="USD",
        commission_rate_bp=1500,
        status=Payment.Status.SUCCEEDED,
        idempotency_key=f"{booking.reference}-pi-v1",
        stripe_payment_intent_id="pi_demo_test",
    )
    return booking


def summary(client, booking) -> dict[str, str]:
    page = BeautifulSoup(client.get(reverse("booking_detail", kwargs={"pk": booking.pk})).content, "html.parser")
    terms = [dt.get_text(strip=True) for dt in page.select(".booking-summary dt")]
    values = [dd.get_text(" ", strip=True) for dd in page.select(".booking-summary dd")]
    return dict(zip(terms, values, strict=True))


def test_the_expert_sees_the_fee_and_their_share_not_just_the_learners_price(client, booking):
    client.force_login(booking.expert)
    facts = summary(client, booking)
    assert facts["The learner paid"] == "$150.00 USD"
    assert facts["TapTime's fee (15%)"] == "$22.50"
    assert facts["Your share"] == "$127.50"
    assert "Paid" not in facts


def test_the_learner_still_sees_what_they_paid(client, booking):
    client.force_login(booking.learner)
    facts = summary(client, booking)
    assert facts["Paid"] == "$150.00 USD" and "Your share" not in facts


def test_the_split_follows_the_rounding_rule_and_costs_one_query(booking, django_assert_num_queries):
    Payment.objects.filter(booking=booking).update(amount_minor=999, commission_rate_bp=1250)
    with django_assert_num_queries(1):
        split = booking_split(booking)
    # Commission rounds down; the remainder goes to the expert.
    assert (split.fee, split.share, split.rate_percent) == (Money(124, "USD"), Money(875, "USD"), 12.5)


def test_an_unpaid_booking_has_no_split(booking):
    Payment.objects.filter(booking=booking).delete()
    assert booking_split(booking) is None


def test_the_header_offers_join_as_an_expert_to_everyone_but_experts(client, booking, site_tree):
    from cms_pages.models import StandardPage

    join = site_tree["home"].add_child(instance=StandardPage(title="Join as an expert", slug="join"))
    join.save_revision().publish()

    def main_menu():
        page = BeautifulSoup(client.get("/").content, "html.parser")
        return [a["href"] for a in page.select("#site-nav-list a")]

    assert "/join/" in main_menu()
    client.force_login(booking.learner)
    assert "/join/" in main_menu()
    client.force_login(booking.expert)
    assert "/join/" not in main_menu() and "/experts/" in main_menu()
