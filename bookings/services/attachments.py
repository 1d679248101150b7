"""What a message attachment is, decided by its bytes, and the copy that may be stored.

Accepted: PDF, JPEG and PNG through the session resources' checks (PDF parsed and refused with
scripts; images re-encoded, which drops metadata and trailing bytes), UTF-8 plain text, and the
common office documents as their zip containers: Word, Excel and PowerPoint (OOXML: ``.docx``,
``.xlsx``, ``.pptx``) and OpenDocument (``.odt``, ``.ods``, ``.odp``). An office file must be a
readable zip whose manifest names the type its extension claims, without macros (``vbaProject.bin``,
OpenDocument ``Basic/`` or ``Scripts/``), with a bounded number of entries and a bounded unpacked
size (a zip bomb is refused before anything is unpacked). Old binary formats (``.doc``, ``.xls``)
are refused: they carry macros we cannot see. The name's extension must agree with the bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.uploads import upload_bytes

from ..errors import MessageError
from .resources import DOWNLOAD_EXTENSIONS, NAME_EXTENSIONS, resource_clean

OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# The part each OOXML type must have (its main document), as its [Content_Types].xml names it.
_OOXML_MAIN = {
    "docx": "wordprocessingml.document.main+xml",
    "xlsx": "spreadsheetml.sheet.main+xml",
    "pptx": "presentationml.presentation.main+xml",
}
MAX_ENTRIES = 2000
MAX_UNPACKED = 200 * 1024 * 1024
ALL_TYPES = {*NAME_EXTENSIONS, *OFFICE_TYPES.values()}
EXTENSION_OF = {**DOWNLOAD_EXTENSIONS, **{content_type: ext for ext, content_type in OFFICE_TYPES.items()}}


def _refused() -> MessageError:
    return MessageError(
        _(
            "Attach a PDF, a JPEG or PNG image, a text file, or a Word, Excel, PowerPoint or OpenDocument file "
            "(the file's content counts, not its name)."
        ),
        code="wrong_type",
    )


def _too_big() -> MessageError:
    return MessageError(
        _("The file is larger than %(size)s. Attach a smaller file.")
        % {"size": filesizeformat(settings.MESSAGE_ATTACHMENT_MAX_BYTES)},
        code="too_big",
    )


def attachment_read(upload: UploadedFile) -> bytes:
    """The upload's bytes, refusing past the limit without reading more than one byte over it."""
    limit = settings.MESSAGE_ATTACHMENT_MAX_BYTES
    raw = upload_bytes(upload, limit=limit)
    if raw is None:
        raise _too_big()
    if not raw:
        raise MessageError(_("The file is empty."), code="empty")
    return raw


def _office_type(raw: bytes, extension: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _refused() from exc
    names = {entry.filename for entry in entries}
    if len(entries) > MAX_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED:
        raise MessageError(_("This document unpacks to far more than its size; it cannot be attached."), code="bomb")
    if any(name.lower().endswith("vbaproject.bin") or name.startswith(("Basic/", "Scripts/")) for name in names):
        raise MessageError(_("Documents with macros cannot be attached. Save a copy without macros."), code="macros")
    try:
        if extension in _OOXML_MAIN:
            manifest = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
            if _OOXML_MAIN[extension] not in manifest or "macroEnabled" in manifest:
                raise _refused()
        else:
            if archive.read("mimetype")[:100].decode("ascii", "replace").strip() != OFFICE_TYPES[extension]:
                raise _refused()
    except (KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
        raise _refused() from exc
    return OFFICE_TYPES[extension]


def attachment_clean(raw: bytes, *, name: str) -> tuple[bytes, str]:
    """(bytes to store, content type), decided by the bytes; the name's extension must agree."""
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    if raw.startswith(b"PK\x03\x04"):
        if extension not in OFFICE_TYPES:
            raise _refused()
        return raw, _office_type(raw, extension)
    try:
        return resource_clean(raw, name=name)
    except ApplicationError as refused:
        if refused.code == "wrong_type":
            raise _refused() from refused
        raise MessageError(refused.message, code=refused.code) from refused


def attachment_download_name(name: str, content_type: str) -> str:
    """The name shown and offered for download: the sender's stem, our extension."""
    stem = PurePath(name or "").stem.strip()[:80] or "attachment"
    return f"{stem}.{EXTENSION_OF.get(content_type, 'bin')}"
