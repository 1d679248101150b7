"""State changes of the public site."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Revision, TaskState

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


# --- Retention (daily jobs in core.schedules) ------------------------------------------------------


def form_submissions_purge(*, now=None) -> int:
    """Contact and feedback submissions older than ``RETENTION_FORM_SUBMISSION_DAYS`` are deleted
    (staff had them by email the day they came)."""

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_FORM_SUBMISSION_DAYS)
    deleted, _by_model = FormSubmission.objects.filter(submit_time__lt=cutoff).delete()
    return deleted


def _revisions_in_use() -> set[int]:
    """Revisions something still points at: a page's or snippet's live or latest one, a moderation task's."""

    in_use: set[int] = set(TaskState.objects.values_list("revision_id", flat=True))
    for model in apps.get_models():
        for name in ("live_revision", "latest_revision"):
            try:
                field = model._meta.get_field(name)
            except Exception:  # noqa: S112  (the model has no such field)
                continue
            if field.model is not model or not field.is_relation or field.related_model is not Revision:
                continue  # inherited (every page type shares Page's column): read once, on Page
            in_use |= set(
                model._base_manager.exclude(**{f"{name}__isnull": True}).values_list(field.attname, flat=True)
            )
    return in_use


def page_revisions_prune(*, keep: int | None = None) -> int:
    """Keep the newest ``RETENTION_PAGE_REVISIONS_KEEP`` revisions of every page and snippet; older ones
    go, except a revision still live, latest or under moderation."""

    keep = settings.RETENTION_PAGE_REVISIONS_KEEP if keep is None else keep
    in_use = _revisions_in_use()
    deleted = 0
    crowded = (
        Revision.objects.values("base_content_type_id", "object_id").annotate(count=Count("pk")).filter(count__gt=keep)
    )
    for group in crowded:
        older = list(
            Revision.objects.filter(base_content_type_id=group["base_content_type_id"], object_id=group["object_id"])
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[keep:]
        )
        removable = [pk for pk in older if pk not in in_use]
        if removable:
            deleted += Revision.objects.filter(pk__in=removable).delete()[0]
    return deleted
