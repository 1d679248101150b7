"""The slot engine on the days clocks change, and in zones with odd offsets."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bookings.scheduling import (
    Availability,
    DateOverride,
    Interval,
    SchedulingPolicy,
    SlotUnavailable,
    WeeklyRule,
    compute_slots,
    validate_slot,
)

EVERY_DAY = range(7)


def availability(zone, start, end, step=30, **policy):
    return Availability(
        time_zone=zone,
        weekly=tuple(WeeklyRule(day, start, end) for day in EVERY_DAY),
        policy=SchedulingPolicy(slot_step=timedelta(minutes=step), min_notice=timedelta(0), **policy),
    )


def slots_on(avail, day, minutes=60):
    zone = ZoneInfo(avail.time_zone)
    begin = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC) - timedelta(hours=3)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC) + timedelta(hours=3)
    now = begin - timedelta(days=1)
    found = compute_slots(
        availability=avail, duration=timedelta(minutes=minutes), range_start=begin, range_end=end, now=now
    )
    return [slot for slot in found if slot.start.astimezone(zone).date() == day], now


def local_times(slots, zone):
    return [slot.start.astimezone(ZoneInfo(zone)).strftime("%H:%M") for slot in slots]


def test_berlin_spring_forward_skips_the_missing_hour_and_keeps_wall_clock_alignment():
    avail = availability("Europe/Berlin", time(0), time(6))
    slots, now = slots_on(avail, date(2026, 3, 29))
    # 02:00-02:59 does not exist on 29 March 2026 in Berlin.
    assert local_times(slots, "Europe/Berlin") == [
        "00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00",
    ]  # fmt: skip
    # The 01:30 session lasts a real hour and ends at 03:30 local (02:30 UTC).
    assert slots[3].end == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert all(slot.start.tzinfo is UTC for slot in slots)


def test_berlin_fall_back_offers_both_occurrences_of_the_repeated_hour():
    avail = availability("Europe/Berlin", time(1), time(4), step=60)
    slots, _ = slots_on(avail, date(2026, 10, 25))
    utc_starts = [slot.start.strftime("%H:%M") for slot in slots]
    # 01:00 CEST, 02:00 CEST, 02:00 CET, 03:00 CET: four real hours in a three-hour window.
    assert utc_starts == ["23:00", "00:00", "01:00", "02:00"]
    assert local_times(slots, "Europe/Berlin") == ["01:00", "02:00", "02:00", "03:00"]


def test_new_york_window_holds_one_hour_less_real_time_on_spring_forward_day():
    avail = availability("America/New_York", time(0), time(4), step=60)
    normal, _ = slots_on(avail, date(2026, 3, 1))
    change, _ = slots_on(avail, date(2026, 3, 8))
    assert local_times(normal, "America/New_York") == ["00:00", "01:00", "02:00", "03:00"]
    # 02:00 does not exist; 00:00-04:00 EST/EDT is three real hours.
    assert local_times(change, "America/New_York") == ["00:00", "01:00", "03:00"]
    assert [slot.start.hour for slot in change] == [5, 6, 7]


def test_new_york_fall_back():
    avail = availability("America/New_York", time(0), time(3), step=60)
    slots, _ = slots_on(avail, date(2026, 11, 1))
    assert local_times(slots, "America/New_York") == ["00:00", "01:00", "01:00", "02:00"]
    assert [slot.start.hour for slot in slots] == [4, 5, 6, 7]


def test_lord_howe_thirty_minute_shift():
    # Lord Howe moves from +10:30 to +11:00 at 02:00 local on 4 October 2026.
    avail = availability("Australia/Lord_Howe", time(1), time(4), step=30)
    slots, _ = slots_on(avail, date(2026, 10, 4), minutes=30)
    assert local_times(slots, "Australia/Lord_Howe") == ["01:00", "01:30", "02:30", "03:00", "03:30"]
    # Back from +11:00 to +10:30 at 02:00 on 5 April 2026: 01:30-01:59 happens twice.
    slots, _ = slots_on(avail, date(2026, 4, 5), minutes=30)
    assert local_times(slots, "Australia/Lord_Howe") == ["01:00", "01:30", "01:30", "02:00", "02:30", "03:00", "03:30"]
    assert len({slot.start for slot in slots}) == 7


@pytest.mark.parametrize(
    ("zone", "offset"),
    [("Asia/Kolkata", timedelta(hours=5, minutes=30)), ("Asia/Kathmandu", timedelta(hours=5, minutes=45))],
)
def test_non_hour_offsets_keep_local_alignment(zone, offset):
    avail = availability(zone, time(9), time(12), step=30)
    slots, _ = slots_on(avail, date(2026, 6, 15))
    assert local_times(slots, zone) == ["09:00", "09:30", "10:00", "10:30", "11:00"]
    assert slots[0].start == datetime(2026, 6, 15, 9, tzinfo=UTC) - offset


def test_validation_rejects_nonexistent_local_time_and_accepts_listed_one():
    avail = availability("Europe/Berlin", time(0), time(6))
    slots, now = slots_on(avail, date(2026, 3, 29))
    for slot in slots:
        assert validate_slot(start=slot.start, availability=avail, duration=timedelta(hours=1), now=now) == slot
    # 01:15 UTC is 03:15 CEST: inside the window but off the wall-clock step.
    with pytest.raises(SlotUnavailable) as refused:
        validate_slot(
            start=datetime(2026, 3, 29, 1, 15, tzinfo=UTC), availability=avail, duration=timedelta(hours=1), now=now
        )
    assert refused.value.code == "outside_availability"


def test_day_off_override_and_replacement_windows():
    avail = Availability(
        time_zone="Asia/Kolkata",
        weekly=tuple(WeeklyRule(day, time(9), time(11)) for day in EVERY_DAY),
        overrides=(
            DateOverride.day_off(date(2026, 6, 15)),
            DateOverride(date=date(2026, 6, 16), windows=((time(14), time(15)),)),
        ),
        policy=SchedulingPolicy(min_notice=timedelta(0)),
    )
    assert slots_on(avail, date(2026, 6, 15))[0] == []
    assert local_times(slots_on(avail, date(2026, 6, 16))[0], "Asia/Kolkata") == ["14:00"]
    assert local_times(slots_on(avail, date(2026, 6, 17))[0], "Asia/Kolkata") == ["09:00", "09:30", "10:00"]


def test_refusal_reasons():
    avail = Availability(
        time_zone="UTC",
        weekly=tuple(WeeklyRule(day, time(9), time(17)) for day in EVERY_DAY),
        policy=SchedulingPolicy(buffer=timedelta(minutes=15)),
    )
    now = datetime(2026, 6, 1, 8, tzinfo=UTC)
    booking = Interval(datetime(2026, 6, 3, 10, tzinfo=UTC), datetime(2026, 6, 3, 11, tzinfo=UTC))

    def code(start):
        with pytest.raises(SlotUnavailable) as refused:
            validate_slot(start=start, availability=avail, duration=timedelta(hours=1), now=now, bookings=[booking])
        return refused.value.code

    assert code(datetime(2026, 5, 30, 9, tzinfo=UTC)) == "past"
    assert code(datetime(2026, 6, 1, 10, tzinfo=UTC)) == "too_soon"
    assert code(datetime(2026, 8, 10, 9, tzinfo=UTC)) == "too_far"
    assert code(datetime(2026, 6, 3, 11, tzinfo=UTC)) == "taken"  # inside the 15-minute buffer
    assert code(datetime(2026, 6, 3, 17, tzinfo=UTC)) == "outside_availability"
    assert code(datetime(2026, 6, 3, 9)) == "invalid"  # noqa: DTZ001 (naive on purpose)
    ok = validate_slot(
        start=datetime(2026, 6, 3, 11, 30, tzinfo=UTC),
        availability=avail,
        duration=timedelta(hours=1),
        now=now,
        bookings=[booking],
    )
    assert ok.end == datetime(2026, 6, 3, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "build",
    [
        lambda: WeeklyRule(7, time(9), time(10)),
        lambda: WeeklyRule(0, time(10), time(9)),
        lambda: SchedulingPolicy(slot_step=timedelta(minutes=7)),
        lambda: SchedulingPolicy(daily_cap=0),
        lambda: SchedulingPolicy(horizon=timedelta(0)),
        lambda: Availability(time_zone="Mars/Olympus"),
        lambda: Interval(datetime(2026, 1, 1, 10), datetime(2026, 1, 1, 11)),  # noqa: DTZ001
        lambda: Interval(datetime(2026, 1, 1, 11, tzinfo=UTC), datetime(2026, 1, 1, 10, tzinfo=UTC)),
    ],
)
def test_wrong_rules_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_wrong_duration_is_refused():
    avail = availability("UTC", time(9), time(10))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        compute_slots(availability=avail, duration=timedelta(0), range_start=now, range_end=now, now=now)
