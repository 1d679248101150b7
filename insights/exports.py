"""Reports as CSV and XLSX through tablib: one Dataset, two formats, no string joining.

Spreadsheet formula injection: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is run as a formula by Excel and LibreOffice when the file is opened (a learner
could name themselves ``=HYPERLINK(...)``). Every text cell is guarded with a leading apostrophe
(OWASP's advice), the same in both formats; numbers are written as numbers and never guarded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import tablib

from .statistics import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def guard_cell(value):
    """The value as a spreadsheet should store it: text that would start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def dataset_of(*, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> tablib.Dataset:
    dataset = tablib.Dataset(title=title[:31])
    dataset.headers = [str(guard_cell(str(header))) for header in headers]
    for row in rows:
        dataset.append([guard_cell(value) for value in row])
    return dataset


def export_bytes(dataset: tablib.Dataset, export_format: str) -> bytes:
    if export_format not in CONTENT_TYPES:
        raise ValueError(f"unknown export format {export_format!r}")
    exported = dataset.export(export_format)
    return exported.encode("utf-8") if isinstance(exported, str) else exported


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
