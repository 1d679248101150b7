"""Refund tiers: the quote (pure, with Hypothesis), the expert's choice on /expert/availability/, and the
snapshot a hold keeps."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookings.errors import AvailabilityError
from bookings.models import REFUND_TERMS, Booking, ExpertRefundPolicy, RefundTier, expert_refund_terms
from bookings.policy import booking_refund_quote
from bookings.services import refund_policy_set
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

URL = "/expert/availability/"
START = datetime(2026, 12, 7, 9, tzinfo=UTC)


def booking_under(tier: str, *, amount: int = 8000, refund_minor=None) -> Booking:
    """An unsaved booking sold under ``tier`` (the quote is pure: no database needed)."""
    return Booking(
        start=START,
        end=START + timedelta(hours=1),
        amount_minor=amount,
        currency="EUR",
        refund_minor=refund_minor,
        **REFUND_TERMS[tier].snapshot(),
    )


@pytest.mark.parametrize(
    ("tier", "hours_before", "percent", "amount"),
    [
        ("flexible", 24, 100, 8000),  # "up to 24 hours before" includes that instant
        ("flexible", 25, 100, 8000),
        ("flexible", 23.99, 50, 4000),
        ("flexible", 0.01, 50, 4000),
        ("moderate", 73, 100, 8000),
        ("moderate", 71, 50, 4000),
        ("moderate", 25, 50, 4000),
        ("moderate", 23, 0, 0),
        ("strict", 169, 100, 8000),
        ("strict", 100, 50, 4000),
        ("strict", 47, 0, 0),
    ],
)
def test_each_tier_refunds_by_its_steps(tier, hours_before, percent, amount):
    quote = booking_refund_quote(booking=booking_under(tier), now=START - timedelta(hours=hours_before))
    assert (quote.percent, quote.amount.amount, quote.amount.currency) == (percent, amount, "EUR")


def test_the_full_step_ends_exactly_at_its_deadline_and_the_quote_says_when():
    booking = booking_under("moderate")
    deadline = START - timedelta(hours=72)
    at = booking_refund_quote(booking=booking, now=deadline)
    assert (at.percent, at.changes_at, at.next_percent) == (100, deadline, 50)
    after = booking_refund_quote(booking=booking, now=deadline + timedelta(microseconds=1))
    assert (after.percent, after.changes_at, after.next_percent) == (50, START - timedelta(hours=24), 0)
    last = booking_refund_quote(booking=booking, now=START - timedelta(hours=1))
    assert (last.percent, last.changes_at) == (0, None)


def test_a_half_refund_of_an_odd_amount_rounds_down_to_the_cent():
    assert booking_refund_quote(booking=booking_under("flexible", amount=999), now=START).amount.amount == 499


def test_a_fixed_refund_is_what_the_quote_says_whatever_the_clock():
    booking = booking_under("strict", refund_minor=4000)
    for now in (START - timedelta(days=30), START + timedelta(hours=2)):
        assert booking_refund_quote(booking=booking, now=now).amount.amount == 4000


def test_bookings_from_before_the_tiers_keep_the_old_rule():
    old = Booking(start=START, end=START + timedelta(hours=1), amount_minor=8000, currency="EUR")
    assert old.refund_terms.label == "Standard"
    assert booking_refund_quote(booking=old, now=START - timedelta(hours=25)).percent == 100
    assert booking_refund_quote(booking=old, now=START - timedelta(hours=23)).percent == 0


@given(
    tier=st.sampled_from(sorted(REFUND_TERMS)),
    amount=st.integers(min_value=0, max_value=10**12),
    earlier=st.integers(min_value=0, max_value=400 * 3600),
    later=st.integers(min_value=0, max_value=400 * 3600),
)
def test_the_refund_never_exceeds_the_price_and_never_grows_as_the_start_nears(tier, amount, earlier, later):
    earlier, later = max(earlier, later), min(earlier, later)  # seconds before the start
    booking = booking_under(tier, amount=amount)
    first = booking_refund_quote(booking=booking, now=START - timedelta(seconds=earlier))
    second = booking_refund_quote(booking=booking, now=START - timedelta(seconds=later))
    assert 0 <= second.amount.amount <= first.amount.amount <= amount
    assert first.percent in (0, REFUND_TERMS[tier].partial_refund_percent, 100)


# --- the expert's choice ------------------------------------------------------------------------


@pytest.fixture
def ada(expert_index):
    return make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})


@pytest.mark.django_db
def test_an_expert_without_a_choice_has_the_platform_default(ada, settings):
    assert expert_refund_terms(ada).tier == "flexible"
    settings.BOOKING_DEFAULT_REFUND_TIER = "moderate"
    assert expert_refund_terms(ada).tier == "moderate"


@pytest.mark.django_db
def test_the_expert_chooses_a_tier_on_the_availability_screen(client, ada):
    client.force_login(ada.user)
    page = client.get(URL).content.decode()
    assert "Refund policy" in page and "full refund up to 168 hours before the start, 50 % up to 48 hours" in page
    response = client.post(URL, {"kind": "refund_policy", "refund-tier": "strict"})
    assert response.status_code == 302
    assert "Refund policy saved" in client.get(URL).content.decode()
    assert ExpertRefundPolicy.objects.get(profile=ada).tier == RefundTier.STRICT
    client.post(URL, {"kind": "refund_policy", "refund-tier": "moderate"})  # changing it again: still one row
    assert list(ExpertRefundPolicy.objects.values_list("tier", flat=True)) == ["moderate"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "lenient", "STRICT", "flexible\x00", "x" * 500])
def test_a_wrong_tier_is_refused_and_nothing_changes(client, ada, value):
    client.force_login(ada.user)
    response = client.post(URL, {"kind": "refund_policy", "refund-tier": value})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "This field is required" in response.content.decode()
    assert not ExpertRefundPolicy.objects.exists()
    with pytest.raises(AvailabilityError):
        refund_policy_set(profile=ada, tier=value)
    assert not ExpertRefundPolicy.objects.exists()


@pytest.mark.django_db
def test_only_experts_may_choose(client, ada):
    client.force_login(UserFactory())
    assert client.post(URL, {"kind": "refund_policy", "refund-tier": "strict"}).status_code == 403
    assert not ExpertRefundPolicy.objects.exists()
