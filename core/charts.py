"""Charts drawn on the server as SVG, shown as images under the strict CSP.

The public site allows no inline scripts or styles, so a chart is rendered by pygal on the
server and handed to the template as a ``data:`` URI for an ``<img>``: the browser draws
the SVG as an image, where its own styles apply and its scripts never run. No JavaScript,
no CDN, and it works with scripts off. Every chart must sit beside a table with the same
figures (the accessible form); the image's ``alt`` text says what the chart shows and
points at that table.

Only the two shapes the dashboards need: bars (one or more series over labelled buckets,
optionally stacked) and lines (values over time).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pygal
from pygal.style import Style

# The site's palette (static/css): dark text, and series colours that keep a 3:1 contrast
# against white and are told apart without relying on colour alone (the table carries the
# figures).
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=("#1d4ed8", "#b45309", "#047857", "#7e22ce", "#be123c", "#0e7490"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=14,
    value_font_size=11,
)


@dataclass(frozen=True)
class Chart:
    """A rendered chart: ``src`` for ``<img src>``, ``alt`` for its text alternative."""

    src: str
    alt: str
    width: int
    height: int


def _render(chart: pygal.graph.graph.Graph, *, alt: str, width: int, height: int) -> Chart:
    svg = chart.render(is_unicode=True).encode()
    return Chart(
        src="data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
        alt=alt,
        width=width,
        height=height,
    )


def _config(kind, *, title: str, labels: Sequence[str], formatter, width: int, height: int, **extra):
    return kind(
        js=[],
        style=_STYLE,
        title=title,
        width=width,
        height=height,
        x_labels=list(labels),
        x_label_rotation=30 if len(labels) > 8 else 0,
        value_formatter=formatter or (lambda value: f"{value:g}"),
        show_legend=True,
        legend_at_bottom=True,
        print_values=False,
        no_data_text="",
        disable_xml_declaration=True,
        **extra,
    )


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    alt: str,
    stacked: bool = False,
    formatter: Callable[[float], str] | None = None,
    width: int = 720,
    height: int = 320,
) -> Chart:
    """Bars for each label, one colour per series (stacked when asked)."""
    chart = _config(
        pygal.StackedBar if stacked else pygal.Bar,
        title=title,
        labels=labels,
        formatter=formatter,
        width=width,
        height=height,
    )
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart, alt=alt, width=width, height=height)


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    alt: str,
    formatter: Callable[[float], str] | None = None,
    width: int = 720,
    height: int = 320,
) -> Chart:
    """One line per series over the labels (months, weeks); gaps where a value is None."""
    chart = _config(
        pygal.Line,
        title=title,
        labels=labels,
        formatter=formatter,
        width=width,
        height=height,
        allow_interruptions=True,
    )
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart, alt=alt, width=width, height=height)
