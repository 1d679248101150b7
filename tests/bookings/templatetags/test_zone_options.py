from django.template import Context, Template

from bookings.templatetags.booking_tags import zone_options


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
