"""Date and time formats per language (``FORMAT_MODULE_PATH``): one way to write a date on every page.

Django's English defaults mix styles ("Dec. 1, 2026, 3:45 p.m.") with the
24-hour, day-first dates the pages write out; these modules give every language
the same set of names, used by templates (``|date:"DATETIME_FORMAT"``) and views
(``date_format(value, "DAY_FORMAT")``). Names beyond Django's own:

- ``DAY_FORMAT``: a day with its weekday ("Tuesday 1 December 2026"), e.g. days off;
- ``WEEKDAY_FORMAT`` / ``SHORT_WEEKDAY_FORMAT``: a day of this week's free times;
- ``SHORT_DAY_TIME_FORMAT``: a start time in an email subject.

Every module must define every name: Django prints an unknown name literally.
"""
