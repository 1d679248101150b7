"""One expert page: what it shows besides its own fields, in a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from ..models.applications import ExpertVerification
from ..models.categories import Language
from ..models.offerings import Package, SessionType
from ..models.profiles import ExpertProfile
from .catalogue import browse_choices

if TYPE_CHECKING:
    from ..models.pages import ExpertPage


class Offerings(NamedTuple):
    session_types: list[SessionType]
    packages: list[Package]


def expert_offerings(*, profile: ExpertProfile) -> Offerings:
    """What learners can book from the expert: the active session types, shortest first, and the
    packages of active session types, smallest first (two queries). Learners buy a package from the
    page (billing's ``/packages/<id>/buy/``)."""
    return Offerings(
        list(SessionType.objects.filter(profile=profile, is_active=True)),
        list(
            Package.objects.filter(profile=profile, is_active=True, session_type__is_active=True).select_related(
                "session_type"
            )
        ),
    )


def expert_page_detail(*, page: ExpertPage, offerings: Offerings, request) -> dict[str, Any]:
    """Everything the expert page shows besides the page fields and its offerings: at most four queries.

    Each is read when first used: the page renders these parts into fragments cached per version of
    the page (templates/marketplace/expert_page.html), and a fragment from the cache reads none."""
    return {
        "profile": page.profile,
        "session_types": offerings.session_types,
        "packages": offerings.packages,
        "expert_categories": SimpleLazyObject(lambda: list(page.categories.select_related("parent"))),
        "expert_languages": _page_languages(page=page, request=request),
        "expert_skills": SimpleLazyObject(lambda: list(page.skills.all())),
        "verifications": SimpleLazyObject(lambda: expert_verifications(profile_id=page.profile_id)),
        "index_page": SimpleLazyObject(page.get_parent),
    }


def _page_languages(*, page: ExpertPage, request) -> list[Language]:
    """The page's languages by name, from its denormalised codes and the cached names: no query.

    A preview shows an unsaved edit, whose codes are not recomputed yet: it reads the relation.
    """
    if getattr(request, "is_preview", False):
        return list(page.languages.all())
    names = dict(browse_choices()["languages"])
    codes = [code for code in page.language_codes.split(",") if code]
    return sorted((Language(code=code, name=names.get(code, code)) for code in codes), key=lambda item: item.name)


def expert_verifications(*, profile_id: int) -> list[ExpertVerification]:
    """The public verification record: what was checked and when, without the expired rows (one query).

    Only titles, kinds and dates: the documents behind them stay private.
    """
    today = timezone.localdate()
    return list(
        ExpertVerification.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today), profile_id=profile_id)
        .only("kind", "title", "verified_at", "expires_on")
        .order_by("kind", "title")
    )
