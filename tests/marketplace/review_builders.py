"""Expert applications in the states the staff side needs, written directly (the applicant's
forms and services are tested on their own) and reviewers to act on them."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from marketplace.models import ApplicationDocument, ApplicationEvent, Category, ExpertApplication, Language
from tests.factories import UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
OFFER = {
    "currency": "EUR",
    "sessions": [{"minutes": 30, "price": "45.00"}, {"minutes": 60, "price": "80.00"}],
    "packages": [{"sessions": 5, "minutes": 60, "price": "350.00"}],
}


def png_bytes(size=(300, 300), color="#884422") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(400, 400), color="#336699") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def make_reviewer(**fields):
    """A staff member in the "Expert reviewers" group (no superuser powers)."""
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Expert reviewers"))
    return user


def add_document(
    application, *, kind=ApplicationDocument.Kind.IDENTITY, title="Passport", image=False, expires_on=None
):
    content = png_bytes() if image else PDF_BYTES
    document = ApplicationDocument(
        application=application,
        kind=kind,
        title=title,
        expires_on=expires_on,
        content_type="image/png" if image else "application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("doc.png" if image else "doc.pdf", ContentFile(content), save=False)
    document.save()
    return document


def make_application(
    *,
    user=None,
    status=ExpertApplication.Status.SUBMITTED,
    categories: tuple[Category, ...] = (),
    documents: bool = True,
    submitted_at=None,
    offer=None,
    photo: bool = True,
    **fields,
) -> ExpertApplication:
    user = user or UserFactory()
    now = timezone.now()
    application = ExpertApplication(
        user=user,
        status=status,
        step=ExpertApplication.Step.CREDENTIALS,
        headline=fields.pop("headline", "Data engineer who teaches pipelines"),
        bio=fields.pop("bio", "I build data pipelines. " * 20),
        time_zone=fields.pop("time_zone", "Europe/Berlin"),
        links=fields.pop("links", ["https://example.com/me", "https://www.linkedin.com/in/someone"]),
        skills=fields.pop("skills", ["Python", "SQL"]),
        years_experience=fields.pop("years_experience", 8),
        offer=OFFER if offer is None else offer,
        submitted_at=None if status == ExpertApplication.Status.DRAFT else (submitted_at or now),
        **fields,
    )
    if photo:
        application.photo.save("photo.jpg", ContentFile(jpeg_bytes()), save=False)
    application.save()
    application.languages.set(Language.objects.filter(code__in=["en", "de"]))
    application.categories.set(categories)
    if documents:
        add_document(application, kind=ApplicationDocument.Kind.IDENTITY, title="Passport", image=True)
        add_document(
            application,
            kind=ApplicationDocument.Kind.CERTIFICATE,
            title="AWS Data Engineer",
            expires_on=date(2099, 1, 1),
        )
    ApplicationEvent.objects.create(application=application, actor=user, kind=ApplicationEvent.Kind.SUBMITTED)
    return application
