"""The zones people choose from: grouped, common first, no junk names, legacy aliases stored canonically."""

import pytest

from core.timezones import COMMON, all_zones, canonical_zone, selectable_zones, zone_choices, zone_label


@pytest.mark.parametrize(
    ("reported", "stored"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("US/Pacific", "America/Los_Angeles"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("GMT-0", "UTC"),
        ("Etc/UTC", "UTC"),
        ("Zulu", "UTC"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),  # its own country's zone, even where tzdata merged the rules
        ("Etc/GMT+5", "Etc/GMT+5"),  # a real zone outside the list is kept
        ("Factory", None),
        ("localtime", None),
        ("Not/AZone", None),
        ("", None),
        (None, None),
    ],
)
def test_the_name_stored_for_what_a_browser_or_a_visitor_sends(reported, stored):
    assert canonical_zone(reported) == stored


def test_the_choices_are_grouped_common_first_without_junk_or_legacy_names():
    groups = zone_choices()
    assert groups[0][0] == "Common" and [zone for zone, _label in groups[0][1]] == list(COMMON)
    assert [name for name, _zones in groups[1:]] == [
        "Africa",
        "Americas",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic Ocean",
        "Australia",
        "Europe",
        "Indian Ocean",
        "Pacific Ocean",
    ]
    listed = [zone for _name, zones in groups for zone, _label in zones]
    assert set(listed) <= all_zones() and set(listed) == selectable_zones()
    for junk in ("Factory", "localtime", "GMT-0", "US/Pacific", "Asia/Calcutta", "Etc/GMT+5", "posixrules"):
        assert junk not in listed
    assert 400 < len(set(listed)) < 450  # not the ~600 raw names
    for _name, zones in groups[1:]:
        labels = [label.casefold() for _zone, label in zones]
        assert labels == sorted(labels)


def test_labels_read_as_places():
    assert zone_label("America/Argentina/Buenos_Aires") == "Argentina – Buenos Aires"
    assert zone_label("Europe/Isle_of_Man") == "Isle of Man"
    assert zone_label("UTC") == "UTC"
