"""Feature flags (django-waffle, docs/decisions.md #272): staff turn a feature on for staff first, then
for groups or everyone, in the Wagtail admin (Settings → Feature flags); every change is logged.

A flag nobody created is off: waffle never creates one on the fly (a typo in a flag name would
otherwise make a live flag nobody meant). The flags the code reads are listed in core.flags.
Waffle's middleware is not installed: it only makes percentage roll-outs sticky with a cookie, and
TapTime's flags are by staff, group, person or everyone.
"""

WAFFLE_FLAG_DEFAULT = False
WAFFLE_CREATE_MISSING_FLAGS = False
WAFFLE_CREATE_MISSING_SWITCHES = False
WAFFLE_CREATE_MISSING_SAMPLES = False
# Flags change only in the Wagtail admin, where every change is logged with before/after; waffle's own
# Django-admin pages would be a second, unlogged way in.
WAFFLE_ENABLE_ADMIN_PAGES = False
