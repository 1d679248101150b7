"""An ICS file to busy blocks: recurrences with their exceptions, zones, free, cancelled and declined events."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bookings.ics_import import ParseError, busy_blocks

from .calendars import event, ics

BERLIN = ZoneInfo("Europe/Berlin")
BEGIN = datetime(2026, 6, 1, tzinfo=UTC)
END = datetime(2026, 7, 1, tzinfo=UTC)
DEMO = Path(__file__).resolve().parents[3] / "demo" / "calendars"


def blocks(data: bytes, **kwargs):
    return busy_blocks(data, begin=kwargs.pop("begin", BEGIN), end=kwargs.pop("end", END), zone=BERLIN, **kwargs)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_a_weekly_meeting_with_a_skipped_and_a_moved_instance():
    data = ics(
        event(
            "weekly@x",
            ";TZID=Europe/Berlin:20260602T140000",
            ";TZID=Europe/Berlin:20260602T150000",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            "EXDATE;TZID=Europe/Berlin:20260609T140000",
        ),
        event(
            "weekly@x",
            ";TZID=Europe/Berlin:20260616T170000",
            ";TZID=Europe/Berlin:20260616T180000",
            "RECURRENCE-ID;TZID=Europe/Berlin:20260616T140000",
        ),
    )
    # Summer time in Berlin: UTC+2. 9 June is skipped, 16 June moved to 17:00.
    assert blocks(data) == [
        (utc(2026, 6, 2, 12), utc(2026, 6, 2, 13)),
        (utc(2026, 6, 16, 15), utc(2026, 6, 16, 16)),
        (utc(2026, 6, 23, 12), utc(2026, 6, 23, 13)),
    ]


def test_free_cancelled_and_declined_events_do_not_block():
    data = ics(
        event("free@x", ":20260602T080000Z", ":20260602T090000Z", "TRANSP:TRANSPARENT"),
        event("cancelled@x", ":20260603T080000Z", ":20260603T090000Z", "STATUS:CANCELLED"),
        event(
            "declined@x",
            ":20260604T080000Z",
            ":20260604T090000Z",
            "ATTENDEE;PARTSTAT=DECLINED:mailto:Ada@Example.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:boss@example.com",
        ),
        event(
            "accepted@x", ":20260605T080000Z", ":20260605T090000Z", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com"
        ),
    )
    assert blocks(data, own_addresses={"ada@example.com"}) == [(utc(2026, 6, 5, 8), utc(2026, 6, 5, 9))]


def test_an_all_day_event_blocks_the_whole_day_in_the_experts_zone():
    data = ics(event("holiday@x", ";VALUE=DATE:20260610", ";VALUE=DATE:20260611"))
    assert blocks(data) == [(utc(2026, 6, 9, 22), utc(2026, 6, 10, 22))]


def test_an_event_spanning_years_is_clamped_to_the_window():
    data = ics(event("sabbatical@x", ":20200101T000000Z", ":20350101T000000Z"))
    assert blocks(data) == [(BEGIN, END)]


def test_a_floating_time_is_read_in_the_experts_zone_and_overlaps_merge():
    data = ics(
        event("a@x", ":20260602T090000", ":20260602T100000"),
        event("b@x", ":20260602T073000Z", ":20260602T090000Z"),
    )
    assert blocks(data) == [(utc(2026, 6, 2, 7), utc(2026, 6, 2, 9))]


def test_an_unknown_time_zone_does_not_break_the_calendar():
    data = ics(event("odd@x", ";TZID=Mars/Olympus_Mons:20260602T090000", ";TZID=Mars/Olympus_Mons:20260602T100000"))
    found = blocks(data)
    assert len(found) == 1 and found[0][1] - found[0][0] == timedelta(hours=1)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<!doctype html><html><body>Sign in</body></html>", "not_calendar"),
        (b"", "not_calendar"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:notadate\r\nEND:VCALENDAR\r\n", "malformed"),
    ],
)
def test_files_that_are_not_calendars_are_refused(data, code):
    with pytest.raises(ParseError) as refused:
        blocks(data)
    assert refused.value.code == code


def test_too_many_events_are_refused():
    data = ics(*(event(f"e{n}@x", ":20260602T080000Z", ":20260602T090000Z") for n in range(30)))
    with pytest.raises(ParseError) as refused:
        blocks(data, max_events=20)
    assert refused.value.code == "too_many_events"


def test_a_daily_rule_that_expands_past_the_limit_is_refused():
    data = ics(event("daily@x", ":20260101T080000Z", ":20260101T083000Z", "RRULE:FREQ=DAILY"))
    with pytest.raises(ParseError):
        blocks(data, max_events=10)


def test_the_demo_google_export_with_x_wr_timezone():
    found = blocks((DEMO / "google.ics").read_bytes(), own_addresses={"expert@taptime.example"})
    # A Tuesday team meeting 14:00–15:00 Berlin (x-wr-timezone, times without a TZID) …
    assert (utc(2026, 6, 2, 12), utc(2026, 6, 2, 13)) in found
    # … skipped on 9 June (EXDATE) and moved to 16:00 on 16 June (RECURRENCE-ID).
    assert not any(start.date() == datetime(2026, 6, 9).date() for start, _end in found)  # noqa: DTZ001
    assert (utc(2026, 6, 16, 14), utc(2026, 6, 16, 15)) in found
    assert (utc(2026, 6, 16, 12), utc(2026, 6, 16, 13)) not in found


def test_the_demo_outlook_export_with_windows_zone_names_and_an_all_day_event():
    found = blocks((DEMO / "outlook.ics").read_bytes())
    # Thursdays 09:00–10:30 "W. Europe Standard Time" is Berlin time.
    assert (utc(2026, 6, 4, 7), utc(2026, 6, 4, 8, 30)) in found
    # The all-day event on Friday 12 June blocks that whole day in Berlin.
    assert (utc(2026, 6, 11, 22), utc(2026, 6, 12, 22)) in found


def test_an_hourly_series_over_a_year_is_refused_before_it_is_expanded():
    data = ics(*(event(f"h{n}@x", ":20260101T000000Z", ":20260101T001000Z", "RRULE:FREQ=HOURLY") for n in range(50)))
    began = datetime.now(UTC)
    with pytest.raises(ParseError) as refused:
        blocks(data, end=BEGIN + timedelta(days=365), max_events=20_000)
    assert refused.value.code == "too_many_events"
    assert datetime.now(UTC) - began < timedelta(seconds=1)


def test_series_that_ended_before_the_window_do_not_count_toward_the_limit():
    ended = (
        event(f"old{n}@x", ":20200101T080000Z", ":20200101T090000Z", "RRULE:FREQ=DAILY;UNTIL=20201231T000000Z")
        for n in range(30)
    )
    assert blocks(ics(*ended, event("now@x", ":20260602T080000Z", ":20260602T090000Z")), max_events=40) == [
        (utc(2026, 6, 2, 8), utc(2026, 6, 2, 9))
    ]
