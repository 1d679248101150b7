"""Builders for expert applications: files (clean and hostile) and applications in every state."""

from __future__ import annotations

import io
import zlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from marketplace.models import ApplicationDocument, ApplicationEvent, Category, ExpertApplication, Language
from tests.marketplace.factories import image_bytes

OFFER = {
    "currency": "EUR",
    "sessions": [{"minutes": 30, "price": "45.00"}, {"minutes": 60, "price": "80.00"}],
    "packages": [{"sessions": 5, "minutes": 60, "price": "350.00"}],
}


def pdf_bytes(*, javascript: bool = False, encrypted: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        writer.add_open_action(JavaScript("app.alert('hi');"))
    if encrypted:
        writer.encrypt(user_password="", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_object_stream(inner: bytes) -> bytes:
    """A PDF 1.5 whose catalog's /OpenAction lives compressed inside an object stream (invisible to a byte scan)."""
    chunks: list[bytes] = [b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"]
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = sum(len(chunk) for chunk in chunks)
        chunks.append(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>")
    header = b"4 0 "
    data = zlib.compress(header + inner)
    add(
        5,
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(data))
        + data
        + b"\nendstream",
    )
    xref_offset = sum(len(chunk) for chunk in chunks)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for number in (1, 2, 3):
        rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    rows.append(b"\x02" + (5).to_bytes(4, "big") + b"\x00\x00")  # object 4: in stream 5, index 0
    rows.append(b"\x01" + offsets[5].to_bytes(4, "big") + b"\x00\x00")
    rows.append(b"\x01" + xref_offset.to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    chunks.append(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
        + table
        + b"\nendstream\nendobj\n"
    )
    chunks.append(b"startxref\n%d\n%%%%EOF\n" % xref_offset)
    return b"".join(chunks)


def upload(content: bytes, name: str = "file.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_upload(**kwargs) -> SimpleUploadedFile:
    return upload(image_bytes(**kwargs), name="photo.jpg", content_type="image/jpeg")


def make_application(
    user,
    *,
    status: str = ExpertApplication.Status.DRAFT,
    complete: bool = True,
    documents: int = 1,
    categories=(),
    decided_at=None,
    message: str = "",
) -> ExpertApplication:
    """An application written directly (for states no applicant service reaches), with its history."""
    now = timezone.now()
    application = ExpertApplication.objects.create(
        user=user,
        status=status,
        step=ExpertApplication.Step.CREDENTIALS if complete else ExpertApplication.Step.NONE,
        headline="Data coach" if complete else "",
        bio=("I help analysts grow. " * 20) if complete else "",
        time_zone="Europe/Berlin" if complete else "",
        years_experience=8 if complete else None,
        skills=["Python", "SQL"] if complete else [],
        offer=OFFER if complete else {},
        submitted_at=None if status == ExpertApplication.Status.DRAFT else now,
        decided_at=decided_at,
        decision_message=message,
    )
    if complete:
        application.languages.set(Language.objects.filter(code__in=["en", "de"]))
        application.categories.set(categories or Category.objects.all()[:1])
    for index in range(documents):
        document = ApplicationDocument(
            application=application,
            kind=ApplicationDocument.Kind.CERTIFICATE,
            title=f"Certificate {index + 1}",
            content_type="application/pdf",
            size=0,
            sha256="0" * 64,
        )
        content = pdf_bytes()
        document.size = len(content)
        document.file.save(f"test-{application.pk}-{index}.pdf", ContentFile(content), save=False)
        document.save()
    ApplicationEvent.objects.create(application=application, actor=user, kind=ApplicationEvent.Kind.CREATED)
    if status != ExpertApplication.Status.DRAFT:
        ApplicationEvent.objects.create(application=application, actor=user, kind=ApplicationEvent.Kind.SUBMITTED)
    return application
