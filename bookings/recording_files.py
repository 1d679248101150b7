"""What a recording file is, by its first bytes, and how one goes out to a browser.

The type is read from the content (magic bytes), never from the name or the browser's
Content-Type: a renamed HTML page or executable is refused whatever it is called. The
response supports one HTTP byte range (``Range: bytes=a-b``), which browsers ask for
to seek in a ``<video>``; several ranges are answered with the whole file, which RFC
9110 allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse

# The accepted types and the extension each file is stored and offered under.
MEDIA_TYPES = {"video/mp4": "mp4", "audio/mp4": "m4a", "video/webm": "webm", "audio/mpeg": "mp3"}
# How much of a file ``sniff_media`` needs.
HEAD_BYTES = 64
# ISO base media file brands of MP4 video and of M4A audio (the box ``ftyp`` at offset 4).
# Others (QuickTime "qt  ", HEIF images "heic"/"mif1", protected "M4P ") are refused.
_MP4_VIDEO_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V ", b"mmp4"}
_MP4_AUDIO_BRANDS = {b"M4A ", b"M4B "}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


def sniff_media(head: bytes) -> str | None:
    """The content type of a file starting with ``head``, if it is one we keep; else None."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _MP4_AUDIO_BRANDS:
            return "audio/mp4"
        if brand in _MP4_VIDEO_BRANDS:
            return "video/mp4"
        return None
    if head[:4] == b"\x1a\x45\xdf\xa3":
        # Matroska's EBML header names its DocType; only WebM is accepted.
        return "video/webm" if b"webm" in head[:HEAD_BYTES] else None
    if head[:3] == b"ID3":
        return "audio/mpeg"
    # A bare MPEG audio frame: 11 sync bits, MPEG version not "reserved", layer III.
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and (head[1] >> 3) & 3 != 1:
        return "audio/mpeg" if (head[1] >> 1) & 3 == 1 else None
    return None


def _byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) for one satisfiable range; None to send the whole file; False if unsatisfiable."""
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def _read(handle, first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        while length > 0:
            chunk = handle.read(min(_CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def recording_file_response(request: HttpRequest, recording, *, download: bool) -> HttpResponse:
    """The recording's bytes (or one range of them) with headers that keep it private and inert."""
    size = int(recording.size)
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _private(response)
    try:
        handle = recording.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    first, last = wanted if wanted else (0, size - 1)
    response = StreamingHttpResponse(
        _read(handle, first, last - first + 1), status=206 if wanted else 200, content_type=recording.content_type
    )
    response["Content-Length"] = str(last - first + 1)
    if wanted:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    name = f"session-{recording.booking_id}-recording-{recording.pk}.{MEDIA_TYPES.get(recording.content_type, 'bin')}"
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{name}"'
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
