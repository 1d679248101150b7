"""What an uploaded credential document is, decided by its bytes, and a clean copy of it.

The file name and the browser's content type are never trusted. A document is
accepted only as:

- **PDF**: starts with ``%PDF-``; pypdf must parse it; it may not be encrypted
  (reviewers could not read it, and an encrypted PDF hides its content from
  these checks) and may not carry JavaScript or launch actions anywhere in its
  object tree. pypdf resolves compressed object streams, so a script cannot
  hide in one; a second scan over the file's text outside streams catches a
  name pypdf's repair mode might skip. The PDF is stored as uploaded: rewriting
  it would be a second parser's opinion of the same bytes.
- **JPEG / PNG**: the magic bytes and Pillow must agree; Pillow's verify must
  pass with decompression-bomb warnings as errors; the pixels are re-encoded
  into a fresh file of the same format, which drops EXIF (GPS included), XMP,
  text chunks and any trailing bytes.

Nothing here writes anything: the service stores the result only after every
check passed, so a refused upload never touches the storage.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from ..errors import DocumentRejected

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
MAX_IMAGE_SIDE = 10_000
MIN_IMAGE_SIDE = 50
# More indirect objects than any real certificate has; beyond it the walk stops and refuses.
MAX_PDF_OBJECTS = 50_000

# Names that make a PDF run something when opened or clicked.
_ACTIVE_NAMES = frozenset({"JavaScript", "JS", "Launch"})
# A PDF name token: "/" then regular characters; "#xx" escapes a byte, so "/J#61vaScript" is "/JavaScript".
_NAME = re.compile(rb"/((?:[^\s/<>\[\]()%{}#]|#[0-9A-Fa-f]{2})+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


@dataclass(frozen=True)
class CleanDocument:
    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def sniff(raw: bytes) -> str | None:
    """The content type the leading bytes announce, or None for anything else."""
    if raw.startswith(b"%PDF-"):
        return PDF
    if raw.startswith(b"\xff\xd8\xff"):
        return JPEG
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def document_clean(raw: bytes) -> CleanDocument:
    """Check ``raw`` and return what may be stored; raises ``DocumentRejected`` with a message for the applicant."""
    content_type = sniff(raw)
    if content_type is None:
        raise DocumentRejected(
            _("This file is not a PDF, JPEG or PNG. Upload one of those (the file's content counts, not its name)."),
            code="wrong_type",
        )
    if content_type == PDF:
        pdf_check(raw)
        return CleanDocument(raw, PDF)
    return CleanDocument(image_reencode(raw, content_type), content_type)


# --- PDF ---------------------------------------------------------------------------------


def _unescape(name: bytes) -> str:
    return _ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), name).decode("latin-1")


def _names_outside_streams(raw: bytes) -> set[str]:
    return {_unescape(match.group(1)) for match in _NAME.finditer(_STREAM.sub(b"", raw))}


def _active(obj) -> bool:
    """A dictionary that names JavaScript or a launch action, as a key or as its action type (/S)."""
    if not isinstance(obj, DictionaryObject):
        return False
    keys = {str(key).lstrip("/") for key in obj}
    if keys & _ACTIVE_NAMES:
        return True
    action = obj.get("/S")
    return isinstance(action, NameObject) and str(action).lstrip("/") in _ACTIVE_NAMES


def _contains_active(value, depth: int = 0) -> bool:
    """Direct (non-indirect) children too: an action dictionary may be written inline in its parent."""
    if depth > 32:
        return False
    if _active(value):
        return True
    if isinstance(value, DictionaryObject):
        children = value.values()
    elif isinstance(value, ArrayObject):
        children = value
    else:
        return False
    return any(_contains_active(child, depth + 1) for child in children if not isinstance(child, IndirectObject))


def _object_ids(reader: PdfReader) -> list[tuple[int, int]]:
    ids = [(number, generation) for generation, table in reader.xref.items() for number in table]
    ids += [(number, 0) for number in reader.xref_objStm]
    return ids


def pdf_check(raw: bytes) -> None:
    encrypted = _("This PDF is password-protected or encrypted. Upload a copy without a password.")
    scripted = _(
        "This PDF contains JavaScript or an action that starts a program, which we do not accept. "
        "Print it to a new PDF (or scan the paper) and upload that copy."
    )
    unreadable = _("This PDF is damaged and cannot be read. Export it again and upload the new copy.")
    names = _names_outside_streams(raw)
    if "Encrypt" in names:
        raise DocumentRejected(encrypted, code="pdf_encrypted")
    if names & _ACTIVE_NAMES:
        raise DocumentRejected(scripted, code="pdf_javascript")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(raw), strict=False)
            if reader.is_encrypted:
                raise DocumentRejected(encrypted, code="pdf_encrypted")
            if len(reader.pages) == 0:
                raise DocumentRejected(unreadable, code="pdf_unreadable")
            ids = _object_ids(reader)
            if len(ids) > MAX_PDF_OBJECTS:
                raise DocumentRejected(unreadable, code="pdf_unreadable")
            if _contains_active(reader.trailer) or any(
                _contains_active(reader.get_object(IndirectObject(number, generation, reader)))
                for number, generation in ids
            ):
                raise DocumentRejected(scripted, code="pdf_javascript")
    except DocumentRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise DocumentRejected(unreadable, code="pdf_unreadable") from exc


# --- Images ------------------------------------------------------------------------------


def image_reencode(raw: bytes, content_type: str) -> bytes:
    unreadable = _("This image is damaged or not really a JPEG or PNG. Upload the original file.")
    expected = "JPEG" if content_type == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(raw)) as probe:
                image_format = probe.format
                width, height = probe.size
                probe.verify()
            if image_format != expected:
                raise DocumentRejected(unreadable, code="image_unreadable")
            if max(width, height) > MAX_IMAGE_SIDE or min(width, height) < MIN_IMAGE_SIDE:
                raise DocumentRejected(
                    _("The image is %(w)s×%(h)s pixels; each side must be between %(min)s and %(max)s.")
                    % {"w": width, "h": height, "min": MIN_IMAGE_SIDE, "max": MAX_IMAGE_SIDE},
                    code="image_size",
                )
            with PILImage.open(io.BytesIO(raw)) as source:
                source.load()
                # Apply the EXIF orientation before the EXIF block is dropped.
                pixels = ImageOps.exif_transpose(source)
    except DocumentRejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        PILImage.DecompressionBombError,
        PILImage.DecompressionBombWarning,
    ) as exc:
        raise DocumentRejected(unreadable, code="image_unreadable") from exc
    mode = "RGB" if expected == "JPEG" or pixels.mode not in ("RGBA", "LA", "P") else "RGBA"
    pixels = pixels.convert(mode)
    # A fresh image holds the pixels only: no info dictionary, no EXIF, ICC, XMP or text chunks.
    clean = PILImage.new(mode, pixels.size)
    clean.paste(pixels)
    buffer = io.BytesIO()
    if expected == "JPEG":
        clean.save(buffer, format="JPEG", quality=90, optimize=True)
    else:
        clean.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
