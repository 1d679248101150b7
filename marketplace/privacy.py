"""The catalogue's part of a person's data: expert applications (with documents and photo),
the expert profile, and the public expert page with its revisions (registered in ``ready``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from wagtail.models import Page, PageLogEntry, Revision
from wagtail_localize.models import String, Template, TranslatableObject, TranslationContext, TranslationSource

from accounts import privacy

from .models import (
    ApplicationDocument,
    ApplicationEvent,
    ExpertApplication,
    ExpertPage,
    ExpertPageSkill,
    ExpertProfile,
    ExpertSearchDocument,
    IntakeQuestion,
    SessionType,
)


def _page_type() -> ContentType:
    return ContentType.objects.get_for_model(Page)


def _pages(user) -> Any:
    return ExpertPage.objects.filter(profile__user=user)


def _page_revisions(user) -> Iterator[dict[str, Any]]:
    page_ids = [str(pk) for pk in _pages(user).values_list("pk", flat=True)]
    for revision in Revision.objects.filter(base_content_type=_page_type(), object_id__in=page_ids).iterator():
        yield {"page_id": revision.object_id, "created_at": revision.created_at, "content": revision.content}


def export(*, user) -> dict[str, Any]:
    return {
        "expert_applications": ExpertApplication.objects.filter(user=user)
        .values(
            "id",
            "status",
            "headline",
            "bio",
            "time_zone",
            "links",
            "skills",
            "years_experience",
            "offer",
            "submitted_at",
            "decided_at",
            "decision_message",
            "created_at",
        )
        .iterator(),
        "application_documents": ApplicationDocument.objects.filter(application__user=user)
        .values("application_id", "kind", "title", "expires_on", "content_type", "size", "check_status", "uploaded_at")
        .iterator(),
        "application_events": ApplicationEvent.objects.filter(application__user=user, private=False)
        .values("application_id", "kind", "message", "created_at")
        .iterator(),
        "expert_profile": ExpertProfile.objects.filter(user=user)
        .values(
            "status",
            "time_zone",
            "currency",
            "rating_avg",
            "rating_count",
            "sessions_completed",
            "min_notice_hours",
            "horizon_days",
            "buffer_minutes",
            "slot_step_minutes",
        )
        .iterator(),
        "session_types": _offerings(user),
        "intake_questions": IntakeQuestion.objects.filter(profile__user=user)
        .values("position", "text", "required")
        .iterator(),
        "expert_pages": _pages(user)
        .values(
            "id",
            "title",
            "slug",
            "live",
            "headline",
            "bio",
            "language_codes",
            "years_experience",
            "credentials",
            "website_url",
            "linkedin_url",
            "github_url",
            "intro_video_url",
        )
        .iterator(),
        "expert_page_revisions": _page_revisions(user),
    }


def _offerings(user) -> Iterator[dict[str, Any]]:

    yield from (
        SessionType.objects.filter(profile__user=user)
        .values("duration_minutes", "price_minor", "currency", "is_active")
        .iterator()
    )


def files(*, user):
    for application in ExpertApplication.objects.filter(user=user).exclude(photo=""):
        yield (
            f"application-{application.pk}-photo-{application.photo.name.rsplit('/', 1)[-1]}",
            (application.photo.storage),
            application.photo.name,
        )
    for document in ApplicationDocument.objects.filter(application__user=user).exclude(file=""):
        yield (
            f"application-{document.application_id}-{document.file.name.rsplit('/', 1)[-1]}",
            (document.file.storage),
            document.file.name,
        )
    for page in _pages(user).select_related("photo").exclude(photo=None):
        yield (
            f"expert-page-photo-{page.photo.file.name.rsplit('/', 1)[-1]}",
            page.photo.file.storage,
            page.photo.file.name,
        )


def consequences(*, user, now) -> list[str]:

    if _pages(user).filter(live=True).exists():
        return [_("Your public expert page will be unpublished and its text and photo deleted.")]
    return []


def erase(*, user, pseudonym: str) -> None:
    for application in ExpertApplication.objects.filter(user=user):
        if application.photo:
            application.photo.delete(save=False)
        for document in application.documents.all():
            if document.file:
                document.file.delete(save=False)
        application.delete()  # documents and events go with it (CASCADE)
    ExpertProfile.objects.filter(user=user).update(status=ExpertProfile.Status.PAUSED)
    IntakeQuestion.objects.filter(profile__user=user).delete()
    for page in _pages(user).select_related("photo"):
        if page.live:
            page.unpublish(log_action=None)
        page.refresh_from_db()
        photo = page.photo
        erased_slug = f"erased-{page.pk}"
        page.title = page.draft_title = "Erased expert"
        page.slug = erased_slug
        page.seo_title = page.search_description = ""
        page.headline = page.bio = page.credentials = ""
        page.website_url = page.linkedin_url = page.github_url = page.intro_video_url = ""
        page.photo = None
        page.latest_revision = page.live_revision = None
        page.save(clean=False)
        Revision.objects.filter(base_content_type=_page_type(), object_id=str(page.pk)).delete()
        PageLogEntry.objects.filter(page_id=page.pk).update(label=pseudonym, data={})
        ExpertSearchDocument.objects.filter(page=page).delete()
        ExpertPageSkill.objects.filter(content_object=page).delete()
        if photo is not None:
            photo.file.delete(save=False)
            photo.delete()
        # wagtail-localize's copy of the page's source text (sources, segments, translations, contexts).
        # Sources first: their segments protect the contexts, the contexts the object.
        TranslationSource.objects.filter(object_id=page.translation_key).delete()
        TranslationContext.objects.filter(object_id=page.translation_key).delete()
        TranslatableObject.objects.filter(translation_key=page.translation_key).delete()
    # The strings and rich-text templates only that page used (shared ones stay with their other users).
    String.objects.filter(segments__isnull=True).delete()
    Template.objects.filter(segments__isnull=True).delete()


def register() -> None:
    privacy.register(
        "marketplace",
        export=export,
        erase=erase,
        files=files,
        consequences=consequences,
        models=[ExpertApplication, ApplicationDocument, ApplicationEvent, ExpertProfile, ExpertPage],
    )
