"""The denormalised next free time: how it is computed and kept fresh, the browse filter and the card line."""

from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bookings.selectors.slots import expert_slot_listing
from bookings.services import (
    booking_cancel,
    booking_confirm,
    booking_expire_holds,
    day_off_add,
    scheduling_policy_update,
    weekly_hours_replace,
)
from bookings.services.next_free import (
    NEXT_AVAILABLE_MAX_AGE,
    expert_next_available_refresh,
    expert_next_available_refresh_many,
)
from bookings.tasks import refresh_stale_next_available
from marketplace.models import ExpertProfile
from tests.builders import held_booking
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
ALL_DAY = [(day, clock_time(0), clock_time(23)) for day in range(7)]


def set_policy(profile, *, notice=1, horizon=60, buffer=0):
    return scheduling_policy_update(
        profile=profile, min_notice_hours=notice, horizon_days=horizon, buffer_minutes=buffer, slot_step_minutes=30
    )


def names(response):
    return [expert.title for expert in response.context["experts"]]


def stored(profile):
    profile.refresh_from_db()
    return profile.next_available_at


@pytest.fixture
def experts(expert_index, django_capture_on_commit_callbacks):
    """Four experts whose next free time is set the way the product sets it: by the services' on-commit refresh."""
    today = timezone.now().astimezone(BERLIN).date()
    with django_capture_on_commit_callbacks(execute=True):
        soon = make_expert(expert_index, name="Soon Free", prices={60: "50"})
        weekly_hours_replace(profile=soon, windows=ALL_DAY)
        set_policy(soon)

        later = make_expert(expert_index, name="Free In Twenty Days", prices={30: "40", 60: "70"})
        weekly_hours_replace(profile=later, windows=ALL_DAY)
        set_policy(later)
        for offset in range(20):  # days off for the next twenty local dates
            day_off_add(profile=later, day=today + timedelta(days=offset), today=today)

        make_expert(expert_index, name="Never Free", prices={60: "60"})  # no weekly hours

        paused = make_expert(expert_index, name="Paused Person", prices={60: "10"})
        weekly_hours_replace(profile=paused, windows=ALL_DAY)
    paused.status = ExpertProfile.Status.PAUSED
    paused.save(update_fields=["status"])
    return {"soon": soon, "later": later, "paused": paused}


def test_the_services_refresh_the_next_free_time_on_commit(experts):
    now = timezone.now()
    soon = stored(experts["soon"])
    # One hour's notice and open 00:00–23:00 every day: at most the night's gap away.
    assert now + timedelta(hours=1) <= soon <= now + timedelta(hours=4)
    later = stored(experts["later"]).astimezone(BERLIN)
    assert later.date() == now.astimezone(BERLIN).date() + timedelta(days=20)
    assert (later.hour, later.minute) == (0, 0)  # the first start of the first working day
    # Paused experts cannot be booked, so they have no next free time.
    assert expert_next_available_refresh(profile=experts["paused"]) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("available=1", ["Soon Free"]),
        ("available=7", ["Soon Free"]),
        ("available=14", ["Soon Free"]),
        ("available=30", ["Free In Twenty Days", "Soon Free"]),
        ("", ["Free In Twenty Days", "Never Free", "Soon Free"]),
        ("available=30&price_max=45", ["Free In Twenty Days"]),  # combines with the other filters
    ],
)
def test_available_within_filter_returns_the_right_experts(client, experts, query, expected):
    response = client.get(f"/experts/?{query}&sort=price_asc")
    assert response.status_code == 200
    assert sorted(names(response)) == expected
    assert response.context["result"].notices == []


def test_the_filter_is_a_labelled_select_and_keeps_its_value(client, experts):
    body = client.get("/experts/?available=7").content.decode()
    assert '<label for="id_available">Available within:</label>' in body
    assert '<select name="available" id="id_available"' in body
    assert '<option value="7" selected>7 days</option>' in body
    assert '<option value="1">24 hours</option>' in body
    assert 'name="tz"' not in body  # no empty zone is added to shared links


@pytest.mark.parametrize("value", ["abc", "-1", "9999", "0", "7.5", "%00", "1e9"])
def test_malformed_available_values_are_explained_and_change_nothing(client, experts, value):
    response = client.get(f"/experts/?available={value}&price_max=45")
    assert response.status_code == 200
    assert names(response) == ["Free In Twenty Days"]  # the other filter still applies; this one is left out
    body = response.content.decode()
    assert "Some of your filters could not be used" in body
    assert "Available within: Choose one of the listed periods: 1, 3, 7, 14 or 30 days." in body


def one_slot_expert(expert_index, name):
    """An expert with exactly one bookable slot: one 60-minute window a week, a seven-day horizon."""
    day = (timezone.now() + timedelta(days=3)).astimezone(BERLIN).date()
    profile = make_expert(expert_index, name=name, prices={60: "50"})
    weekly_hours_replace(profile=profile, windows=[(day.weekday(), clock_time(10), clock_time(11))])
    set_policy(profile, notice=0, horizon=7)
    return profile, datetime.combine(day, clock_time(10), tzinfo=BERLIN).astimezone(UTC)


def hold(profile, start, learner, minutes=60):
    session_type = profile.session_types.select_related("profile").get(duration_minutes=minutes)
    return held_booking(learner=learner, session_type=session_type, start=start)


def test_a_booking_that_takes_the_only_slot_clears_the_next_free_time(expert_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        profile, only_slot = one_slot_expert(expert_index, "One Slot")
    assert stored(profile) == only_slot

    with django_capture_on_commit_callbacks(execute=True):
        booking = hold(profile, only_slot, UserFactory())
    assert stored(profile) is None  # the hold took it

    with django_capture_on_commit_callbacks(execute=True):
        assert booking_expire_holds(now=booking.hold_expires_at + timedelta(seconds=1)) == 1
    assert stored(profile) == only_slot  # free again once the hold lapsed


def test_a_cancelled_session_gives_its_time_back_to_browse(expert_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        profile, only_slot = one_slot_expert(expert_index, "One Paid Slot")
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_confirm(booking=hold(profile, only_slot, learner))
    assert stored(profile) is None

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, by=learner, now=timezone.now())
    assert stored(profile) == only_slot


def test_a_hold_away_from_the_next_free_time_queues_no_refresh(expert_index, django_capture_on_commit_callbacks):
    profile = make_expert(expert_index, name="Busy Later", prices={60: "50"})
    weekly_hours_replace(profile=profile, windows=ALL_DAY)
    profile = set_policy(profile, notice=1)
    value = expert_next_available_refresh(profile=profile)
    checked = ExpertProfile.objects.get(pk=profile.pk).next_available_checked_at
    with django_capture_on_commit_callbacks(execute=True):
        hold(profile, value + timedelta(days=3), UserFactory())
    profile.refresh_from_db()
    # Taking time three days later cannot move the next free time: nothing was recomputed.
    assert (profile.next_available_at, profile.next_available_checked_at) == (value, checked)

    with django_capture_on_commit_callbacks(execute=True):
        hold(profile, value, UserFactory())
    profile.refresh_from_db()
    assert profile.next_available_at >= value + timedelta(hours=1)  # after the held hour
    assert profile.next_available_checked_at > checked


def test_the_value_is_the_first_time_the_expert_page_offers(expert_index):
    profile = make_expert(expert_index, name="Buffered", prices={30: "30", 90: "90"})
    weekly_hours_replace(profile=profile, windows=[(day, clock_time(9), clock_time(12)) for day in range(5)])
    profile = set_policy(profile, notice=30, buffer=30)
    now = timezone.now()
    learner = UserFactory()
    session_30 = profile.session_types.get(duration_minutes=30)
    first = expert_slot_listing(profile=profile, session_type=session_30, viewer_zone="UTC", week=0, now=now)
    first_start = next(start for slot_day in first.days for start in slot_day.starts)
    hold(profile, first_start, learner, minutes=30)
    value = expert_next_available_refresh(profile=profile, now=now)
    listing = expert_slot_listing(profile=profile, session_type=session_30, viewer_zone="UTC", week=0, now=now)
    starts = [start for slot_day in listing.days for start in slot_day.starts]
    # The hold and its 30-minute buffer push the first free time on, exactly as the page lists it.
    assert value == starts[0] > first_start + timedelta(minutes=30)
    assert value >= now + timedelta(hours=30)  # minimum notice respected


def test_the_batch_refresh_takes_a_fixed_number_of_queries(expert_index, django_assert_max_num_queries):
    profiles = []
    for number in range(6):
        profile = make_expert(expert_index, name=f"Batch {number}", prices={60: "50"})
        weekly_hours_replace(profile=profile, windows=ALL_DAY)
        day_off_add(profile=profile, day=timezone.now().date() + timedelta(days=3), today=timezone.now().date())
        profiles.append(profile)
    user_ids = [profile.user_id for profile in profiles]
    with django_assert_max_num_queries(6) as few:
        expert_next_available_refresh_many(user_ids=user_ids[:2])
    with django_assert_max_num_queries(6) as many:
        values = expert_next_available_refresh_many(user_ids=user_ids)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert all(value is not None for value in values.values())


def test_the_schedule_refreshes_stale_rows_only(expert_index):
    now = timezone.now()
    profiles = {}
    for name in ("never checked", "checked long ago", "overtaken by the clock", "fresh"):
        profile = make_expert(expert_index, name=name.title(), prices={60: "50"})
        weekly_hours_replace(profile=profile, windows=ALL_DAY)
        set_policy(profile, notice=12)
        profiles[name] = profile
    wrong = now + timedelta(days=9)
    rows = ExpertProfile.objects.filter
    rows(pk=profiles["never checked"].pk).update(next_available_at=None, next_available_checked_at=None)
    rows(pk=profiles["checked long ago"].pk).update(
        next_available_at=wrong, next_available_checked_at=now - NEXT_AVAILABLE_MAX_AGE - timedelta(minutes=1)
    )
    # Checked a minute ago, but the minimum notice has moved past the stored time.
    rows(pk=profiles["overtaken by the clock"].pk).update(
        next_available_at=now + timedelta(hours=11), next_available_checked_at=now - timedelta(minutes=1)
    )
    # Recently checked and still bookable: left alone (the wrong value proves nobody recomputed it).
    rows(pk=profiles["fresh"].pk).update(next_available_at=wrong, next_available_checked_at=now - timedelta(minutes=1))

    assert refresh_stale_next_available() == 3
    for name in ("never checked", "checked long ago", "overtaken by the clock"):
        value = stored(profiles[name])
        assert now + timedelta(hours=12) <= value <= now + timedelta(hours=13), name
    assert stored(profiles["fresh"]) == wrong
    assert refresh_stale_next_available() == 0  # nothing left to do


def test_an_older_refresh_never_overwrites_a_newer_one(expert_index):
    profile = make_expert(expert_index, name="Raced", prices={60: "50"})
    weekly_hours_replace(profile=profile, windows=ALL_DAY)
    now = timezone.now()
    newer = expert_next_available_refresh(profile=profile, now=now)
    expert_next_available_refresh_many(user_ids=[profile.user_id], now=now - timedelta(days=2))
    profile.refresh_from_db()
    assert (profile.next_available_at, profile.next_available_checked_at) == (newer, now)


# --- The card line -------------------------------------------------------------------------------

TUESDAY = datetime(2030, 12, 3, 13, 30, tzinfo=UTC)


@pytest.fixture
def carded(expert_index):
    free = make_expert(expert_index, name="Has Time", prices={60: "50"}, rating="4.9", rating_count=3)
    ExpertProfile.objects.filter(pk=free.pk).update(next_available_at=TUESDAY, next_available_checked_at=timezone.now())
    make_expert(expert_index, name="No Time", prices={60: "50"})
    return free


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("?tz=Europe/Berlin", "Tue 3 Dec, 14:30 CET"),
        ("?tz=Asia/Kolkata", "Tue 3 Dec, 19:00 IST"),
        ("?tz=America/Los_Angeles", "Tue 3 Dec, 05:30 PST"),
        ("?tz=Pacific/Auckland", "Wed 4 Dec, 02:30 NZDT"),  # the next day over there
        ("", "Tue 3 Dec, 13:30 UTC"),  # a visitor without a zone sees UTC, and is told so
    ],
)
def test_the_card_shows_the_next_free_time_in_the_viewers_zone(client, carded, query, shown):
    body = client.get(f"/experts/{query}").content.decode()
    assert f'Next free: <time datetime="2030-12-03T13:30:00Z">{shown}</time>' in body
    assert "No free times in the next 60 days" in body  # the expert without hours


def test_a_signed_in_viewer_sees_their_own_zone_and_tz_is_kept_in_the_form(client, carded):
    client.force_login(UserFactory(time_zone="America/New_York"))
    body = client.get("/experts/").content.decode()
    assert "Tue 3 Dec, 08:30 EST" in body
    body = client.get("/experts/?tz=Asia/Tokyo&sort=rating").content.decode()
    assert "Tue 3 Dec, 22:30 JST" in body
    assert '<input type="hidden" name="tz" value="Asia/Tokyo"' in body  # a filter change keeps the zone


def test_an_unknown_zone_is_explained_and_the_page_still_works(client, carded):
    response = client.get("/experts/?tz=Mars/Olympus_Mons")
    assert response.status_code == 200
    body = response.content.decode()
    assert "“Mars/Olympus_Mons” is not a known time zone" in body
    assert "Tue 3 Dec, 13:30 UTC" in body


def test_a_time_the_clock_has_passed_is_not_shown(client, carded):
    ExpertProfile.objects.filter(pk=carded.pk).update(next_available_at=timezone.now() - timedelta(minutes=5))
    body = client.get("/experts/").content.decode()
    assert "Has Time" in body and "Next free:" not in body


@pytest.mark.parametrize(
    ("language", "free", "none"),
    [
        ("es", "Próxima hora libre: <time", "No hay horas libres en los próximos 60 días"),
        ("de", "Nächster freier Termin: <time", "Keine freien Termine in den nächsten 60 Tagen"),
    ],
)
def test_the_card_line_is_translated(carded, language, free, none):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load marketplace_tags %}{% next_free profile %}")
    carded.next_available_at = TUESDAY
    with translation.override(language):
        shown = template.render(Context({"profile": carded, "viewer_zone": "Europe/Berlin"}))
        carded.next_available_at = None
        empty = template.render(Context({"profile": carded}))
    assert free in shown and none in empty


def _queries(client, url, django_assert_max_num_queries):
    client.get(url)  # warm Wagtail's site cache and create renditions
    with django_assert_max_num_queries(10) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_the_filter_and_card_line_add_no_queries(client, expert_index, django_assert_max_num_queries):
    url = "/experts/?available=30&tz=Europe/Berlin&sort=rating"
    soon = timezone.now() + timedelta(days=2)

    def add(prefix, count):
        for number in range(count):
            profile = make_expert(expert_index, name=f"{prefix} {number}", prices={60: "50"}, photo=True)
            ExpertProfile.objects.filter(pk=profile.pk).update(
                next_available_at=None if number % 4 == 3 else soon, next_available_checked_at=timezone.now()
            )

    add("First", 1)
    one, response = _queries(client, url, django_assert_max_num_queries)
    assert len(response.context["experts"]) == 1
    add("More", 40)
    many, response = _queries(client, url, django_assert_max_num_queries)
    assert len(response.context["experts"]) == 12
    assert response.content.decode().count("Next free:") == 12
    # One expert and a full page of them cost the same (the full page's capped count was
    # cached by the warm-up request, for the current minute).
    assert many == one
