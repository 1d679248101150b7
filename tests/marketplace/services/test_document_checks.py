import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from PIL import PngImagePlugin

from marketplace.errors import DocumentRejected
from marketplace.services.document_checks import document_clean, pdf_check, sniff
from tests.marketplace.application_factories import pdf_bytes, pdf_with_object_stream
from tests.marketplace.factories import image_bytes


def _code(raw: bytes) -> str:
    with pytest.raises(DocumentRejected) as refused:
        document_clean(raw)
    return refused.value.code


def test_a_plain_pdf_is_kept_byte_for_byte():
    raw = pdf_bytes()
    clean = document_clean(raw)
    assert clean.content == raw and clean.content_type == "application/pdf" and clean.extension == "pdf"


def test_a_pdf_with_javascript_is_refused_with_a_clear_message():
    with pytest.raises(DocumentRejected) as refused:
        document_clean(pdf_bytes(javascript=True))
    assert refused.value.code == "pdf_javascript"
    assert "JavaScript" in refused.value.message


def test_an_encrypted_pdf_is_refused():
    assert _code(pdf_bytes(encrypted=True)) == "pdf_encrypted"


def test_an_escaped_javascript_name_is_still_javascript():
    raw = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /JS (x) >>", 1)
    assert _code(raw) == "pdf_javascript"


def test_javascript_hidden_in_a_compressed_object_stream_is_found_and_a_harmless_one_passes():
    # The control proves the parser reads the object stream: the same file with a link action is accepted.
    pdf_check(pdf_with_object_stream(b"<< /S /URI /URI (https://example.com/) >>"))
    hidden = pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in hidden
    assert _code(hidden) == "pdf_javascript"


def test_a_launch_action_is_refused():
    raw = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch /F (calc.exe) >>", 1)
    assert _code(raw) == "pdf_javascript"


def test_a_damaged_pdf_is_refused_as_unreadable():
    assert _code(b"%PDF-1.7\nthis is not a pdf at all") == "pdf_unreadable"


@pytest.mark.parametrize(
    "raw",
    [b"MZ\x90\x00 an executable", b"<html><script>alert(1)</script>", b"GIF89a....", b"PK\x03\x04 zip", b""],
)
def test_anything_but_pdf_jpeg_or_png_is_refused_by_content(raw):
    assert sniff(raw) is None
    assert _code(raw) == "wrong_type"


def test_a_jpeg_is_reencoded_without_its_exif():
    exif = PILImage.Exif()
    exif[0x010F] = "Spy camera"  # Make
    exif[0x8825] = {2: (52.0, 31.0, 0.0)}  # GPS
    raw = image_bytes(exif=exif.tobytes())
    clean = document_clean(raw)
    assert clean.content_type == "image/jpeg"
    with PILImage.open(io.BytesIO(clean.content)) as image:
        assert image.format == "JPEG" and not image.getexif()
    assert b"Spy camera" not in clean.content


def test_a_png_stays_a_png_and_loses_its_text_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret location")
    buffer = io.BytesIO()
    PILImage.new("RGBA", (120, 80), "#123456").save(buffer, format="PNG", pnginfo=info)
    clean = document_clean(buffer.getvalue())
    assert clean.content_type == "image/png" and b"secret location" not in clean.content


def test_a_file_that_claims_to_be_a_jpeg_but_is_not_is_refused():
    assert _code(b"\xff\xd8\xff\xe0" + b"garbage" * 100) == "image_unreadable"
    # A PNG header with a JPEG body: magic bytes and decoder disagree.
    assert _code(b"\x89PNG\r\n\x1a\n" + image_bytes()[8:]) == "image_unreadable"


def test_a_tiny_image_is_refused():
    assert _code(image_bytes(size=(10, 10))) == "image_size"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_accepted_or_refused_never_crash(raw):
    for prefix in (b"", b"%PDF-1.4\n", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"):
        with contextlib.suppress(DocumentRejected):
            document_clean(prefix + raw)
