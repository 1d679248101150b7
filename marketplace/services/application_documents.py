"""An applicant's credential documents: checked by content, then stored in the private storage.

Order matters: size, type, safety and re-encoding (``document_checks``) all run
on the bytes in memory before anything is written, so a refused upload never
reaches the storage. The stored name is random (``<token>.<ext>``): the
applicant's file name is neither trusted nor kept.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.locking import locked_transaction
from core.ratelimit import rate_limit_hit
from core.uploads import upload_bytes

from ..errors import ApplicationRefused, DocumentRejected
from ..models import ApplicationDocument, ExpertApplication
from .applications import _lock_editable
from .document_checks import document_clean

MAX_DOCUMENTS = 10
MAX_TITLE_LENGTH = 120
# Every upload is parsed (a PDF's object tree, an image's pixels): refused ones count too,
# so nobody keeps a web worker busy by sending files that never get stored.
UPLOADS_PER_HOUR = 30


def document_max_bytes() -> int:
    return settings.EXPERT_DOCUMENT_MAX_BYTES


def _too_big() -> DocumentRejected:
    return DocumentRejected(
        _("The file is larger than %(size)s. Upload a smaller file.") % {"size": filesizeformat(document_max_bytes())},
        code="too_big",
    )


def document_read(upload: UploadedFile) -> bytes:
    """The upload's bytes, refusing past the limit without reading more than one byte over it."""
    limit = document_max_bytes()
    raw = upload_bytes(upload, limit=limit)
    if raw is None:
        raise _too_big()
    if not raw:
        raise DocumentRejected(_("The file is empty."), code="empty")
    return raw


@locked_transaction()
def application_document_add(
    *,
    application: ExpertApplication,
    user,
    upload: UploadedFile,
    kind: str,
    title: str,
    expires_on: date | None = None,
) -> ApplicationDocument:
    if rate_limit_hit(scope="application-upload", key=str(user.pk), limit=UPLOADS_PER_HOUR, window_seconds=3600):
        raise DocumentRejected(
            _("You have uploaded many files in the last hour. Please try again later."), code="rate_limited"
        )
    if kind not in ApplicationDocument.Kind.values:
        raise DocumentRejected(_("Choose what kind of document this is."), code="kind")
    title = title.strip()
    if not title or len(title) > MAX_TITLE_LENGTH:
        raise DocumentRejected(
            _("Give the document a title of at most %(n)s characters.") % {"n": MAX_TITLE_LENGTH}, code="title"
        )
    if expires_on is not None and expires_on < timezone.localdate():
        raise DocumentRejected(
            _("This document expired on %(date)s. Upload one that is still valid.")
            % {"date": date_format(expires_on, "DATE_FORMAT")},
            code="expired",
        )
    locked = _lock_editable(application, user)
    if locked.documents.count() >= MAX_DOCUMENTS:
        raise ApplicationRefused(
            _("An application holds at most %(n)s documents. Remove one to add another.") % {"n": MAX_DOCUMENTS},
            code="too_many_documents",
        )
    clean = document_clean(document_read(upload))
    document = ApplicationDocument(
        application=locked,
        kind=kind,
        title=title,
        expires_on=expires_on,
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=hashlib.sha256(clean.content).hexdigest(),
    )
    document.file.save(f"{secrets.token_urlsafe(18)}.{clean.extension}", ContentFile(clean.content), save=False)
    name, storage = document.file.name, document.file.storage
    # The row insert failing after the file was written must not leave an orphan file.
    try:
        document.save()
    except Exception:
        storage.delete(name)
        raise
    locked.save(update_fields=["updated_at"])
    return document


@locked_transaction()
def application_document_remove(*, application: ExpertApplication, user, document_id: int) -> None:
    locked = _lock_editable(application, user)
    document = locked.documents.filter(pk=document_id).first()
    if document is None:
        raise ApplicationRefused(_("That document is not part of your application."), code="not_found")
    name, storage = document.file.name, document.file.storage
    document.delete()
    locked.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: storage.delete(name))
