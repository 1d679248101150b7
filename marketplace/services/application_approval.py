"""What an approved application becomes: the expert's profile, offerings, draft page and verification record.

Called by ``application_review.application_approve`` inside its transaction, so
everything here is written or nothing is. The page is a draft (not live) under
the Experts page of the default language, with one revision submitted to the
site's moderation workflow: it goes live when a moderator approves it in the
Wagtail admin, or when the expert completes the "almost live" checklist in
``/expert/`` and publishes it (``expert_page_go_live``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from ..errors import PhotoRejected, ReviewRefused
from ..models import (
    ApplicationDocument,
    ExpertApplication,
    ExpertIndexPage,
    ExpertPage,
    ExpertProfile,
    ExpertVerification,
    Package,
    SessionType,
)
from ..models.application_offer import OfferInvalid, offer_parse
from .offerings import expert_profile_refresh_price_from
from .photos import expert_photo_ingest
from .profiles import expert_page_unique_slug

# Packages carry no validity in the application; the expert can change it later.
PACKAGE_VALIDITY_DAYS = 180


def _links(urls) -> dict[str, str]:
    """The applicant's links as the page's website, LinkedIn and GitHub fields (http(s) only, first of each)."""
    fields: dict[str, str] = {}
    for url in urls if isinstance(urls, list) else []:
        if not isinstance(url, str) or len(url) > 200:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        host = parts.hostname.lower()
        if host.endswith("linkedin.com"):
            fields.setdefault("linkedin_url", url)
        elif host.endswith("github.com"):
            fields.setdefault("github_url", url)
        else:
            fields.setdefault("website_url", url)
    return fields


def _photo(application: ExpertApplication, *, title: str, user):
    """The applicant's (private, already re-encoded) photo copied into a Wagtail image for the page."""
    if not application.photo:
        return None
    try:
        with application.photo.open("rb") as handle:
            return expert_photo_ingest(upload=File(handle, name="photo.jpg"), title=title, user=user)
    except (PhotoRejected, OSError):
        return None  # the page starts without a photo; the completeness hints ask for one


def _verifications(profile: ExpertProfile, documents: list[ApplicationDocument]) -> list[ExpertVerification]:
    today = timezone.localdate()
    rows = []
    for document in documents:
        if document.check_status != ApplicationDocument.CheckStatus.VERIFIED:
            continue
        if document.expires_on is not None and document.expires_on < today:
            continue
        identity = document.kind == ApplicationDocument.Kind.IDENTITY
        rows.append(
            ExpertVerification(
                profile=profile,
                kind=ExpertVerification.Kind.IDENTITY if identity else ExpertVerification.Kind.CREDENTIAL,
                # The public record names a credential, never the identity document's own title.
                title=_("Identity") if identity else document.title,
                verified_at=document.checked_at or timezone.now(),
                expires_on=document.expires_on,
                source_document=document,
            )
        )
    return ExpertVerification.objects.bulk_create(rows)


def approval_create_expert(
    *, application: ExpertApplication, actor, documents: list[ApplicationDocument]
) -> ExpertProfile:
    """Profile, session types and packages from the offer, the draft page in moderation, the role, the record."""
    user = application.user
    if user.is_expert or ExpertProfile.objects.filter(user=user).exists():
        raise ReviewRefused(_("This applicant is already an expert."), code="already_expert")
    index_page = ExpertIndexPage.objects.filter(locale=Locale.get_default()).first()
    if index_page is None:
        raise ReviewRefused(_("Publish the Experts page first: new expert pages are created under it."))
    try:
        offer = offer_parse(application.offer)
    except OfferInvalid as invalid:
        raise ReviewRefused(
            _("The offer cannot be used (%(problems)s); request changes.") % {"problems": " ".join(invalid.messages)}
        ) from invalid
    currency = offer.currency

    profile = ExpertProfile(user=user, currency=currency, time_zone=application.time_zone or user.time_zone or "UTC")
    profile.full_clean()
    profile.save()
    by_minutes = {}
    for session in offer.sessions:
        by_minutes[session.minutes] = SessionType.objects.create(
            profile=profile, duration_minutes=session.minutes, price_minor=session.price.amount, currency=currency
        )
    Package.objects.bulk_create(
        Package(
            profile=profile,
            session_type=by_minutes[package.minutes],
            sessions_count=package.sessions,
            price_minor=package.price.amount,
            currency=currency,
            validity_days=PACKAGE_VALIDITY_DAYS,
        )
        for package in offer.packages
    )
    expert_profile_refresh_price_from(profile=profile)
    # Checked credentials appear in the page's verification record (and drop off it when
    # they expire), not in its free-text credentials, which would keep them for ever.
    _verifications(profile, documents)

    name = user.full_name or user.email.split("@")[0]
    page = ExpertPage(
        title=name,
        slug=expert_page_unique_slug(index_page, name),
        profile=profile,
        headline=application.headline or name,
        bio=application.bio,
        photo=_photo(application, title=f"Photo of {name}", user=actor),
        years_experience=application.years_experience or 0,
        live=False,
        has_unpublished_changes=True,
        owner=user,
        **_links(application.links),
    )
    page.categories = list(application.categories.all())
    page.languages = list(application.languages.all())
    page.skills.set([str(skill)[:100] for skill in application.skills or [] if str(skill).strip()])
    index_page.add_child(instance=page)
    # The reviewer writes the first revision: ``expert_page_go_live`` publishes only a
    # revision the expert has not changed since (their own edits wait for a moderator).
    page.save_revision(user=actor, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, actor)

    user.is_expert = True
    user.save(update_fields=["is_expert"])
    return profile
