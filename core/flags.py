"""The feature flags the code reads (django-waffle flags, managed in Settings → Feature flags).

A flag is off until staff create it in the admin; the usual roll-out is "Staff" ticked first, then a
group, then "Everyone: yes". Code asks ``flag_on(request, NAME)``, never waffle directly, so the list
below stays the one place that says which flags exist.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from waffle import flag_is_active

ANNOUNCEMENTS = "announcements"

FLAGS = {
    ANNOUNCEMENTS: _("Staff announcements shown on learners' and experts' dashboards, and emailed."),
}


def flag_on(request: HttpRequest | None, name: str) -> bool:
    """Whether ``name`` is on for this request's user; unknown names and requests without a user are off."""
    if name not in FLAGS or request is None or not hasattr(request, "user"):
        return False
    return bool(flag_is_active(request, name))
