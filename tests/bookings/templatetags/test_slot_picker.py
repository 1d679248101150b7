"""Free times on the expert page: the learner's zone, switching, wrong inputs, query counts."""

import types
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

import bookings.templatetags.booking_tags as slot_picker_tags
from bookings.models import Booking
from bookings.services import day_off_add, weekly_hours_replace
from core.money import Money
from marketplace.services import session_type_create
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 1, 7, 6, 0, tzinfo=UTC)  # Monday 07:00 in Berlin


@pytest.fixture(autouse=True)
def _frozen_now(monkeypatch):
    monkeypatch.setattr(
        slot_picker_tags, "timezone", types.SimpleNamespace(now=lambda: NOW, localtime=timezone.localtime)
    )


@pytest.fixture
def ada(expert_index):
    profile = make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})  # Europe/Berlin
    # Mondays and Tuesdays 09:00–11:00 Berlin time.
    weekly_hours_replace(profile=profile, windows=[(0, time(9), time(11)), (1, time(9), time(11))])
    return profile


def url(profile, **params):
    # Without a picker parameter the page shows a placeholder the script fills (tests/bookings/views/
    # test_slot_fragment.py); ``week=0`` is the no-JavaScript path, which renders the picker inline.
    params = params or {"week": 0}
    base = profile.pages.first().url
    return base + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def times_on_page(html):
    import re

    return re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', html)


def test_anonymous_visitors_see_the_experts_zone_and_get_the_browser_zone_script(client, ada):
    html = client.get(url(ada)).content.decode()
    assert "data-zone-from-browser" in html and "js/timezone.js" in html
    # Monday 7 Jan is inside the 12 h notice; Tuesday 8 Jan: 09:00 and 09:30 and 10:00 for 60 minutes.
    assert times_on_page(html) == [
        ("2030-01-08T08:00:00+00:00", "09:00"),
        ("2030-01-08T08:30:00+00:00", "09:30"),
        ("2030-01-08T09:00:00+00:00", "10:00"),
    ]
    assert "The expert is in Europe/Berlin" in html


def test_the_tz_parameter_shows_the_same_instants_in_another_zone(client, ada):
    html = client.get(url(ada, tz="Asia/Kathmandu")).content.decode()
    assert times_on_page(html) == [
        ("2030-01-08T08:00:00+00:00", "13:45"),
        ("2030-01-08T08:30:00+00:00", "14:15"),
        ("2030-01-08T09:00:00+00:00", "14:45"),
    ]
    assert "Times are shown in Asia/Kathmandu" in html
    assert "data-zone-from-browser" not in html and "js/timezone.js" not in html


def test_a_signed_in_learner_sees_their_profile_zone_and_can_switch(client, ada):
    client.force_login(UserFactory(time_zone="America/New_York"))
    html = client.get(url(ada)).content.decode()
    assert [label for _iso, label in times_on_page(html)] == ["03:00", "03:30", "04:00"]
    assert "data-zone-from-browser" not in html
    html = client.get(url(ada, tz="Asia/Kolkata")).content.decode()
    assert [label for _iso, label in times_on_page(html)] == ["13:30", "14:00", "14:30"]


def test_a_legacy_zone_name_from_the_browser_is_shown_as_its_zone(client, ada):
    html = client.get(url(ada, tz="Asia/Calcutta")).content.decode()
    assert [label for _iso, label in times_on_page(html)] == ["13:30", "14:00", "14:30"]
    assert "Times are shown in Asia/Kolkata" in html and "not a known time zone" not in html
    assert '<option value="Asia/Kolkata" selected>Kolkata</option>' in html
    assert "Asia/Calcutta" not in html.replace("tz=Asia%2FCalcutta", "")


def test_the_zone_select_is_grouped_searchable_and_has_no_junk_names(client, ada):
    html = client.get(url(ada, tz="Europe/Berlin")).content.decode()
    assert html.index('<optgroup label="Common">') < html.index('<optgroup label="Europe">')
    assert 'data-zone-search="Search time zones"' in html
    for junk in ("Factory", "localtime", "GMT-0", "US/Pacific"):
        assert f'value="{junk}"' not in html
    assert html.count("<option") < 500


def test_the_session_length_changes_the_slots(client, ada):
    session_type_create(profile=ada, duration_minutes=30, price=Money.from_major("45", "USD"))
    html = client.get(url(ada, tz="Europe/Berlin")).content.decode()
    assert [label for _iso, label in times_on_page(html)] == ["09:00", "09:30", "10:00", "10:30"]  # shortest first
    html = client.get(url(ada, session=60, tz="Europe/Berlin")).content.decode()
    assert [label for _iso, label in times_on_page(html)] == ["09:00", "09:30", "10:00"]
    html = client.get(url(ada, session=30, tz="Europe/Berlin")).content.decode()
    assert [label for _iso, label in times_on_page(html)] == ["09:00", "09:30", "10:00", "10:30"]


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"tz": "Mars/Olympus_Mons"}, "is not a known time zone"),
        ({"tz": "<script>"}, "is not a known time zone"),
        ({"session": "45"}, "That session length is not offered"),
        ({"session": "abc"}, "That session length is not offered"),
        ({"week": "-1"}, "That week is out of range"),
        ({"week": "9999"}, "That week is out of range"),
        ({"week": "x"}, "That week is out of range"),
    ],
)
def test_wrong_parameters_fall_back_and_say_so(client, ada, params, notice):
    response = client.get(url(ada, **params))
    assert response.status_code == 200
    html = response.content.decode()
    assert notice in html
    assert times_on_page(html)  # the fallback still lists times


def test_an_unknown_zone_is_escaped(client, ada):
    html = client.get(url(ada, tz="%3Cb%3Ex")).content.decode()
    assert "<b>x" not in html and "&lt;b&gt;x" in html


def test_a_confirmed_booking_or_live_hold_removes_its_slot_and_an_expired_hold_does_not(client, ada):
    learner = UserFactory()
    common = {"learner": learner, "expert": ada.user, "amount_minor": 8000, "currency": "USD"}

    def book(hour, **fields):
        start = datetime(2030, 1, 8, hour, 0, tzinfo=UTC)
        return Booking.objects.create(start=start, end=start + timedelta(hours=1), **common, **fields)

    booked = book(8, status=Booking.Status.CONFIRMED)  # 09:00–10:00 Berlin
    labels = [label for _iso, label in times_on_page(client.get(url(ada)).content.decode())]
    assert labels == ["10:00"]  # 09:00 and 09:30 overlap the booking; 10:00 touches it
    booked.status = Booking.Status.CANCELLED_BY_LEARNER
    booked.save()
    book(8, status=Booking.Status.HELD, hold_expires_at=NOW + timedelta(minutes=10))
    assert [label for _i, label in times_on_page(client.get(url(ada)).content.decode())] == ["10:00"]
    Booking.objects.filter(status=Booking.Status.HELD).update(hold_expires_at=NOW - timedelta(minutes=1))
    assert [label for _i, label in times_on_page(client.get(url(ada)).content.decode())] == ["09:00", "09:30", "10:00"]


def test_a_day_off_empties_that_day(client, ada):
    from datetime import date

    day_off_add(profile=ada, day=date(2030, 1, 8), today=date(2030, 1, 7))
    html = client.get(url(ada)).content.decode()
    assert times_on_page(html) == []
    assert "No free times this week" in html


def test_weeks_page_forward_until_the_horizon(client, ada):
    html = client.get(url(ada, week=1)).content.decode()
    assert [iso[:10] for iso, _label in times_on_page(html)] == ["2030-01-14"] * 3 + ["2030-01-15"] * 3
    assert "Previous week" in html and "Next week" in html
    html = client.get(url(ada, week=8)).content.decode()  # 56–63 days ahead: the 60-day horizon ends inside
    assert "Next week" not in html
    assert all(iso < "2030-03-08T06:00" for iso, _label in times_on_page(html))


def test_an_expert_without_session_types_shows_no_picker(client, expert_index):
    profile = make_expert(expert_index, name="No Prices")
    html = client.get(url(profile)).content.decode()
    assert 'id="times"' not in html


def test_the_page_query_count_does_not_grow_with_bookings(client, ada, django_assert_max_num_queries):
    page = url(ada, tz="Europe/Berlin")
    client.get(page)
    with django_assert_max_num_queries(40) as baseline:
        client.get(page)
    learner = UserFactory()
    for day in range(8, 12):
        start = datetime(2030, 1, day, 8, 0, tzinfo=UTC)
        Booking.objects.create(
            learner=learner,
            expert=ada.user,
            start=start,
            end=start + timedelta(minutes=30),
            status=Booking.Status.CONFIRMED,
            amount_minor=4500,
            currency="USD",
        )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(page)
