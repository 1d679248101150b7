"""Expert profiles and their editorial pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale, Revision
from wagtail.search import index

from ..errors import MarketplaceError
from ..models import Category, ExpertIndexPage, ExpertPage, ExpertProfile, Language
from .photos import expert_photo_ingest
from .search_documents import expert_search_documents_refresh

# What an expert may change from /expert/profile/; everything else is staff-only.
EDITABLE_FIELDS = (
    "title",
    "headline",
    "bio",
    "years_experience",
    "credentials",
    "website_url",
    "linkedin_url",
    "github_url",
    "intro_video_url",
)


def expert_page_unique_slug(index_page: ExpertIndexPage, base: str) -> str:
    base = slugify(base)[:70] or "expert"
    taken = set(index_page.get_children().values_list("slug", flat=True)) | set(
        Category.objects.values_list("slug", flat=True)
    )
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def expert_profile_create(
    *,
    user,
    index_page: ExpertIndexPage,
    headline: str,
    currency: str = "USD",
    time_zone: str = "UTC",
    bio: str = "",
    categories: Iterable[Category] = (),
    languages: Iterable[Language] = (),
    skills: Iterable[str] = (),
    photo=None,
    years_experience: int = 0,
    credentials: str = "",
    slug: str | None = None,
    published_at: datetime | None = None,
    extra: dict[str, Any] | None = None,
) -> ExpertProfile:
    """Create the profile and its live page (no revision: nothing is awaiting review yet).

    Called by the Wagtail admin's "Add expert profile" (staff make an existing
    account an expert), the demo seeder and the tests. Marks the user as an expert.
    """
    if hasattr(user, "expert_profile"):
        raise MarketplaceError(_("This user already has an expert profile."))
    profile = ExpertProfile(user=user, currency=currency, time_zone=time_zone, **(extra or {}))
    profile.full_clean()
    profile.save()
    page = ExpertPage(
        title=user.full_name or user.email.split("@")[0],
        slug=slug or expert_page_unique_slug(index_page, user.full_name or "expert"),
        profile=profile,
        headline=headline,
        bio=bio,
        photo=photo,
        years_experience=years_experience,
        credentials=credentials,
        live=True,
        has_unpublished_changes=False,
        first_published_at=published_at,
        last_published_at=published_at,
        owner=user,
    )
    page.categories = list(categories)
    page.languages = list(languages)
    page.skills.set(list(skills))
    index_page.add_child(instance=page)
    # Post-save indexing ran before the tags and categories were written.
    index.insert_or_update_object(page)
    expert_search_documents_refresh(page_ids=[page.pk])
    if not user.is_expert:
        user.is_expert = True
        user.save(update_fields=["is_expert"])
    return profile


def expert_source_page(*, profile: ExpertProfile) -> ExpertPage:
    """The expert's page in the default language (translations follow it)."""
    return ExpertPage.objects.get(profile=profile, locale=Locale.get_default())


@transaction.atomic
def expert_page_submit_changes(
    *,
    profile: ExpertProfile,
    user,
    changes: dict[str, Any],
    photo_upload: UploadedFile | None = None,
    remove_photo: bool = False,
) -> Revision:
    """Save the expert's edits as a new revision and submit it to the moderation workflow.

    The live page is untouched until a moderator approves the revision in the
    Wagtail admin; a newer submission replaces one still waiting for review.
    ``remove_photo`` drops the photo the same way: the live page keeps it until
    the revision without it is approved.
    """
    if remove_photo and photo_upload is not None:
        raise MarketplaceError(_("Upload a new photo or remove the current one, not both."))
    if profile.user_id != user.pk:
        raise MarketplaceError(_("You can only edit your own profile."))
    page = expert_source_page(profile=profile)
    draft = page.get_latest_revision_as_object()
    for name in EDITABLE_FIELDS:
        if name in changes:
            setattr(draft, name, changes[name])
    if "categories" in changes:
        draft.categories = list(changes["categories"])
    if "languages" in changes:
        draft.languages = list(changes["languages"])
    if "skills" in changes:
        draft.skills.set(list(changes["skills"]))
    if photo_upload is not None:
        draft.photo = expert_photo_ingest(upload=photo_upload, title=f"Photo of {draft.title}", user=user)
    elif remove_photo:
        draft.photo = None
    revision = draft.save_revision(user=user, log_action=True)

    page = ExpertPage.objects.get(pk=page.pk)
    state = page.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    workflow = page.get_workflow()
    if workflow is None:
        raise MarketplaceError(_("Profile review is not set up; please contact support."))
    workflow.start(page, user)
    return revision


def expert_page_pending_review(*, page: ExpertPage) -> bool:
    return page.workflow_in_progress
