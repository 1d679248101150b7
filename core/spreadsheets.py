"""Spreadsheet downloads (CSV and XLSX) through tablib, guarded against formula injection.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and LibreOffice when the file is opened (a learner could name themselves
``=HYPERLINK(...)``). Every text cell is guarded with a leading apostrophe (OWASP's advice), the
same in both formats; numbers, dates and empty cells are written as they are.

``GuardedSpreadsheetExportMixin`` replaces the export of Wagtail's ``ReportView``/``IndexView``
(whose CSV writer does not guard formulas) for the operations console's lists: same columns
(``list_export``), same headings, same filters, one tablib Dataset for both formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import tablib
from django.http import HttpResponse

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
    dataset.headers = [guard_cell(str(header)) for header in headers]
    for row in rows:
        dataset.append([guard_cell(value) for value in row])
    return dataset


def export_bytes(dataset: tablib.Dataset, export_format: str) -> bytes:
    if export_format not in CONTENT_TYPES:
        raise ValueError(f"unknown export format {export_format!r}")
    exported = dataset.export(export_format)
    return exported.encode("utf-8") if isinstance(exported, str) else exported


def spreadsheet_response(dataset: tablib.Dataset, export_format: str, filename: str) -> HttpResponse:
    response = HttpResponse(export_bytes(dataset, export_format), content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response


class GuardedSpreadsheetExportMixin:
    """For a Wagtail list view with ``list_export``: ``?export=csv|xlsx`` through tablib, formulas guarded."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if spreadsheet_format not in CONTENT_TYPES:
            return super().as_spreadsheet(queryset, spreadsheet_format)
        headers = [self.get_heading(queryset, field) for field in self.list_export]
        rows = (
            [
                self.preprocess_field_value(field, value, spreadsheet_format)
                for field, value in self.to_row_dict(item).items()
            ]
            for item in queryset
        )
        dataset = dataset_of(title=str(self.get_filename()), headers=headers, rows=rows)
        return spreadsheet_response(dataset, spreadsheet_format, self.get_filename())
