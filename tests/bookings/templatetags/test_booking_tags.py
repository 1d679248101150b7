from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone

from bookings.templatetags.booking_tags import slot_buttons, zone_option_marks, zone_options
from core.timezones import zone_choices

GROUPS = [("Common", [("UTC", "UTC"), ("Asia/Kolkata", "Kolkata")]), ("Asia", [("Asia/Kolkata", "Kolkata")])]


def test_zone_options_group_the_zones_mark_the_viewer_zone_once_and_escape_names():
    html = zone_options([*GROUPS, ("<b>&", [("<i>", "<u>")])], "Asia/Kolkata")
    assert html == (
        '<optgroup label="Common"><option value="UTC">UTC</option>'
        '<option value="Asia/Kolkata" selected>Kolkata</option></optgroup>'
        '<optgroup label="Asia"><option value="Asia/Kolkata">Kolkata</option></optgroup>'
        '<optgroup label="&lt;b&gt;&amp;"><option value="&lt;i&gt;">&lt;u&gt;</option></optgroup>'
    )


def test_a_zone_outside_the_list_is_still_shown_selected():
    html = zone_options(GROUPS, "Etc/GMT+5")
    assert html.startswith('<optgroup label="Current"><option value="Etc/GMT+5" selected>Etc/GMT+5</option>')


def test_zone_options_match_the_template_loop_they_replace():
    loop = Template(
        '{% for group, rows in marks %}<optgroup label="{{ group }}">{% for value, label, chosen in rows %}'
        '<option value="{{ value }}"{% if chosen %} selected{% endif %}>{{ label }}</option>'
        "{% endfor %}</optgroup>{% endfor %}"
    )
    groups = zone_choices()
    for current in ("Asia/Kolkata", "UTC", "Etc/GMT+5", ""):
        expected = loop.render(Context({"marks": zone_option_marks(groups, current)}))
        assert zone_options(groups, current) == expected


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
