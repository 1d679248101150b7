"""Reads for the applicant's screens and the private file views, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models.application_offer import offer_or_none
from ..models.applications import ApplicationDocument, ApplicationEvent, ExpertApplication
from ..models.categories import Category

REVIEW_PERMISSION = "marketplace.review_expertapplication"
# A bio shorter than this reads thin on a profile (the same bar as the expert area's score).
GOOD_BIO_LENGTH = 300

# The application's steps after the account step, in order: (slug, label).
STEPS = (
    ("about", _("About you")),
    ("expertise", _("Expertise")),
    ("offer", _("Your offer")),
    ("credentials", _("Credentials")),
    ("review", _("Review and submit")),
)
STEP_SLUGS = tuple(slug for slug, _label in STEPS)


def _applications() -> QuerySet[ExpertApplication]:
    return ExpertApplication.objects.select_related("user").prefetch_related(
        "languages",
        Prefetch("categories", queryset=Category.objects.select_related("parent")),
        Prefetch("documents", queryset=ApplicationDocument.objects.order_by("uploaded_at", "pk")),
    )


def application_open_of(user) -> ExpertApplication | None:
    """The user's open application (draft up to changes requested), with its answers loaded."""
    if not user.is_authenticated:
        return None
    return _applications().filter(user=user).exclude(status__in=ExpertApplication.CLOSED_STATUSES).first()


def application_latest_of(user) -> ExpertApplication | None:
    """The open application, else the most recent decided one (for the status page)."""
    if not user.is_authenticated:
        return None
    return application_open_of(user) or _applications().filter(user=user).order_by("-created_at", "-pk").first()


def application_public_history(application: ExpertApplication) -> list[ApplicationEvent]:
    """What the applicant may see of the history: everything but reviewer notes and document checks."""
    return list(application.events.filter(private=False).order_by("created_at", "pk"))


def can_review(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION))


def application_for_viewer(user, application_id: int) -> ExpertApplication | None:
    """The application if ``user`` is its applicant or holds the review permission; else None (→ 404)."""
    if not user.is_authenticated:
        return None
    application = ExpertApplication.objects.filter(pk=application_id).first()
    if application is None or (application.user_id != user.pk and not can_review(user)):
        return None
    return application


def document_for_viewer(user, document_id: int) -> ApplicationDocument | None:
    """The document if ``user`` is its applicant or holds the review permission; else None (→ 404)."""
    if not user.is_authenticated:
        return None
    document = ApplicationDocument.objects.select_related("application").filter(pk=document_id).first()
    if document is None or (document.application.user_id != user.pk and not can_review(user)):
        return None
    return document


@dataclass(frozen=True)
class Hint:
    """One completeness item: done or not, and the step where it is fixed."""

    key: str
    label: str
    done: bool
    step: str


def application_hints(application: ExpertApplication) -> list[Hint]:
    """What makes a strong application and a profile learners book (the expert area's score, before approval).

    Reads only what ``application_open_of`` prefetched: no query of its own.
    """
    offer = offer_or_none(application.offer)
    documents = list(application.documents.all())
    return [
        Hint("photo", _("Add a clear, friendly photo of your face."), bool(application.photo), "about"),
        Hint(
            "bio",
            _("Write a bio of at least %(n)s characters: who you help and how.") % {"n": GOOD_BIO_LENGTH},
            len(application.bio.strip()) >= GOOD_BIO_LENGTH,
            "about",
        ),
        Hint("languages", _("Name the languages you hold sessions in."), bool(application.languages.all()), "about"),
        Hint(
            "session_lengths",
            _("Offer at least two session lengths, so learners can pick."),
            offer is not None and len(offer.sessions) >= 2,
            "offer",
        ),
        Hint("package", _("Offer a package of sessions at a better price."), bool(offer and offer.packages), "offer"),
        Hint(
            "identity",
            _("Upload an identity document: verified experts are booked more."),
            any(document.kind == ApplicationDocument.Kind.IDENTITY for document in documents),
            "credentials",
        ),
    ]


def hints_score(hints: list[Hint]) -> int:
    """Per cent of the hints done."""
    return round(100 * sum(hint.done for hint in hints) / len(hints)) if hints else 100
