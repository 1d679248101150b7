"""Hypothesis strategies for what a browser can post: garbage, extreme numbers and instants.

Shared by the property tests of every form and view that parses request
values; each asserts that no answer is a 5xx and that nothing is written.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# One Django test client request per example; the database fixtures are function-scoped
# on purpose (each example must see the same data, and writes nothing).
view_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Any offset a datetime may carry: fromisoformat accepts anything under a day.
offsets = st.builds(
    timezone, st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59))
)
# Every instant Python can write down, with any offset: years 1 to 9999.
# st.datetimes takes naive bounds and adds the zone itself.
NAIVE_MIN, NAIVE_MAX = datetime.min, datetime.max  # noqa: DTZ901
extreme_instants = st.datetimes(min_value=NAIVE_MIN, max_value=NAIVE_MAX, timezones=offsets).map(
    lambda value: value.isoformat()
)
# The edges themselves, which random draws rarely reach.
edge_instants = st.sampled_from(
    [
        "9999-12-31T23:00:00+00:00",
        "9999-12-31T23:59:59.999999-23:59",
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00+23:59",
        "0001-01-01T00:00:00-00:01",
        datetime.max.replace(tzinfo=UTC).isoformat(),
        "2026-02-30T09:00:00+00:00",
        "2026-01-05T24:00:00+00:00",
        "2026-01-05T09:00:00+24:00",
        "2026-01-05T09:00:00",
        "2026-01-05",
        "",
        " ",
        "\x00",
    ]
)
huge_numbers = (
    st.sampled_from([2**31, 2**31 - 1, -(2**31) - 1, 2**63, 2**63 - 1, -(2**63) - 1, 10**30, 10**400]) | st.integers()
)
numeric_text = (
    huge_numbers.map(str)
    | st.floats(allow_nan=True, allow_infinity=True).map(str)
    | st.sampled_from(["1e400", "-0", "+1", "0x10", "١٢", "٣", "½", "NaN", "Infinity", "1_000", " 60 ", "60.0"])
    | st.just("9" * 5000)
)
garbage = st.text(max_size=80) | st.binary(max_size=40).map(lambda raw: raw.decode("latin-1"))
anything = garbage | numeric_text | extreme_instants | edge_instants
