"""Profile photos: checked by content, bounded, re-encoded and stripped of metadata."""

from __future__ import annotations

import io
import secrets
import warnings

from django.core.files.images import ImageFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from wagtail.images import get_image_model

from core.uploads import upload_bytes

from ..errors import PhotoRejected

MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE = 200
MAX_SIDE = 6000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Photos are stored at most this wide/high; larger uploads are scaled down.
STORED_MAX_SIDE = 1600


def photo_clean(*, upload: UploadedFile) -> bytes:
    """Validate an uploaded photo and return a clean JPEG of it (raises ``PhotoRejected``).

    The file name and the browser's content type are ignored: Pillow decides
    what the bytes are. Re-encoding drops EXIF (GPS included), ICC and any
    trailing data, because only the decoded pixels are written back.
    """
    raw = upload_bytes(upload, limit=MAX_BYTES)
    if raw is None:
        raise PhotoRejected(_("The photo is larger than 5 MB. Please upload a smaller file."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(raw)) as probe:
                image_format = probe.format
                width, height = probe.size
                probe.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        PILImage.DecompressionBombError,
        PILImage.DecompressionBombWarning,
    ) as exc:
        raise PhotoRejected(_("That file is not an image we can read. Upload a JPEG, PNG or WebP photo.")) from exc
    if image_format not in ACCEPTED_FORMATS:
        raise PhotoRejected(_("Upload a JPEG, PNG or WebP photo."))
    if width < MIN_SIDE or height < MIN_SIDE:
        raise PhotoRejected(
            _("The photo is %(w)s×%(h)s pixels; it must be at least %(min)s×%(min)s.")
            % {"w": width, "h": height, "min": MIN_SIDE}
        )
    if width > MAX_SIDE or height > MAX_SIDE:
        raise PhotoRejected(
            _("The photo is %(w)s×%(h)s pixels; it must be at most %(max)s×%(max)s.")
            % {"w": width, "h": height, "max": MAX_SIDE}
        )
    try:
        with PILImage.open(io.BytesIO(raw)) as source:
            source.load()
            # Apply the EXIF orientation before the EXIF block is dropped.
            pixels = ImageOps.exif_transpose(source).convert("RGB")
    except (OSError, ValueError) as exc:
        raise PhotoRejected(_("That image is damaged and cannot be read.")) from exc
    pixels.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
    clean = PILImage.new("RGB", pixels.size)
    clean.paste(pixels)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def expert_photo_ingest(*, upload: UploadedFile, title: str, user=None):
    """Validate an uploaded photo and store a clean JPEG copy as a Wagtail image (see ``photo_clean``)."""
    buffer = io.BytesIO(photo_clean(upload=upload))
    image_model = get_image_model()
    buffer.seek(0)
    image = image_model(
        title=title[:255],
        # The title ("Photo of …") doubles as the alt text the image model requires.
        description=title[:255],
        uploaded_by_user=user,
        # Stored in public media before a moderator approves it: an unguessable name keeps
        # a photo that is never approved from being found (see docs/decisions.md).
        file=ImageFile(buffer, name=f"expert-photo-{secrets.token_urlsafe(16)}.jpg"),
    )
    image.save()
    return image
