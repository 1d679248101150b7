"""Properties of the slot engine, over random rules, policies and calendars."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings.scheduling import (
    Availability,
    Interval,
    SchedulingPolicy,
    SlotUnavailable,
    WeeklyRule,
    compute_slots,
    validate_slot,
)

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Kathmandu"]
# Around the 2026 DST changes of the zones above, so the properties meet them.
ORIGINS = [
    datetime(2026, 3, 27, tzinfo=UTC),
    datetime(2026, 3, 6, tzinfo=UTC),
    datetime(2026, 4, 3, tzinfo=UTC),
    datetime(2026, 10, 2, tzinfo=UTC),
    datetime(2026, 10, 23, tzinfo=UTC),
    datetime(2026, 10, 30, tzinfo=UTC),
]


@st.composite
def rules(draw):
    found = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, 46)) * 30
        end = draw(st.integers(start // 30 + 1, 47)) * 30
        found.append(WeeklyRule(draw(st.integers(0, 6)), time(start // 60, start % 60), time(end // 60, end % 60)))
    return tuple(found)


@st.composite
def scenarios(draw):
    policy = SchedulingPolicy(
        min_notice=timedelta(hours=draw(st.sampled_from([0, 1, 12, 30]))),
        horizon=timedelta(days=draw(st.integers(1, 6))),
        buffer=timedelta(minutes=draw(st.sampled_from([0, 5, 15, 30]))),
        slot_step=timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60]))),
        daily_cap=draw(st.none() | st.integers(1, 3)),
    )
    avail = Availability(time_zone=draw(st.sampled_from(ZONES)), weekly=draw(rules()), policy=policy)
    now = draw(st.sampled_from(ORIGINS)) + timedelta(minutes=draw(st.integers(0, 24 * 60)))

    def intervals(count):
        return st.lists(
            st.tuples(st.integers(0, 6 * 24 * 60), st.integers(15, 180)).map(
                lambda pair: Interval(now + timedelta(minutes=pair[0]), now + timedelta(minutes=pair[0] + pair[1]))
            ),
            max_size=count,
        )

    return {
        "availability": avail,
        "duration": timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90]))),
        "now": now,
        "bookings": draw(intervals(8)),
        "holds": draw(intervals(3)),
        "busy": draw(intervals(3)),
    }


def listing(case):
    return compute_slots(range_start=case["now"] - timedelta(days=1), range_end=case["now"] + timedelta(days=8), **case)


COMMON = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(scenarios())
def test_no_slot_breaks_a_booking_hold_busy_block_buffer_notice_horizon_or_cap(case):
    policy = case["availability"].policy
    zone = ZoneInfo(case["availability"].time_zone)
    taken = [*case["bookings"], *case["holds"], *case["busy"]]
    slots = listing(case)
    for slot in slots:
        assert slot.start.tzinfo is UTC and slot.end - slot.start == case["duration"]
        assert slot.start >= case["now"] + policy.min_notice
        assert slot.start <= case["now"] + policy.horizon
        for item in taken:
            assert slot.end + policy.buffer <= item.start or slot.start >= item.end + policy.buffer
        if policy.daily_cap is not None:
            day = slot.start.astimezone(zone).date()
            used = sum(1 for item in (*case["bookings"], *case["holds"]) if item.start.astimezone(zone).date() == day)
            assert used < policy.daily_cap
    assert slots == sorted(set(slots))


@COMMON
@given(scenarios())
def test_slots_lie_in_a_window_and_on_the_wall_clock_step(case):
    avail = case["availability"]
    zone = ZoneInfo(avail.time_zone)
    step = int(avail.policy.slot_step.total_seconds() // 60)
    for slot in listing(case):
        local = slot.start.astimezone(zone)
        minute = local.hour * 60 + local.minute
        windows = avail.windows_on(local.date())
        assert any(
            start.hour * 60 + start.minute <= minute < end.hour * 60 + end.minute
            and (minute - start.hour * 60 - start.minute) % step == 0
            for start, end in windows
        ), (local, windows)


@COMMON
@given(scenarios(), st.integers(0, 8 * 24 * 4))
def test_listing_and_validation_agree(case, quarter_hours):
    listed = listing(case)
    for slot in listed[:: max(1, len(listed) // 25)]:
        assert validate_slot(start=slot.start, **case) == slot
    # Any start at all (on a 5-minute grid) is valid exactly when it is listed.
    probe = case["now"].replace(second=0, microsecond=0) + timedelta(minutes=quarter_hours * 5 - 24 * 60)
    listed_starts = {slot.start for slot in listed}
    try:
        validate_slot(start=probe, **case)
        accepted = True
    except SlotUnavailable:
        accepted = False
    assert accepted == (probe in listed_starts)


@COMMON
@given(scenarios(), st.integers(0, 7 * 24), st.integers(1, 72))
def test_a_narrower_range_lists_exactly_the_slots_inside_it(case, offset_hours, width_hours):
    begin = case["now"] + timedelta(hours=offset_hours)
    end = begin + timedelta(hours=width_hours)
    narrow = compute_slots(range_start=begin, range_end=end, **case)
    assert narrow == [slot for slot in listing(case) if begin <= slot.start < end]
