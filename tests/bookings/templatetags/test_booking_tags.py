from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone

from bookings.templatetags.booking_tags import slot_buttons, zone_options


def test_zone_options_mark_the_viewer_zone_and_escape_names():
    html = zone_options(["Africa/Abidjan", "Europe/Berlin", "<b>&"], "Europe/Berlin")
    assert (
        html == "<option>Africa/Abidjan</option><option selected>Europe/Berlin</option><option>&lt;b&gt;&amp;</option>"
    )


def test_zone_options_match_the_template_loop_they_replace():
    zones = ["America/New_York", "Asia/Kolkata", "UTC"]
    loop = Template(
        "{% for zone in zones %}<option{% if zone == current %} selected{% endif %}>{{ zone }}</option>{% endfor %}"
    )
    for current in ("Asia/Kolkata", "Nowhere", ""):
        expected = loop.render(Context({"zones": zones, "current": current}))
        assert zone_options(zones, current) == expected


def test_slot_buttons_match_the_template_loop_they_replace():
    starts = [datetime(2030, 1, 7, 8, 0, tzinfo=UTC), datetime(2030, 1, 7, 8, 30, tzinfo=UTC)]
    loop = Template(
        "{% load i18n tz %}{% timezone zone %}{% for start in starts %}"
        '<li><button type="submit" name="start" value="{{ start|utc|date:"c" }}" class="slot-button"'
        ' aria-label="Book {{ day }} at {{ start|date:"H:i" }}"><time datetime="{{ start|utc|date:"c" }}">'
        '{{ start|date:"H:i" }}</time></button></li>{% endfor %}{% endtimezone %}'
    )
    for zone in ("Europe/Berlin", "Asia/Kathmandu", "UTC"):
        expected = loop.render(Context({"starts": starts, "zone": zone, "day": "Monday 7 January"}))
        with timezone.override(ZoneInfo(zone)):
            assert slot_buttons(starts, "Monday 7 January") == expected


def test_slot_buttons_escape_the_day_name():
    html = slot_buttons([datetime(2030, 1, 7, 8, 0, tzinfo=UTC)], '<script>"x"</script>')
    assert "<script>" not in html and "&lt;script&gt;" in html
