"""Charts are SVG images with a text alternative, carrying the figures they were given."""

import base64

from core.charts import bar_chart, line_chart


def _svg(chart) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert chart.src.startswith(prefix)
    return base64.b64decode(chart.src[len(prefix) :]).decode()


def test_bar_chart_is_an_svg_image_with_its_labels_and_series():
    chart = bar_chart(
        title="Earnings by month",
        labels=["Jan", "Feb"],
        series={"Sessions": [120.0, 80.5], "Packages": [0, 40]},
        alt="Earnings by month; the figures are in the table below.",
        stacked=True,
    )
    svg = _svg(chart)
    assert svg.lstrip().startswith("<svg")
    for text in ("Earnings by month", "Jan", "Feb", "Sessions", "Packages"):
        assert text in svg
    assert chart.alt.startswith("Earnings by month")
    assert (chart.width, chart.height) == (720, 320)


def test_values_are_shown_with_the_given_formatter():
    chart = bar_chart(
        title="Hours", labels=["W1"], series={"Hours": [1.5]}, alt="Hours", formatter=lambda v: f"{v:.1f} h"
    )
    assert "1.5 h" in _svg(chart)


def test_line_chart_accepts_gaps_and_escapes_hostile_labels():
    chart = line_chart(
        title="Level", labels=["<script>alert(1)</script>", "May"], series={"Python": [None, 3]}, alt="Level"
    )
    svg = _svg(chart)
    assert "<script>alert(1)</script>" not in svg
    assert "&lt;script&gt;" in svg
