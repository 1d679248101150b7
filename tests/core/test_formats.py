"""One way to write dates per language (core/formats): every name defined, none of Django's mixed defaults."""

from datetime import UTC, datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format, get_format

NAMES = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "TIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "DAY_FORMAT",
    "WEEKDAY_FORMAT",
    "SHORT_WEEKDAY_FORMAT",
    "SHORT_DAY_TIME_FORMAT",
]
MOMENT = datetime(2026, 12, 1, 15, 45, tzinfo=UTC)


@pytest.mark.parametrize("language", ["en", "es", "de"])
@pytest.mark.parametrize("name", NAMES)
def test_every_language_defines_every_format_name(language, name):
    with translation.override(language):
        assert get_format(name) != name  # an unknown name would be printed literally


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Tuesday 1 December 2026, 15:45"),
        ("es", "Martes 1 de diciembre de 2026, 15:45"),
        ("de", "Dienstag, 1. Dezember 2026, 15:45"),
    ],
)
def test_a_session_time_reads_the_same_everywhere_in_each_language(language, expected):
    with translation.override(language):
        assert date_format(MOMENT, "DATETIME_FORMAT") == expected
        assert "p.m." not in date_format(MOMENT, "SHORT_DATETIME_FORMAT")
