"""The booking flow: a listed free time is held from the expert page, then reviewed."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

import bookings.views.booking as booking_views
from bookings.models import Booking
from core.errors import Busy
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_in_ny(db):
    return UserFactory(time_zone="America/New_York")


def book_url(profile):
    return reverse("booking_start", kwargs={"page_id": profile.pages.first().pk})


def post(client, profile, **fields):
    data = {"session": "60", "tz": "Asia/Kathmandu", "week": "1", "start": next_monday_nine_berlin().isoformat()}
    data.update(fields)
    return client.post(book_url(profile), data)


def test_each_listed_time_is_a_submit_button_of_its_days_post_form(client, ada):
    html = client.get(ada.pages.first().url + "?week=1").content.decode()
    assert f'action="{book_url(ada)}"' in html
    # One form (and one CSRF token) per day with free times, however many times it lists.
    forms = re.findall(r'<form method="post" action="[^"]*" class="slot-form">(.*?)</form>', html, flags=re.S)
    assert forms and all(form.count('name="csrfmiddlewaretoken"') == 1 for form in forms)
    buttons = re.findall(r'<button type="submit" name="start" value="([^"]+)"', html)
    assert len(buttons) > len(forms)
    assert all(value.endswith("+00:00") for value in buttons)  # posted in UTC, shown in the viewer's zone


def test_anonymous_visitors_go_to_login_and_keep_their_choice(client, ada):
    response = post(client, ada)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("account_login")
    back = urlsplit(parse_qs(target.query)["next"][0])
    assert back.path == ada.pages.first().url
    assert parse_qs(back.query) == {"session": ["60"], "tz": ["Asia/Kathmandu"], "week": ["1"]}
    assert not Booking.objects.exists()


def test_get_is_not_allowed(client, ada, learner_in_ny):
    client.force_login(learner_in_ny)
    assert client.get(book_url(ada)).status_code == 405


def test_a_signed_in_learner_holds_the_slot_at_the_servers_price(client, ada, learner_in_ny):
    client.force_login(learner_in_ny)
    # Tampered money fields are ignored: the price comes from the expert's session type.
    response = post(client, ada, amount_minor="1", price="0.01", currency="JPY")
    booking = Booking.objects.get()
    assert response["Location"] == reverse("booking_review", kwargs={"pk": booking.pk})
    assert (booking.amount_minor, booking.currency, booking.status) == (8000, "EUR", Booking.Status.HELD)
    assert booking.start == next_monday_nine_berlin()
    assert booking.end - booking.start == timedelta(minutes=60)
    assert booking.learner == learner_in_ny and booking.expert == ada.user


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "2001-01-01T08:00:00+00:00"}, "already passed"),
        ({"start": "not a time"}, "valid time"),
        ({"start": "2030-01-07T09:00:00"}, "valid time"),  # naive: refused, not guessed
        ({"start": "", "session": "60"}, "valid time"),
        ({"session": "45"}, "not offered"),
        ({"session": "abc"}, "not offered"),
    ],
)
def test_wrong_inputs_give_a_message_and_hold_nothing(client, ada, learner_in_ny, fields, message):
    client.force_login(learner_in_ny)
    response = post(client, ada, **fields)
    assert response.status_code == 302 and response["Location"].startswith(ada.pages.first().url)
    assert not Booking.objects.exists()
    assert message in client.get(response["Location"]).content.decode()


def test_a_time_outside_the_experts_hours_is_refused(client, ada, learner_in_ny):
    client.force_login(learner_in_ny)
    response = post(client, ada, start=(next_monday_nine_berlin() + timedelta(hours=5)).isoformat())
    assert not Booking.objects.exists()
    assert "not available at this time" in client.get(response["Location"]).content.decode()


def test_a_taken_slot_is_refused_with_a_clear_message(client, ada, learner_in_ny):
    client.force_login(UserFactory())
    post(client, ada)
    client.force_login(learner_in_ny)
    response = post(client, ada)
    assert Booking.objects.count() == 1
    assert "This slot was just taken" in client.get(response["Location"]).content.decode()


def test_the_review_page_shows_both_zones_price_and_expiry(client, ada, learner_in_ny):
    client.force_login(learner_in_ny)
    response = client.get(post(client, ada)["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    start = next_monday_nine_berlin()
    assert "09:00 (Europe/Berlin)" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert f"{start.astimezone(ZoneInfo('America/New_York')):%H:%M} (America/New_York)" in text
    assert "€80.00" in html and "EUR" in html
    assert "Held for you until" in html


def test_the_review_page_is_404_for_anyone_but_the_learner(client, ada, learner_in_ny):
    client.force_login(learner_in_ny)
    review = post(client, ada)["Location"]
    for other in (UserFactory(), ada.user):
        client.force_login(other)
        assert client.get(review).status_code == 404
    client.logout()
    assert client.get(review).status_code == 302
    client.force_login(learner_in_ny)
    assert client.get(reverse("booking_review", kwargs={"pk": 999_999})).status_code == 404


def test_an_expired_hold_says_so(client, ada, learner_in_ny):
    client.force_login(learner_in_ny)
    review = post(client, ada)["Location"]
    Booking.objects.update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    html = client.get(review).content.decode()
    assert "no longer held for you" in html and "nothing was charged" in html


def test_holding_costs_the_same_queries_however_many_bookings_exist(client, ada, learner_in_ny):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monday = next_monday_nine_berlin()

    def count(user, start):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = post(client, ada, start=start.isoformat())
        assert response["Location"].startswith("/bookings/")
        return len(queries)

    first = count(learner_in_ny, monday)
    for week in (1, 2):
        for hour in (0, 1, 2):
            count(UserFactory(), monday + timedelta(days=7 * week, hours=hour))
    assert Booking.objects.count() == 7
    # No growth with data (the very first request also creates the content-type cache etc.).
    last = count(UserFactory(), monday + timedelta(days=21))
    assert last <= first <= 20


def test_the_review_page_costs_the_same_queries_however_many_bookings_exist(client, ada, learner_in_ny):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(learner_in_ny)
    review = post(client, ada)["Location"]
    client.get(review)  # warm caches (content types, site)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(review).status_code == 200
        return len(queries)

    before = count()
    monday = next_monday_nine_berlin()
    for week in (1, 2):
        for hour in (0, 1, 2):
            client.force_login(UserFactory())
            post(client, ada, start=(monday + timedelta(days=7 * week, hours=hour)).isoformat())
    client.force_login(learner_in_ny)
    assert Booking.objects.count() == 7
    assert count() == before


def test_a_hold_takes_the_same_queries_however_many_bookings_and_days_off(client, ada, learner_in_ny):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bookings.services import day_off_add

    client.force_login(learner_in_ny)
    with CaptureQueriesContext(connection) as first:
        response = post(client, ada)
    assert response["Location"] == reverse("booking_review", kwargs={"pk": Booking.objects.get().pk})
    # Busier expert: ten more holds around the next Mondays, ten days off.
    monday = next_monday_nine_berlin()
    for week in range(1, 6):
        for hour in (1, 2):
            client.force_login(UserFactory())
            post(client, ada, start=(monday + timedelta(weeks=week, hours=hour)).isoformat())
    for week in range(10):
        day_off_add(profile=ada, day=(monday + timedelta(weeks=week, days=1)).date(), today=monday.date())
    assert Booking.objects.count() == 11
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as busy:
        response = post(client, ada, start=(monday + timedelta(weeks=3)).isoformat())
    assert response["Location"].startswith("/bookings/")
    assert len(busy) == len(first) <= 13  # one of them counts the learner's recent holds (velocity limits)


def test_a_hold_stuck_behind_a_lock_says_busy_and_holds_nothing(client, ada, learner, monkeypatch):
    def stuck(**kwargs):
        raise Busy("Someone else is changing this right now. Please try again in a moment.", code="busy")

    monkeypatch.setattr(booking_views, "booking_hold", stuck)
    client.force_login(learner)
    response = post(client, ada)
    assert response.status_code == 302 and response["Location"].endswith("#times")
    assert "Someone else is changing this right now" in client.get(response["Location"]).content.decode()
    assert not Booking.objects.exists()
