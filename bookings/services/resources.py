"""Links and files the expert attaches to a session; only its two participants ever see them.

Files are checked by content before anything is written (the catalogue's
document checks: PDF parsed and refused with scripts, JPEG/PNG re-encoded, which
drops metadata and anything appended), or accepted as UTF-8 plain text. The
name the browser sent must agree with what the bytes are, so a file with a
lying extension is refused. The stored name is random; the file goes to the
private storage and is served only by ``session_resource_file``.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.locking import locked_transaction
from core.ratelimit import rate_limit_hit
from core.uploads import upload_bytes
from marketplace.services.document_checks import EXTENSIONS, document_clean, sniff

from ..errors import SessionToolError
from ..models import Booking, SessionResource
from ..models.session_tools import RESOURCE_TITLE_MAX_LENGTH, RESOURCE_URL_MAX_LENGTH, tools_open

TEXT = "text/plain"
# The extensions a name may have for each content type the bytes show.
NAME_EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    TEXT: {"txt", "md"},
}
DOWNLOAD_EXTENSIONS = {**EXTENSIONS, TEXT: "txt"}
# Every upload is parsed; refused ones count too.
UPLOADS_PER_HOUR = 30


def _locked_for_expert(booking: Booking, by) -> Booking:
    locked = Booking.objects.select_for_update().filter(pk=booking.pk).first()
    if locked is None or locked.expert_id != by.pk:
        raise SessionToolError(_("Only the session's expert adds or removes resources."), code="not_expert")
    if not tools_open(locked):
        raise SessionToolError(_("Resources of a cancelled session can no longer be changed."), code="closed")
    return locked


def _room_for_one_more(booking: Booking) -> None:
    limit = settings.BOOKING_RESOURCES_MAX
    if SessionResource.objects.filter(booking=booking).count() >= limit:
        raise SessionToolError(
            _("A session holds at most %(n)s resources. Remove one to add another.") % {"n": limit}, code="too_many"
        )


def _title(title: str, *, fallback: str) -> str:
    title = " ".join((title or "").split()) or " ".join(fallback.split())
    if any(ord(char) < 32 for char in title):
        raise SessionToolError(_("The title contains characters that cannot be stored."), code="title")
    if not title:
        raise SessionToolError(_("Give the resource a title."), code="title")
    if len(title) > RESOURCE_TITLE_MAX_LENGTH:
        raise SessionToolError(
            _("Keep the title under %(n)s characters.") % {"n": RESOURCE_TITLE_MAX_LENGTH + 1}, code="title"
        )
    return title


def resource_url_clean(url: str) -> str:
    """An absolute http(s) URL without credentials in it, or ``SessionToolError``."""
    url = (url or "").strip()
    refused = SessionToolError(_("Enter a full web address starting with https:// or http://."), code="url")
    if not url or len(url) > RESOURCE_URL_MAX_LENGTH:
        raise refused
    try:
        URLValidator(schemes=["http", "https"])(url)
        parts = urlsplit(url)
    except (ValidationError, ValueError) as exc:
        raise refused from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise refused
    if parts.username or parts.password:
        # "https://bank.example@evil.example/" reads as the bank and goes elsewhere.
        raise SessionToolError(_("Web addresses with a user name or password in them are not accepted."), code="url")
    return url


@locked_transaction()
def session_resource_add_link(*, booking: Booking, by, title: str, url: str) -> SessionResource:
    url = resource_url_clean(url)
    title = _title(title, fallback=urlsplit(url).hostname or "")
    locked = _locked_for_expert(booking, by)
    _room_for_one_more(locked)
    return SessionResource.objects.create(booking=locked, kind=SessionResource.Kind.LINK, title=title, url=url)


def _too_big() -> SessionToolError:
    return SessionToolError(
        _("The file is larger than %(size)s. Upload a smaller file.")
        % {"size": filesizeformat(settings.BOOKING_RESOURCE_MAX_BYTES)},
        code="too_big",
    )


def resource_read(upload: UploadedFile) -> bytes:
    """The upload's bytes, refusing past the limit without reading more than one byte over it."""
    limit = settings.BOOKING_RESOURCE_MAX_BYTES
    raw = upload_bytes(upload, limit=limit)
    if raw is None:
        raise _too_big()
    if not raw:
        raise SessionToolError(_("The file is empty."), code="empty")
    return raw


def _plain_text(raw: bytes) -> bool:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(char) < 32 and char not in "\n\r\t\f" for char in text)


def resource_clean(raw: bytes, *, name: str) -> tuple[bytes, str]:
    """(bytes to store, content type), decided by the bytes; the name's extension must agree."""
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    content_type = sniff(raw) or (TEXT if _plain_text(raw) else None)
    if content_type is None:
        raise SessionToolError(
            _("Upload a PDF, a JPEG or PNG image, or a plain text file (the file's content counts, not its name)."),
            code="wrong_type",
        )
    if extension not in NAME_EXTENSIONS[content_type]:
        raise SessionToolError(
            _("The file's name does not match its content (.%(ext)s). Rename it or upload the original.")
            % {"ext": DOWNLOAD_EXTENSIONS[content_type]},
            code="extension_mismatch",
        )
    if content_type == TEXT:
        return raw, TEXT
    try:
        clean = document_clean(raw)
    except ApplicationError as refused:
        raise SessionToolError(refused.message, code=refused.code) from refused
    return clean.content, clean.content_type


def session_resource_add_file(*, booking: Booking, by, title: str, upload: UploadedFile) -> SessionResource:
    """Check the upload by content first, outside any transaction (parsing a large PDF must not hold
    the booking's row lock), then store it if the expert may still add one."""
    if rate_limit_hit(scope="session-resource-upload", key=str(by.pk), limit=UPLOADS_PER_HOUR, window_seconds=3600):
        raise SessionToolError(
            _("You have uploaded many files in the last hour. Please try again later."), code="rate_limited"
        )
    title = _title(title, fallback=PurePath(upload.name or "").stem[:RESOURCE_TITLE_MAX_LENGTH])
    content, content_type = resource_clean(resource_read(upload), name=upload.name or "")
    return _resource_store(booking=booking, by=by, title=title, content=content, content_type=content_type)


@locked_transaction()
def _resource_store(*, booking: Booking, by, title: str, content: bytes, content_type: str) -> SessionResource:
    locked = _locked_for_expert(booking, by)
    _room_for_one_more(locked)
    resource = SessionResource(
        booking=locked,
        kind=SessionResource.Kind.FILE,
        title=title,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    extension = DOWNLOAD_EXTENSIONS[content_type]
    resource.file.save(f"{secrets.token_urlsafe(18)}.{extension}", ContentFile(content), save=False)
    name, storage = resource.file.name, resource.file.storage
    # The row insert failing after the file was written must not leave an orphan file.
    try:
        resource.save()
    except Exception:
        storage.delete(name)
        raise
    return resource


@locked_transaction()
def session_resource_remove(*, resource: SessionResource, by) -> None:
    locked = _locked_for_expert(resource.booking, by)
    row = SessionResource.objects.filter(pk=resource.pk, booking=locked).first()
    if row is None:
        return  # removed meanwhile (another tab): the result the expert asked for
    name, storage = row.file.name, row.file.storage
    row.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
