"""Request values become a bounded value or None, never an exception."""

from datetime import UTC, datetime

import pytest
from hypothesis import given

from core.parsing import EARLIEST, LATEST, parse_instant, parse_int
from tests.strategies import anything, edge_instants, extreme_instants, numeric_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-06-01T09:00:00+02:00", datetime(2026, 6, 1, 7, tzinfo=UTC)),
        ("2026-06-01T09:00:00Z", datetime(2026, 6, 1, 9, tzinfo=UTC)),
        (" 2026-06-01T09:00:00+00:00 ", datetime(2026, 6, 1, 9, tzinfo=UTC)),
        ("2026-06-01T09:00:00", None),  # naive: refused, not guessed
        ("9999-12-31T23:00:00+00:00", None),
        ("0001-01-01T00:00:00+14:00", None),  # has no UTC instant at all
        ("1969-12-31T23:59:59+00:00", None),
        ("nonsense", None),
        (None, None),
        (42, None),
    ],
)
def test_parse_instant(raw, expected):
    assert parse_instant(raw) == expected


@given(extreme_instants | edge_instants | anything)
def test_an_instant_is_none_or_inside_the_bounds(raw):
    value = parse_instant(raw)
    assert value is None or (EARLIEST <= value < LATEST and value.tzinfo is UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("60", 60), (" 60 ", 60), ("+5", 5), ("0", 0), ("-1", None), ("1441", None), ("١٢", None), ("6e1", None)],
)
def test_parse_int(raw, expected):
    assert parse_int(raw, minimum=0, maximum=1440) == expected


@given(numeric_text | anything)
def test_an_int_is_none_or_inside_the_bounds(raw):
    value = parse_int(raw, minimum=-5, maximum=2**31 - 1)
    assert value is None or -5 <= value <= 2**31 - 1
