"""Availability storage, the selector that feeds the slot engine, and /expert/availability/."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import IntegrityError, transaction

from bookings.errors import AvailabilityError
from bookings.models import DateOverride, WeeklyHours
from bookings.scheduling import SchedulingPolicy, WeeklyRule, compute_slots
from bookings.selectors.availability import expert_availability
from bookings.services import day_off_add, day_off_remove, scheduling_policy_update, weekly_hours_replace
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db

URL = "/expert/availability/"


@pytest.fixture
def ada(expert_index):
    return make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})


@pytest.fixture
def grace(expert_index):
    return make_expert(expert_index, name="Grace Hopper", prices={30: "40"})


def weekly_post(rows, *, extra_blank=2):
    data = {"kind": "weekly"}
    all_rows = [*rows, *[("", "", "", False)] * extra_blank]
    data.update(
        {
            "weekly-TOTAL_FORMS": str(len(all_rows)),
            "weekly-INITIAL_FORMS": "0",
            "weekly-MIN_NUM_FORMS": "0",
            "weekly-MAX_NUM_FORMS": "42",
        }
    )
    for index, (weekday, start, end, *delete) in enumerate(all_rows):
        data[f"weekly-{index}-weekday"] = str(weekday)
        data[f"weekly-{index}-start"] = start
        data[f"weekly-{index}-end"] = end
        if delete and delete[0]:
            data[f"weekly-{index}-DELETE"] = "on"
    return data


# --- model, service and selector -----------------------------------------------------------------


def test_a_new_profile_has_the_default_policy(ada):
    assert (ada.min_notice_hours, ada.horizon_days, ada.buffer_minutes, ada.slot_step_minutes) == (12, 60, 0, 30)
    assert expert_availability(profile=ada).policy == SchedulingPolicy()


def test_weekly_hours_become_the_engines_rules(ada):
    weekly_hours_replace(
        profile=ada, windows=[(0, time(13), time(17)), (0, time(9), time(12)), (5, time(10), time(11, 30))]
    )
    availability = expert_availability(profile=ada)
    assert availability.time_zone == "Europe/Berlin"
    assert availability.weekly == (
        WeeklyRule(0, time(9), time(12)),
        WeeklyRule(0, time(13), time(17)),
        WeeklyRule(5, time(10), time(11, 30)),
    )


def test_the_selector_costs_two_queries_whatever_the_data(ada, django_assert_num_queries):
    with django_assert_num_queries(2):
        expert_availability(profile=ada)
    weekly_hours_replace(profile=ada, windows=[(day, time(9), time(17)) for day in range(7)])
    for offset in range(30):
        day_off_add(profile=ada, day=date(2030, 1, 1) + timedelta(days=offset), today=date(2029, 12, 31))
    with django_assert_num_queries(2):
        availability = expert_availability(profile=ada)
    assert len(availability.weekly) == 7 and len(availability.overrides) == 30


@pytest.mark.parametrize(
    ("windows", "fragment"),
    [
        ([(0, time(10), time(9))], "must be after the start"),
        ([(0, time(10), time(10))], "must be after the start"),
        ([(2, time(9), time(12)), (2, time(11), time(14))], "overlaps"),
        ([(2, time(9), time(17)), (2, time(10), time(11))], "overlaps"),
        ([(7, time(9), time(10))], "day of the week"),
    ],
)
def test_bad_weekly_hours_are_refused_with_a_clear_message(ada, windows, fragment):
    with pytest.raises(AvailabilityError) as refused:
        weekly_hours_replace(profile=ada, windows=windows)
    assert fragment in refused.value.message
    assert not WeeklyHours.objects.filter(profile=ada).exists()


def test_touching_windows_and_the_same_hours_on_other_days_are_fine(ada):
    weekly_hours_replace(profile=ada, windows=[(1, time(9), time(12)), (1, time(12), time(14)), (2, time(9), time(12))])
    assert WeeklyHours.objects.filter(profile=ada).count() == 3


def test_replacing_weekly_hours_replaces_all_of_them_and_an_unchanged_save_keeps_the_rows(ada):
    weekly_hours_replace(profile=ada, windows=[(0, time(9), time(12))])
    first = list(WeeklyHours.objects.filter(profile=ada).values_list("pk", flat=True))
    weekly_hours_replace(profile=ada, windows=[(0, time(9), time(12))])
    assert list(WeeklyHours.objects.filter(profile=ada).values_list("pk", flat=True)) == first
    weekly_hours_replace(profile=ada, windows=[(3, time(14), time(18))])
    assert list(WeeklyHours.objects.filter(profile=ada).values_list("weekday", "start")) == [(3, time(14))]


def test_the_database_refuses_a_window_that_ends_before_it_starts(ada):
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyHours.objects.create(profile=ada, weekday=0, start=time(12), end=time(9))


def test_the_database_refuses_a_half_open_override(ada):
    with pytest.raises(IntegrityError), transaction.atomic():
        DateOverride.objects.create(profile=ada, date=date(2030, 1, 1), start=time(9))


def test_a_day_off_removes_that_dates_slots_and_removing_it_brings_them_back(ada):
    weekly_hours_replace(profile=ada, windows=[(day, time(9), time(12)) for day in range(7)])
    now = datetime(2030, 1, 1, 0, 0, tzinfo=UTC)
    day = date(2030, 1, 3)

    def slots_on_day():
        slots = compute_slots(
            availability=expert_availability(profile=ada),
            duration=timedelta(minutes=60),
            range_start=now,
            range_end=now + timedelta(days=5),
            now=now,
        )
        return [slot for slot in slots if slot.start.date() == day]

    assert slots_on_day()
    day_off_add(profile=ada, day=day, today=date(2030, 1, 1))
    day_off_add(profile=ada, day=day, today=date(2030, 1, 1))  # twice is fine
    assert DateOverride.objects.filter(profile=ada).count() == 1
    assert slots_on_day() == []
    assert day_off_remove(profile=ada, day=day) is True
    assert day_off_remove(profile=ada, day=day) is False
    assert slots_on_day()


def test_a_day_off_wins_over_windows_on_the_same_date(ada):
    DateOverride.objects.create(profile=ada, date=date(2030, 1, 3), start=time(9), end=time(10))
    day_off_add(profile=ada, day=date(2030, 1, 3), today=date(2030, 1, 1))
    (override,) = expert_availability(profile=ada).overrides
    assert override.windows == ()


def test_a_day_off_in_the_past_is_refused(ada):
    with pytest.raises(AvailabilityError, match="in the past"):
        day_off_add(profile=ada, day=date(2029, 12, 31), today=date(2030, 1, 1))


def test_the_policy_reaches_the_engine(ada):
    scheduling_policy_update(profile=ada, min_notice_hours=24, horizon_days=30, buffer_minutes=15, slot_step_minutes=15)
    ada.refresh_from_db()
    assert expert_availability(profile=ada).policy == SchedulingPolicy(
        min_notice=timedelta(hours=24),
        horizon=timedelta(days=30),
        buffer=timedelta(minutes=15),
        slot_step=timedelta(minutes=15),
    )


@pytest.mark.parametrize(
    "change",
    [
        {"slot_step_minutes": 7},
        {"min_notice_hours": 24 * 15},
        {"horizon_days": 0},
        {"horizon_days": 366},
        {"buffer_minutes": 241},
    ],
)
def test_an_out_of_range_policy_is_refused(ada, change):
    values = {"min_notice_hours": 12, "horizon_days": 60, "buffer_minutes": 0, "slot_step_minutes": 30, **change}
    with pytest.raises(AvailabilityError):
        scheduling_policy_update(profile=ada, **values)
    ada.refresh_from_db()
    assert (ada.min_notice_hours, ada.horizon_days, ada.buffer_minutes, ada.slot_step_minutes) == (12, 60, 0, 30)


# --- the page ------------------------------------------------------------------------------------


def test_only_experts_reach_the_page(client, ada):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_the_page_shows_the_experts_own_hours_and_zone(client, ada, grace):
    weekly_hours_replace(profile=ada, windows=[(0, time(9), time(12))])
    weekly_hours_replace(profile=grace, windows=[(4, time(15, 45), time(18))])
    client.force_login(ada.user)
    page = client.get(URL).content.decode()
    assert "Europe/Berlin" in page
    assert 'value="09:00"' in page and 'value="12:00"' in page
    assert "15:45" not in page  # Grace's hours are hers alone


def test_saving_weekly_hours_through_the_page(client, ada):
    client.force_login(ada.user)
    response = client.post(URL, weekly_post([(0, "09:00", "12:00"), (0, "13:00", "17:00"), (4, "10:00", "11:00")]))
    assert response.status_code == 302
    assert list(WeeklyHours.objects.filter(profile=ada).values_list("weekday", "start", "end")) == [
        (0, time(9), time(12)),
        (0, time(13), time(17)),
        (4, time(10), time(11)),
    ]
    assert "Weekly hours saved" in client.get(URL).content.decode()


def test_removing_a_row_through_the_page(client, ada):
    weekly_hours_replace(profile=ada, windows=[(0, time(9), time(12)), (1, time(9), time(12))])
    client.force_login(ada.user)
    response = client.post(URL, weekly_post([(0, "09:00", "12:00"), (1, "09:00", "12:00", True)]))
    assert response.status_code == 302
    assert list(WeeklyHours.objects.filter(profile=ada).values_list("weekday", flat=True)) == [0]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(0, "12:00", "09:00")], "The end must be after the start"),
        ([(0, "09:00", "12:00"), (0, "11:00", "13:00")], "Monday: 09:00–12:00 overlaps 11:00–13:00"),
        ([(0, "9 o'clock", "12:00")], "Enter a valid time"),
        ([(0, "09:00", "")], "This field is required"),
        ([(9, "09:00", "12:00")], "Select a valid choice"),
    ],
)
def test_wrong_weekly_hours_on_the_page_keep_the_old_ones_and_say_why(client, ada, rows, message):
    weekly_hours_replace(profile=ada, windows=[(2, time(8), time(9))])
    client.force_login(ada.user)
    response = client.post(URL, weekly_post(rows))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(WeeklyHours.objects.filter(profile=ada).values_list("weekday", flat=True)) == [2]


def test_saving_the_policy_through_the_page(client, ada):
    client.force_login(ada.user)
    data = {
        "kind": "policy",
        "policy-min_notice_hours": "24",
        "policy-horizon_days": "30",
        "policy-buffer_minutes": "10",
        "policy-slot_step_minutes": "15",
    }
    assert client.post(URL, data).status_code == 302
    ada.refresh_from_db()
    assert (ada.min_notice_hours, ada.horizon_days, ada.buffer_minutes, ada.slot_step_minutes) == (24, 30, 10, 15)
    data["policy-slot_step_minutes"] = "7"
    data["policy-horizon_days"] = "-3"
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    ada.refresh_from_db()
    assert ada.horizon_days == 30


def test_days_off_through_the_page(client, ada):
    client.force_login(ada.user)
    response = client.post(URL, {"kind": "day_off", "dayoff-day": "2099-05-04"})
    assert response.status_code == 302
    assert DateOverride.objects.filter(profile=ada, date=date(2099, 5, 4), start__isnull=True).exists()
    page = client.get(URL).content.decode()
    # The success message and the list write the day the same way.
    assert "Monday 4 May 2099 is now a day off." in page and "<span>Monday 4 May 2099</span>" in page
    response = client.post(URL, {"kind": "day_off_remove", "dayoff-day": "2099-05-04"})
    assert response.status_code == 302
    assert not DateOverride.objects.filter(profile=ada).exists()


def test_a_past_or_malformed_day_off_on_the_page_says_why(client, ada):
    client.force_login(ada.user)
    response = client.post(URL, {"kind": "day_off", "dayoff-day": "2001-01-01"}, follow=True)
    assert "That date is in the past" in response.content.decode()
    response = client.post(URL, {"kind": "day_off", "dayoff-day": "not a date"})
    assert response.status_code == 200 and "Enter a valid date" in response.content.decode()
    assert not DateOverride.objects.exists()


def test_removing_someone_elses_day_off_touches_only_your_own(client, ada, grace):
    day_off_add(profile=grace, day=date(2099, 5, 4), today=date(2030, 1, 1))
    client.force_login(ada.user)
    client.post(URL, {"kind": "day_off_remove", "dayoff-day": "2099-05-04"})
    assert DateOverride.objects.filter(profile=grace).count() == 1


def test_an_unknown_form_kind_is_a_clear_message_not_an_error(client, ada):
    client.force_login(ada.user)
    response = client.post(URL, {"kind": "nonsense"})
    assert response.status_code == 200
    assert "Something was missing from the form" in response.content.decode()


def test_the_page_query_count_does_not_grow_with_hours_and_days_off(client, ada, django_assert_max_num_queries):
    client.force_login(ada.user)
    client.get(URL)
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    weekly_hours_replace(
        profile=ada, windows=[(day, time(hour), time(hour + 1)) for day in range(7) for hour in (8, 10, 12)]
    )
    for offset in range(10):
        day_off_add(profile=ada, day=date(2099, 1, 1) + timedelta(days=offset), today=date(2030, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
