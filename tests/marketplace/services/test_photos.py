import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from marketplace.errors import PhotoRejected
from marketplace.services import expert_photo_ingest
from tests.marketplace.factories import image_bytes

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def exif_with_gps() -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0110] = "Model 9000"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 0.0), 3: "E", 4: (13.0, 24.0, 0.0)})
    return exif


def test_a_good_photo_is_re_encoded_and_stripped_of_metadata():
    original = image_bytes(size=(800, 600), exif=exif_with_gps())
    with PILImage.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(GPS_IFD)  # the control: the upload really carries GPS
    image = expert_photo_ingest(upload=upload(original, name="holiday.png"), title="Me")
    assert (image.width, image.height) == (800, 600)
    with image.file.open("rb") as stored, PILImage.open(stored) as result:
        assert result.format == "JPEG"
        assert not result.getexif()
        assert "exif" not in result.info
    assert image.file.name.endswith(".jpg")


def test_png_and_webp_are_accepted_and_large_ones_scaled_down():
    image = expert_photo_ingest(upload=upload(image_bytes(size=(3000, 2000), fmt="PNG"), "a.png"), title="Me")
    assert max(image.width, image.height) == 1600
    webp = expert_photo_ingest(upload=upload(image_bytes(size=(300, 300), fmt="WEBP"), "a.webp"), title="Me")
    assert (webp.width, webp.height) == (300, 300)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 definitely not an image", "photo.jpg", "not an image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "photo.png", "not an image"),
        (image_bytes()[:200], "photo.jpg", "not an image"),  # truncated JPEG
        (image_bytes(size=(150, 400)), "photo.jpg", "at least 200×200"),
        (image_bytes(size=(6001, 300), fmt="PNG"), "photo.png", "at most 6000×6000"),
        (image_bytes(size=(300, 300), fmt="GIF"), "photo.jpg", "JPEG, PNG or WebP"),
    ],
)
def test_bad_files_are_rejected_by_content_not_name(data, name, message):
    with pytest.raises(PhotoRejected, match=message):
        expert_photo_ingest(upload=upload(data, name=name), title="Me")


def test_files_over_5_mb_are_rejected_before_decoding():
    big = image_bytes(size=(300, 300)) + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(PhotoRejected, match="larger than 5 MB"):
        expert_photo_ingest(upload=upload(big), title="Me")


def test_a_photo_awaiting_review_is_stored_under_an_unguessable_name():
    import re

    names = [
        expert_photo_ingest(upload=upload(image_bytes(size=(400, 400))), title="Me").file.name for _attempt in range(2)
    ]
    assert names[0] != names[1]
    for name in names:
        # original_images/expert-photo-<22 random URL-safe characters>.jpg, nothing from the upload's name
        assert re.fullmatch(r"original_images/expert-photo-[A-Za-z0-9_-]{22}\.jpg", name), name
