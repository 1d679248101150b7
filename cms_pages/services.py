"""State changes of the public site."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.contrib.forms.models import FormSubmission

from .errors import FormRateLimited
from .forms import HONEYPOT_FIELD

logger = logging.getLogger(__name__)

# Per client address and form page: FORM_RATE_LIMIT submissions per window.
FORM_RATE_LIMIT = getattr(settings, "FORM_RATE_LIMIT", 5)
FORM_RATE_WINDOW_SECONDS = getattr(settings, "FORM_RATE_WINDOW_SECONDS", 10 * 60)


def _rate_key(*, page_id: int, client_ip: str) -> str:
    return f"form-rate:{page_id}:{client_ip}"


def form_rate_limit_hit(*, page_id: int, client_ip: str) -> None:
    """Count one attempt; raise ``FormRateLimited`` once the window's budget is spent.

    The counter lives in the shared cache (Redis in production), so the limit
    holds across web processes. ``add`` then ``incr`` keeps it atomic there.
    """
    key = _rate_key(page_id=page_id, client_ip=client_ip)
    cache.add(key, 0, timeout=FORM_RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FORM_RATE_WINDOW_SECONDS)
        count = 1
    if count > FORM_RATE_LIMIT:
        minutes = FORM_RATE_WINDOW_SECONDS // 60
        raise FormRateLimited(
            _("You have sent this form several times in a short while. Please wait %(minutes)s minutes and try again.")
            % {"minutes": minutes}
        )


def form_submission_create(*, page, form, client_ip: str) -> FormSubmission:
    """Store a valid submission and notify staff by email after commit."""
    form_rate_limit_hit(page_id=page.pk, client_ip=client_ip)
    form.cleaned_data.pop(HONEYPOT_FIELD, None)
    with transaction.atomic():
        submission = page.get_submission_class().objects.create(form_data=form.cleaned_data, page=page)
        if page.to_address:
            transaction.on_commit(lambda: page.send_mail(form))
    return submission
