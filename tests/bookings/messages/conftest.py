"""A learner and an expert with a booking between them (so they may write), and outsiders."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bookings.models import Booking
from bookings.services.messages import thread_for_booking
from tests.builders import bookable_expert, booking_in_state
from tests.factories import UserFactory
from tests.marketplace.factories import image_bytes


@pytest.fixture
def expert(db):
    return bookable_expert().profile.user


@pytest.fixture
def booking(learner, expert):
    return booking_in_state(
        learner=learner, expert=expert, start=timezone.now() + timedelta(days=3), status=Booking.Status.CONFIRMED
    )


@pytest.fixture
def thread(booking):
    return thread_for_booking(booking=booking)


@pytest.fixture
def other_learner(db):
    return UserFactory(email="other.learner@example.com", full_name="Otto Other")


@pytest.fixture
def other_expert(db):
    return bookable_expert().profile.user


def pdf_upload(name: str = "notes.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt="PNG"), content_type="image/png")


def docx_bytes(*, macros: bool = False, main: str = "wordprocessingml.document.main+xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.{main}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()
