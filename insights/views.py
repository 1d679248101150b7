"""``/admin/statistics/``: platform statistics for finance and administrators, with CSV and XLSX.

Thin: the form validates the choices, ``statistics_report`` reads, this module lays the figures out
as charts (core.charts, server-drawn SVG) each beside a table with the same figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.admin.auth import permission_denied

from core.charts import Chart
from core.charts import bar_chart as draw_bar_chart
from core.charts import line_chart as draw_line_chart
from core.money import Money

from .exports import CONTENT_TYPES, export_bytes, report_dataset, report_filename
from .forms import StatisticsForm
from .statistics import MetricRow, Report, statistics_report

VIEW_PERMISSION = "insights.view_dailyfigure"
# pygal takes tens of milliseconds per chart (over a hundred on a loaded machine), most of the
# page's time: a drawn chart is kept by its exact inputs, so the same figures are drawn once.
CHART_CACHE_SECONDS = 15 * 60
SESSION_KEYS = ("sessions_booked", "sessions_completed", "sessions_cancelled", "sessions_no_show")
PEOPLE_KEYS = ("users_joined", "active_experts")
QUALITY_KEYS = ("completion_rate", "average_rating")


def _cached(draw, **inputs) -> Chart:
    key = "insights:chart:" + hashlib.sha256(repr((draw.__name__, sorted(inputs.items()))).encode()).hexdigest()
    chart = cache.get(key)
    if chart is None:
        chart = draw(**inputs)
        cache.set(key, chart, CHART_CACHE_SECONDS)
    return chart


def bar_chart(**inputs) -> Chart:
    return _cached(draw_bar_chart, **inputs)


def line_chart(**inputs) -> Chart:
    return _cached(draw_line_chart, **inputs)


def _plain(value) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _change(row: MetricRow) -> str:
    change = row.change_percent
    return "—" if change is None else f"{change:+g} %"


def _section(title: str, rows: list[MetricRow], labels: list[str], *, fmt=_plain, chart=None) -> dict:
    return {
        "title": title,
        "labels": labels,
        "chart": chart,
        "rows": [
            {
                "label": row.label,
                "cells": [fmt(value) for value in row.values],
                "total": fmt(row.total),
                "previous": fmt(row.previous),
                "change": _change(row),
            }
            for row in rows
        ],
    }


def _chart_series(rows: list[MetricRow], scale: int = 1) -> dict[str, list[float | None]]:
    return {str(row.label): [None if v is None else v / scale for v in row.values] for row in rows}


def report_sections(report: Report) -> list[dict]:
    by_key = {row.key: row for row in report.counts}
    labels = report.labels
    sections = []
    sessions = [by_key[key] for key in SESSION_KEYS]
    sections.append(
        _section(
            _("Sessions"),
            sessions,
            labels,
            chart=bar_chart(
                title=_("Sessions"),
                labels=labels,
                series=_chart_series(sessions),
                alt=_(
                    "Bar chart of sessions booked, completed, cancelled and no-shows; the table below has the figures."
                ),
            ),
        )
    )
    people = [by_key[key] for key in PEOPLE_KEYS if key in by_key]
    sections.append(
        _section(
            _("People"),
            people,
            labels,
            chart=line_chart(
                title=_("People"),
                labels=labels,
                series=_chart_series(people),
                alt=_("Line chart of new users and active experts; the table below has the figures."),
            ),
        )
    )
    quality = [by_key[key] for key in QUALITY_KEYS]
    sections.append(
        _section(
            _("Quality"),
            quality,
            labels,
            chart=line_chart(
                title=_("Quality"),
                labels=labels,
                series=_chart_series(quality),
                alt=_("Line chart of the completion rate and the average rating; the table below has the figures."),
            ),
        )
    )
    if report.funnel:
        section = _section(
            _("Conversion funnel"),
            report.funnel,
            labels,
            chart=bar_chart(
                title=_("Conversion funnel"),
                labels=[str(row.label) for row in report.funnel],
                series={
                    _("This period"): [row.total for row in report.funnel],
                    _("Previous period"): [row.previous for row in report.funnel],
                },
                alt=_(
                    "Bar chart of visitors at each funnel step, this period and the previous; the table below has the figures."
                ),
            ),
        )
        section["conversion"] = True
        before = None
        for row, shown in zip(report.funnel, section["rows"], strict=True):
            shown["conversion"] = "—" if not before else f"{row.total * 100 / before:.1f} %"
            before = row.total
        sections.append(section)
    for currency, rows in report.money.items():
        scale = 10 ** Money(0, currency).exponent

        def money(value, currency=currency):
            return "—" if value is None else Money(int(value), currency).format()

        sections.append(
            _section(
                _("Money in %(currency)s") % {"currency": currency},
                rows,
                labels,
                fmt=money,
                chart=bar_chart(
                    title=_("Money in %(currency)s") % {"currency": currency},
                    labels=labels,
                    series=_chart_series(rows, scale),
                    alt=_(
                        "Bar chart of gross bookings, platform revenue and refunds in %(currency)s; the table below has the figures."
                    )
                    % {"currency": currency},
                ),
            )
        )
    return sections


@require_GET
def statistics_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        return permission_denied(request)
    today = timezone.now().astimezone(dt.UTC).date()
    # Always bound: every field is optional, so no choices at all means the last 30 days by day.
    form = StatisticsForm(request.GET, today=today)
    if not form.is_valid():
        return TemplateResponse(request, "insights/admin/statistics.html", {"form": form}, status=400)
    cleaned = form.cleaned_data
    report = statistics_report(
        period=cleaned["period"], granularity=cleaned["granularity"], category=cleaned.get("category"), today=today
    )
    export_format = request.GET.get("export", "")
    if export_format:
        if export_format not in CONTENT_TYPES:
            return TemplateResponse(
                request,
                "insights/admin/statistics.html",
                {"form": form, "export_error": _("Choose CSV or XLSX.")},
                status=400,
            )
        response = HttpResponse(
            export_bytes(report_dataset(report), export_format), content_type=CONTENT_TYPES[export_format]
        )
        response["Content-Disposition"] = f'attachment; filename="{report_filename(report, export_format)}"'
        return response
    query = request.GET.copy()
    query.pop("export", None)
    return TemplateResponse(
        request,
        "insights/admin/statistics.html",
        {"form": form, "report": report, "sections": report_sections(report), "query": query.urlencode()},
    )
