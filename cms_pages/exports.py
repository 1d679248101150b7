"""Exports of form submissions that are safe to open in a spreadsheet.

Anyone can submit the contact form. A value such as ``=HYPERLINK("https://evil…")``
or a DDE payload, exported to CSV and opened in a spreadsheet, runs as a
formula on the staff member's machine. Wagtail's XLSX export already stores such
values as text; in CSV every cell that a spreadsheet would read as a formula
gets a leading apostrophe (the OWASP "CSV injection" advice), which spreadsheets
show as plain text.
"""

from __future__ import annotations

from wagtail.contrib.forms.views import SubmissionsListView

# What spreadsheets treat as the start of a formula (tab and carriage return included).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSubmissionsListView(SubmissionsListView):
    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise_formula(value) if export_format == self.FORMAT_CSV else value
