"""Attachments: checked by content (not the name), size-limited, private, downloadable by the two people only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bookings.errors import MessageError
from bookings.models import Message
from bookings.services.messages import message_send

from .conftest import docx_bytes, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [
        (pdf_upload, "application/pdf"),
        (png_upload, "image/png"),
        (lambda: SimpleUploadedFile("agenda.txt", b"1. SQL\n2. joins\n"), "text/plain"),
        (
            lambda: SimpleUploadedFile("plan.docx", docx_bytes()),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_attachments_are_stored_privately(thread, learner, upload, content_type):
    message = message_send(thread=thread, sender=learner, text="", upload=upload())
    assert message.attachment_type == content_type
    assert message.attachment.storage.__class__.__name__ != "DefaultStorage"
    assert "/media/" not in message.attachment.storage.base_location


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("invoice.pdf", b"MZ\x90\x00 this is a windows program", "wrong_type"),
        ("photo.png", b"%PDF-1.4 not an image", "extension_mismatch"),
        ("page.html", b"<script>alert(1)</script>", "extension_mismatch"),
        ("plan.docx", docx_bytes(macros=True), "macros"),
        ("plan.docx", docx_bytes(main="spreadsheetml.sheet.main+xml"), "wrong_type"),
        ("plan.xlsx", b"PK\x03\x04garbage", "wrong_type"),
        ("archive.zip", docx_bytes(), "wrong_type"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word", "wrong_type"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_disguised_or_dangerous_files_are_refused(thread, learner, name, content, code):
    with pytest.raises(MessageError) as refused:
        message_send(thread=thread, sender=learner, text="see file", upload=SimpleUploadedFile(name, content))
    assert refused.value.code == code, refused.value.message
    assert not Message.objects.exists()


def test_an_oversize_file_is_refused_before_it_is_read(thread, learner, settings):
    settings.MESSAGE_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(MessageError) as refused:
        message_send(thread=thread, sender=learner, upload=SimpleUploadedFile("big.txt", b"a" * 1001))
    assert refused.value.code == "too_big"
    assert not Message.objects.exists()


def test_only_the_two_participants_download_an_attachment(
    client, thread, learner, expert, other_learner, other_expert, staff_user
):
    message = message_send(thread=thread, sender=expert, text="Slides", upload=pdf_upload())
    url = reverse("message_attachment", kwargs={"pk": message.pk})
    for user in (learner, expert):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for user in (other_learner, other_expert, staff_user):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404  # not even a login page: it would confirm the id
    assert client.get(reverse("message_attachment", kwargs={"pk": 999_999})).status_code == 404
