"""Profile views counted per day by the page's beacon, and "profile views to bookings" on the insights page."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from learning.expert_selectors import expert_insights
from learning.models import ProfileViewDay
from learning.view_counter import LIMIT, profile_view_record
from tests.builders import bookable_expert, booking_in_state
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _beacon(client, profile_id):
    return client.post(reverse("profile_viewed", args=[profile_id]))


def test_each_beacon_adds_one_to_the_days_count_without_cookies_or_csrf(client, expert_index):
    profile = make_expert(expert_index, name="Vera")
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert _beacon(csrf_client, profile.pk).status_code == 204
    assert _beacon(csrf_client, profile.pk).status_code == 204
    row = ProfileViewDay.objects.get(profile=profile)
    assert (row.day, row.views) == (timezone.now().date(), 2)
    assert not _beacon(csrf_client, profile.pk).cookies  # nothing set on the visitor


def test_wrong_inputs_change_nothing(client, expert_index):
    profile = make_expert(expert_index, name="Vera")
    assert client.get(reverse("profile_viewed", args=[profile.pk])).status_code == 405
    assert _beacon(client, 999_999).status_code == 404
    paused = make_expert(expert_index, name="Paused", status="paused")
    assert _beacon(client, paused.pk).status_code == 404
    assert client.post(f"/insights/views/{profile.pk}x/").status_code == 404
    assert not ProfileViewDay.objects.exists()


def test_one_client_is_limited_per_minute(client, expert_index):
    profile = make_expert(expert_index, name="Vera")
    for _hit in range(LIMIT):
        assert _beacon(client, profile.pk).status_code == 204
    assert _beacon(client, profile.pk).status_code == 429
    assert ProfileViewDay.objects.get(profile=profile).views == LIMIT


def test_the_expert_page_carries_the_beacon_script(client, expert_index):
    page = make_expert(expert_index, name="Vera").pages.get()
    html = client.get(page.url).content.decode()
    assert f'data-view-beacon="/insights/views/{page.profile_id}/"' in html and "js/profile-view.js" in html
    assert "<script>" not in html  # no inline script (strict CSP)


def test_insights_show_views_to_bookings_by_month_with_constant_queries(client):
    page = bookable_expert()  # a session type
    expert = page.profile.user
    today = timezone.now().date()
    for _view in range(40):
        profile_view_record(profile_id=page.profile_id, day=today)
    profile_view_record(profile_id=page.profile_id, day=today - timedelta(days=400))  # outside the 12 months
    booking_in_state(learner=UserFactory(), expert=expert, start=timezone.now() + timedelta(days=3))
    booking_in_state(
        learner=UserFactory(), expert=expert, start=timezone.now() + timedelta(days=4), status=Booking.Status.EXPIRED
    )
    insights = expert_insights(expert=expert, zone="UTC", now=timezone.now())
    assert (insights.views, sum(insights.booked_by_month), insights.view_to_booking_rate) == (40, 1, 2.5)
    client.force_login(expert)
    html = client.get(reverse("expert_insights")).content.decode()
    assert (
        "Profile views to bookings" in html and "40 views of your page" in html and "2.5 bookings per 100 views" in html
    )


def test_insights_count_only_the_experts_own_page_views(client, expert_index):
    expert = bookable_expert().profile.user
    other = make_expert(expert_index, name="Other")
    profile_view_record(profile_id=other.pk, day=timezone.now().date())
    client.force_login(expert)
    assert "No views of your page yet" in client.get(reverse("expert_insights")).content.decode()
    client.force_login(other.user)
    assert "1 views of your page" in client.get(reverse("expert_insights")).content.decode()
