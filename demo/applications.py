"""Demo expert applications in every state, so the staff queue and the status page are not empty.

- ``applicant@taptime.example`` (the demo applicant in the README): a change request to answer.
- Two waiting in the queue (one submitted, one in review and held by the demo staff member),
  one draft, one rejected, and the demo expert's own approved application as history.

Each applicant has a PDF certificate and an identity scan in the private storage.
Applications are written directly (the staff decisions are not the applicant's
services); a second run finds each applicant's application and changes nothing.
The join page seeded before the online application existed is moved onto it.
"""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import User
from cms_pages.models import StandardPage
from marketplace.models import ApplicationDocument, ApplicationEvent, Category, ExpertApplication, Language

from .accounts import DEMO_PASSWORD
from .base import Log, Tally
from .images import draw_picture
from .site import simple_body
from .site_content import STANDARD_PAGES

Status = ExpertApplication.Status
Kind = ApplicationEvent.Kind
STAFF_EMAIL = "staff@taptime.example"
OFFER = {
    "currency": "EUR",
    "sessions": [{"minutes": 30, "price": "40.00"}, {"minutes": 60, "price": "75.00"}],
    "packages": [{"sessions": 5, "minutes": 60, "price": "340.00"}],
}
APPLICANTS = [
    {
        "email": "applicant@taptime.example",
        "full_name": "Avery Applicant",
        "status": Status.CHANGES_REQUESTED,
        "days_ago": 6,
        "headline": "UX researcher helping product teams test ideas fast",
        "category": "ux-design",
        "skills": ["User interviews", "Usability testing", "Figma"],
        "message": "Thanks for applying! Please upload the certificate of your UX research course "
        "(the one you mention in your bio), and add a 30-minute session for quick reviews.",
    },
    {
        "email": "priya.applicant@taptime.example",
        "full_name": "Priya Nair",
        "status": Status.SUBMITTED,
        "days_ago": 2,
        "headline": "Data engineer: pipelines, dbt and Airflow explained clearly",
        "category": "data-engineering",
        "skills": ["dbt", "Airflow", "SQL"],
    },
    {
        "email": "marco.applicant@taptime.example",
        "full_name": "Marco Bianchi",
        "status": Status.IN_REVIEW,
        "days_ago": 4,
        "headline": "Product manager coaching new PMs through their first year",
        "category": "product-management",
        "skills": ["Roadmaps", "Discovery", "Stakeholders"],
    },
    {
        "email": "chen.applicant@taptime.example",
        "full_name": "Chen Yu",
        "status": Status.DRAFT,
        "days_ago": 1,
        "headline": "iOS developer",
        "category": "",
        "skills": [],
    },
    {
        "email": "olu.applicant@taptime.example",
        "full_name": "Olu Adeyemi",
        "status": Status.REJECTED,
        "days_ago": 9,
        "headline": "Crypto trading signals",
        "category": "",
        "skills": ["Trading"],
        "message": "TapTime sessions teach a skill; we do not list investment or trading advice. "
        "You are welcome to apply again with a teaching offer after the cooling-off period.",
    },
]


def _pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _user(spec: dict) -> User:
    user = User.objects.filter(email=spec["email"]).first()
    if user is None:
        user = User.objects.create_user(
            email=spec["email"], password=DEMO_PASSWORD, full_name=spec["full_name"], time_zone="Europe/Berlin"
        )
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def _document(application: ExpertApplication, *, kind: str, title: str, content: bytes, content_type: str) -> None:
    document = ApplicationDocument(
        application=application, kind=kind, title=title, content_type=content_type, size=len(content), sha256=""
    )
    extension = "pdf" if content_type == "application/pdf" else "jpg"
    document.file.save(f"demo-{application.pk}-{kind}.{extension}", ContentFile(content), save=False)
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.save()


def _application(spec: dict, *, staff: User | None, index: int) -> ExpertApplication:
    user = _user(spec)
    now = timezone.now()
    started = now - timedelta(days=spec["days_ago"])
    status = spec["status"]
    complete = status != Status.DRAFT
    category = Category.objects.filter(slug=spec["category"]).first() if spec["category"] else None
    application = ExpertApplication.objects.create(
        user=user,
        status=status,
        step=ExpertApplication.Step.CREDENTIALS if complete else ExpertApplication.Step.ABOUT,
        headline=spec["headline"],
        bio=(
            f"I am {spec['full_name']}. For over ten years I have helped people learn by doing: short, focused "
            "sessions with a clear goal, real examples from your work, and notes you can keep. "
        )
        * 2,
        time_zone="Europe/Berlin",
        links=["https://example.com/portfolio"],
        skills=spec["skills"],
        years_experience=10 if complete else None,
        offer=OFFER if complete else {},
        submitted_at=started + timedelta(hours=1) if complete else None,
        decided_at=now - timedelta(days=1) if status == Status.REJECTED else None,
        decided_by=staff if status in (Status.REJECTED, Status.CHANGES_REQUESTED) else None,
        decision_message=spec.get("message", ""),
        reviewer=staff if status in (Status.IN_REVIEW, Status.CHANGES_REQUESTED) else None,
        claimed_at=now - timedelta(days=1) if status in (Status.IN_REVIEW, Status.CHANGES_REQUESTED) else None,
    )
    ExpertApplication.objects.filter(pk=application.pk).update(created_at=started)
    application.languages.set(Language.objects.filter(code__in=["en", "de"]))
    if category is not None:
        application.categories.set([category])
    application.photo.save(
        f"demo-photo-{application.pk}.jpg", ContentFile(draw_picture(seed=40 + index, width=400, height=400)), save=True
    )
    if complete:
        _document(
            application,
            kind=ApplicationDocument.Kind.CERTIFICATE,
            title=f"{spec['skills'][0] if spec['skills'] else 'Professional'} certificate",
            content=_pdf("Demo certificate"),
            content_type="application/pdf",
        )
        _document(
            application,
            kind=ApplicationDocument.Kind.IDENTITY,
            title="Passport",
            content=draw_picture(seed=60 + index, width=800, height=560),
            content_type="image/jpeg",
        )
    events = [(Kind.CREATED, user, "", False)]
    if complete:
        events.append((Kind.SUBMITTED, user, "", False))
    if status in (Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.REJECTED):
        events.append((Kind.CLAIMED, staff, "", True))
        events.append((Kind.NOTE, staff, "Documents look genuine; checking the offer.", True))
    if status == Status.CHANGES_REQUESTED:
        events.append((Kind.CHANGES_REQUESTED, staff, spec["message"], False))
    if status == Status.REJECTED:
        events.append((Kind.REJECTED, staff, spec["message"], False))
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=application, kind=kind, actor=actor, message=message, private=private)
        for kind, actor, message, private in events
    )
    return application


def _approved_history(expert: User, staff: User | None) -> bool:
    """The demo expert's own application, approved long ago: the history the approval leaves behind."""
    if ExpertApplication.objects.filter(user=expert).exists():
        return False
    decided = timezone.now() - timedelta(days=120)
    application = ExpertApplication.objects.create(
        user=expert,
        status=Status.APPROVED,
        step=ExpertApplication.Step.CREDENTIALS,
        headline="Demo expert",
        offer=OFFER,
        submitted_at=decided - timedelta(days=2),
        decided_at=decided,
        decided_by=staff,
    )
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(application=application, kind=Kind.SUBMITTED, actor=expert),
            ApplicationEvent(application=application, kind=Kind.APPROVED, actor=staff),
        ]
    )
    return True


def _upgrade_join_page() -> bool:
    """A join page seeded when applying meant writing to the contact page now leads to the online form."""
    join = StandardPage.objects.filter(slug="join", locale__language_code="en").first()
    if join is None or "/join/apply/" in str(join.body.get_prep_value()):
        return False
    spec = next(page for page in STANDARD_PAGES if page["slug"] == "join")
    join.body = simple_body("join", spec["body"])
    join.save_revision().publish()
    return True


def seed(*, log: Log) -> str:
    tally = Tally()
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    for index, spec in enumerate(APPLICANTS):
        user = User.objects.filter(email=spec["email"]).first()
        made = user is None or not ExpertApplication.objects.filter(user=user).exists()
        if made:
            _application(spec, staff=staff, index=index)
            log(f"application of {spec['email']}: {spec['status']}")
        tally.add("applications", made)
    expert = User.objects.filter(email="expert@taptime.example").first()
    if expert is not None:
        tally.add("applications", _approved_history(expert, staff))
    if _upgrade_join_page():
        log("the join page now leads to the online application")
    return tally.summary()
