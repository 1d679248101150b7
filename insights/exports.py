"""The statistics as a spreadsheet: one tablib Dataset for CSV and XLSX, formulas guarded (core.spreadsheets)."""

from __future__ import annotations

import datetime as dt

import tablib

from core.spreadsheets import CONTENT_TYPES, dataset_of, export_bytes

from .statistics import Report

__all__ = ["CONTENT_TYPES", "export_bytes", "report_dataset", "report_filename"]


def report_dataset(report: Report) -> tablib.Dataset:
    """Every statistic of the report, one row per metric (and currency), one column per bucket.

    Money is in minor units with its currency on the same row: rows of different currencies are
    never added together.
    """
    headers = ["metric", "currency", *report.labels, "total", "previous period", "change (%)"]
    rows = []
    for row in report.counts:
        rows.append([str(row.label), "", *row.values, row.total, row.previous, row.change_percent])
    for row in report.funnel:
        rows.append([str(row.label), "", *row.values, row.total, row.previous, row.change_percent])
    for currency, money_rows in report.money.items():
        for row in money_rows:
            rows.append(
                [f"{row.label} (minor units)", currency, *row.values, row.total, row.previous, row.change_percent]
            )
    return dataset_of(title="statistics", headers=headers, rows=rows)


def report_filename(report: Report, export_format: str) -> str:
    scope = f"-category-{report.category.pk}" if report.category is not None else ""
    return f"statistics-{_iso(report.period.start)}-{_iso(report.period.end)}{scope}.{export_format}"


def _iso(day: dt.date) -> str:
    return day.isoformat()
