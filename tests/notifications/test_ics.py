from datetime import UTC, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from notifications.ics import Person, invite_build

START = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


def build(**overrides):
    values = {
        "reference": "booking-42",
        "domain": "taptime.example",
        "start": START,
        "end": START + timedelta(hours=1),
        "summary": "TapTime session: Negotiation coaching with Ezra Expert",
        "join_url": "https://meet.jit.si/taptime-" + "x" * 60,
        "organizer": Person("TapTime", "sessions@taptime.example"),
        "attendees": [Person("Lena Learner", "learner@example.com"), Person("Ezra Expert", "expert@example.com")],
        "description": "Goals: prepare a salary negotiation. " * 4,
        "stamp": datetime(2026, 3, 1, 12, tzinfo=UTC),
    }
    values.update(overrides)
    return invite_build(**values)


def test_invite_parses_back_with_the_required_properties():
    raw = build()
    calendar = Calendar.from_ical(raw)
    assert calendar["method"] == "REQUEST"
    assert calendar["version"] == "2.0"
    assert calendar["prodid"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == "booking-42@taptime.example"
    assert event.decoded("dtstart") == START
    assert event.decoded("dtend") == START + timedelta(hours=1)
    assert event.decoded("dtstamp") == datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert event["sequence"] == 0
    assert "https://meet.jit.si/taptime-" + "x" * 60 in event["description"]
    assert str(event["organizer"]) == "mailto:sessions@taptime.example"
    assert sorted(str(a) for a in event["attendee"]) == ["mailto:expert@example.com", "mailto:learner@example.com"]
    # Times are written in UTC ("Z"), not floating.
    assert b"DTSTART:20260329T003000Z" in raw


def test_lines_end_in_crlf_and_are_folded_at_75_octets():
    raw = build()
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    # The long description had to be folded: continuation lines start with a space.
    assert any(line.startswith(b" ") for line in lines)


def test_uid_is_stable_and_sequence_moves_on_update():
    first = Calendar.from_ical(build()).walk("VEVENT")[0]
    moved = Calendar.from_ical(
        build(start=START + timedelta(days=1), end=START + timedelta(days=1, hours=1), sequence=1)
    )
    moved = moved.walk("VEVENT")[0]
    assert first["uid"] == moved["uid"]
    assert moved["sequence"] == 1


def test_non_utc_input_is_written_in_utc():
    kolkata = timezone(timedelta(hours=5, minutes=30))
    raw = build(start=datetime(2026, 6, 1, 9, tzinfo=kolkata), end=datetime(2026, 6, 1, 10, tzinfo=kolkata))
    assert b"DTSTART:20260601T033000Z" in raw


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": datetime(2026, 1, 1, 9), "end": datetime(2026, 1, 1, 10)},  # noqa: DTZ001
        {"end": START},
        {"method": "REFRESH"},
    ],
)
def test_wrong_inputs_are_refused(overrides):
    with pytest.raises(ValueError):
        build(**overrides)
