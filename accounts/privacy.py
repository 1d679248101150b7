"""The privacy registry: every app says what it holds about a person, how to export it and how to erase it.

accounts is a low layer and knows no bookings, money or reviews. Each app that
keeps rows about a user registers its *part* once, in its ``AppConfig.ready()``::

    from accounts import privacy
    privacy.register("bookings", export=..., erase=..., models=[Booking, ...])

The export (``accounts.privacy_services.privacy_export_build``) and the erasure
(``privacy_erasure_run``) only walk this registry. A test
(``tests/accounts/test_privacy_registry.py``) walks every model with a foreign key
or one-to-one link to the user model and fails when no part lists it and
``EXEMPT`` does not explain why it needs none.

The callables, all keyword-only:

- ``export(user=)`` -> ``{section: iterable of JSON-ready dicts}``; iterables may be
  generators (rows are streamed into the ZIP one at a time).
- ``erase(user=, pseudonym=)``: remove or pseudonymise what the part holds. It runs
  inside the erasure's transaction after every ``prepare``; it must be idempotent.
- ``files(user=)`` -> iterable of ``(name in the archive, storage, stored name)``:
  uploaded files copied into the export.
- ``blockers(user=, now=)`` -> messages: anything that makes erasure wait
  (an open dispute, a contested no-show report, a payout in flight).
- ``consequences(user=, now=)`` -> messages shown before the person confirms
  ("2 upcoming sessions will be cancelled; you get EUR 80 back").
- ``prepare(user=, now=)``: what must happen before the data goes (cancelling upcoming
  sessions with their refunds through the usual services); runs outside the erasure's
  transaction because refunds call the payment gateway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

Exporter = Callable[..., dict[str, Iterable[dict[str, Any]]]]
Eraser = Callable[..., None]


@dataclass(frozen=True)
class PrivacyPart:
    name: str
    export: Exporter
    erase: Eraser
    models: tuple[type[models.Model], ...] = ()
    files: Callable[..., Iterable[tuple[str, Any, str]]] | None = None
    blockers: Callable[..., list[str]] | None = None
    consequences: Callable[..., list[str]] | None = None
    prepare: Callable[..., None] | None = None


_PARTS: dict[str, PrivacyPart] = {}


def register(
    name: str,
    *,
    export: Exporter,
    erase: Eraser,
    models: Iterable[type[models.Model]] = (),
    files: Callable[..., Iterable[tuple[str, Any, str]]] | None = None,
    blockers: Callable[..., list[str]] | None = None,
    consequences: Callable[..., list[str]] | None = None,
    prepare: Callable[..., None] | None = None,
) -> PrivacyPart:
    """Add (or, on a second ``ready()`` in tests, replace) one app's part."""
    part = PrivacyPart(
        name=name,
        export=export,
        erase=erase,
        models=tuple(models),
        files=files,
        blockers=blockers,
        consequences=consequences,
        prepare=prepare,
    )
    _PARTS[name] = part
    return part


def parts() -> list[PrivacyPart]:
    """Every registered part, in registration order (lower layers first: apps are ready in that order)."""
    return list(_PARTS.values())


def covered_models() -> set[type[models.Model]]:
    return {model for part in _PARTS.values() for model in part.models}


# Links to the user that need no exporter or eraser, and why. Keys are "app_label.Model.field".
# The user row itself survives erasure as a pseudonym (erased-<id>@invalid), so a link that only
# *attributes* an action (who edited, who decided) points at the pseudonym afterwards and says
# nothing about the person.
EXEMPT: dict[str, str] = {
    # Wagtail's editorial attribution on every page type (owner, locked_by) and uploads:
    # staff work; an expert's own page is handled by the marketplace part.
    "wagtailcore.Page.owner": "editorial attribution; points at the pseudonym after erasure",
    "wagtailcore.Page.locked_by": "editorial attribution; points at the pseudonym after erasure",
    "wagtailcore.Revision.user": "who saved a revision; the expert page's revisions are deleted by marketplace",
    "wagtailcore.ModelLogEntry.user": "audit trail (kept, legal interest); labels are scrubbed by accounts",
    "wagtailcore.PageLogEntry.user": "audit trail (kept, legal interest); labels are scrubbed by accounts",
    "wagtailcore.WorkflowState.requested_by": "moderation attribution",
    "wagtailcore.TaskState.finished_by": "moderation attribution (staff)",
    "wagtailcore.UploadedFile.uploaded_by_user": "temporary admin upload, staff only",
    "wagtailimages.Image.uploaded_by_user": "editorial attribution (staff uploads)",
    "wagtaildocs.Document.uploaded_by_user": "editorial attribution (staff uploads)",
    "cms_pages.CustomImage.uploaded_by_user": "editorial attribution; expert photos are deleted by marketplace",
    "wagtail_localize.StringTranslation.last_translated_by": "translator attribution (staff)",
    "wagtail_localize.SegmentOverride.last_translated_by": "translator attribution (staff)",
    "admin.LogEntry.user": "Django admin audit trail (staff only)",
    # Staff decisions about someone else: they are that other person's data.
    "marketplace.ExpertApplication.decided_by": "staff attribution on another person's application",
    "marketplace.ExpertApplication.reviewer": "staff attribution on another person's application",
    "marketplace.ApplicationDocument.checked_by": "staff attribution on another person's document",
    "bookings.SessionDecision.decided_by": "staff attribution on a session decision",
    "reviews.ModerationDecision.staff": "staff attribution on a moderation decision",
    # The request log names the staff member who handled it (accounts.DataRequest.subject is covered).
    "accounts.DataRequest.handled_by": "staff attribution on a data request",
    "accounts.DataRequest.requested_by": "who asked (the person or staff); kept as the record of the request",
}


def exempt_reason(model: type[models.Model], field_name: str) -> str | None:
    """Why this link needs no part, looking through multi-table inheritance (every page is a Page)."""
    for klass in (model, *model._meta.get_parent_list()):
        reason = EXEMPT.get(f"{klass._meta.label}.{field_name}")
        if reason:
            return reason
    return None
