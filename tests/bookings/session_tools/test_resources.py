"""The expert's resources: validated links, checked files in private storage, served to the two participants only."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bookings.models import Booking, SessionResource
from tests.factories import UserFactory
from tests.marketplace.application_factories import pdf_bytes
from tests.marketplace.factories import image_bytes

from .conftest import resource_files
from .helpers import session, text, tools_section

pytestmark = pytest.mark.django_db


def _add(client, booking, **data):
    return client.post(reverse("booking_resources", kwargs={"pk": booking.pk}), data)


def _file(content: bytes, name: str) -> SimpleUploadedFile:
    # The browser's content type is whatever it claims; the service never reads it.
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_expert_adds_a_link_the_learner_sees_it_with_safe_rel(client, lena, ada):
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    assert _add(client, booking, kind="link", **{"link-title": "Docs", "link-url": "https://docs.example/a?b=1"})[
        "Location"
    ].endswith("#session-tools")
    client.force_login(lena)
    section = tools_section(client.get(reverse("booking_detail", kwargs={"pk": booking.pk})))
    assert 'href="https://docs.example/a?b=1" rel="noopener noreferrer nofollow"' in section
    assert "Docs" in section and "Remove" not in section


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "starting with https://"),
        ("data:text/html,<script>alert(1)</script>", "starting with https://"),
        ("ftp://files.example/x", "starting with https://"),
        ("//evil.example/", "starting with https://"),
        ("https://", "starting with https://"),
        ("https://bank.example@evil.example/", "user name or password"),
        ("https://docs.example/" + "a" * 500, "at most 500 characters"),
        ("", "This field is required"),
    ],
)
def test_wrong_links_are_refused_and_nothing_is_added(client, lena, ada, url, message):
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    response = _add(client, booking, kind="link", **{"link-title": "x", "link-url": url})
    assert response.status_code == 200 and message in text(response)
    assert not SessionResource.objects.exists()


def test_a_title_is_escaped_where_it_shows(client, lena, ada):
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    _add(
        client,
        booking,
        kind="link",
        **{"link-title": '<img src=x onerror="alert(1)">', "link-url": "https://a.example/"},
    )
    section = tools_section(client.get(reverse("booking_detail", kwargs={"pk": booking.pk})))
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in section and "<img" not in section


def test_the_count_per_booking_is_limited(client, lena, ada, settings):
    settings.BOOKING_RESOURCES_MAX = 2
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    for n in range(2):
        _add(client, booking, kind="link", **{"link-title": f"L{n}", "link-url": f"https://a.example/{n}"})
    response = _add(client, booking, kind="link", **{"link-title": "L3", "link-url": "https://a.example/3"})
    assert "at most 2 resources" in text(response)
    assert SessionResource.objects.count() == 2


def test_only_the_expert_adds_and_only_while_the_session_is_not_cancelled(client, lena, ada):
    booking = session(lena, ada.user)
    client.force_login(lena)
    assert (
        _add(client, booking, kind="link", **{"link-title": "x", "link-url": "https://a.example/"}).status_code == 404
    )
    cancelled = session(lena, ada.user, starts_in=timedelta(days=5), status=Booking.Status.CANCELLED_BY_EXPERT)
    client.force_login(ada.user)
    assert (
        _add(client, cancelled, kind="link", **{"link-title": "x", "link-url": "https://a.example/"}).status_code == 302
    )
    assert not SessionResource.objects.exists()


def test_a_pdf_is_stored_privately_and_served_inline_to_both_participants_only(client, lena, ada, private_media):
    booking = session(lena, ada.user, starts_in=-timedelta(days=1), status=Booking.Status.COMPLETED)
    client.force_login(ada.user)
    content = pdf_bytes()
    _add(client, booking, kind="file", **{"file-title": "Slides", "file-file": _file(content, "slides.pdf")})
    resource = SessionResource.objects.get()
    assert resource.file.name.startswith("sessions/resources/") and "slides" not in resource.file.name
    assert (private_media / resource.file.name).read_bytes() == content
    url = reverse("session_resource_file", kwargs={"pk": resource.pk})
    for user in (lena, ada.user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    for user in (UserFactory(), UserFactory(is_staff=True)):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_text_file_downloads_as_an_attachment(client, lena, ada, private_media):
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    _add(
        client, booking, kind="file", **{"file-title": "", "file-file": _file(b"<html><script>x</script>", "notes.txt")}
    )
    resource = SessionResource.objects.get()
    assert (resource.title, resource.content_type) == ("notes", "text/plain")
    client.force_login(lena)
    response = client.get(reverse("session_resource_file", kwargs={"pk": resource.pk}))
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"


def _png_with_tail(tail: bytes) -> bytes:
    return image_bytes(fmt="PNG") + tail


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (image_bytes(fmt="PNG"), "slides.pdf", "does not match its content (.png)"),
        (pdf_bytes(), "photo.jpg", "does not match its content (.pdf)"),
        (b"<html><body>hi</body></html>", "page.html", "does not match its content (.txt)"),
        (b"MZ\x90\x00\x03\x00\x00\x00binary", "tool.pdf", "plain text file"),
        (b"GIF89a\x01\x00\x01\x00", "anim.png", "plain text file"),
        (pdf_bytes(javascript=True), "script.pdf", "JavaScript"),
        (b"%PDF-1.4 broken", "broken.pdf", "damaged"),
        (b"", "empty.txt", "empty"),
    ],
)
def test_wrong_files_are_refused_and_nothing_is_written(client, lena, ada, private_media, content, name, message):
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    before = resource_files(private_media)
    response = _add(client, booking, kind="file", **{"file-title": "x", "file-file": _file(content, name)})
    assert response.status_code == 200 and message in text(response)
    assert not SessionResource.objects.exists()
    assert resource_files(private_media) == before


def test_a_file_over_the_limit_is_refused(client, lena, ada, private_media, settings):
    settings.BOOKING_RESOURCE_MAX_BYTES = 1000
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    response = _add(client, booking, kind="file", **{"file-title": "x", "file-file": _file(b"a" * 1001, "big.txt")})
    assert "larger than 1000" in text(response)
    assert not SessionResource.objects.exists()


def test_a_png_polyglot_is_stored_re_encoded_without_its_payload(client, lena, ada, private_media):
    payload = b"PK\x03\x04<html><script>alert(document.cookie)</script></html>"
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    _add(
        client, booking, kind="file", **{"file-title": "Diagram", "file-file": _file(_png_with_tail(payload), "d.png")}
    )
    resource = SessionResource.objects.get()
    stored = (private_media / resource.file.name).read_bytes()
    assert b"<script>" not in stored and b"PK\x03\x04" not in stored
    assert Image.open(io.BytesIO(stored)).format == "PNG"


def test_the_expert_removes_a_resource_and_its_file(
    client, lena, ada, private_media, django_capture_on_commit_callbacks
):
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    _add(client, booking, kind="file", **{"file-title": "x", "file-file": _file(b"hello", "a.txt")})
    resource = SessionResource.objects.get()
    path = private_media / resource.file.name
    client.force_login(lena)
    assert client.post(reverse("session_resource_delete", kwargs={"pk": resource.pk})).status_code == 404
    assert path.exists()
    client.force_login(ada.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("session_resource_delete", kwargs={"pk": resource.pk}))
    assert not SessionResource.objects.exists() and not path.exists()
    response = client.get(reverse("booking_detail", kwargs={"pk": booking.pk}))
    assert "No resources yet." in tools_section(response)
