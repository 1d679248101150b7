"""Reading an upload's bytes with a size limit, the same way for every upload the product takes."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile


def upload_bytes(upload: UploadedFile, *, limit: int) -> bytes | None:
    """The upload's bytes, or ``None`` when it is larger than ``limit`` bytes.

    The declared size is checked first, and then never more than one byte past the limit is read,
    so a client that lies about the size costs at most ``limit + 1`` bytes of memory. An empty file
    gives ``b""``: the caller says what an empty upload means for it.
    """
    if upload.size is None or upload.size > limit:
        return None
    upload.seek(0)
    raw = upload.read(limit + 1)
    return None if len(raw) > limit else raw
