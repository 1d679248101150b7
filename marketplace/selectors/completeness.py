"""Profile completeness: a score and the concrete items still missing, each linking to where to fix it.

One rule set for two readers: the expert area (``expert_profile_completeness``,
the expert's latest draft and offerings) and the application's review step
(``application_completeness``, the applicant's answers so far; availability does
not exist yet, so that item is left out there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models.profiles import ExpertProfile
from .applications import GOOD_BIO_LENGTH

if TYPE_CHECKING:
    from ..models.applications import ExpertApplication
    from ..models.pages import ExpertPage

# A bio shorter than this reads as a placeholder.
BIO_MIN_LENGTH = GOOD_BIO_LENGTH
# Learners book soon: an expert with no free time in this many days loses them.
AVAILABILITY_DAYS = 14
MIN_SESSION_LENGTHS = 2

# key -> what is missing, said as the fix (formatted with the limits when shown)
ITEM_LABELS = {
    "photo": _("Add a profile photo"),
    "bio": _("Write a bio of at least %(n)s characters"),
    "sessions": _("Offer at least two session lengths"),
    "availability": _("Have free time in the next %(n)s days"),
    "package": _("Offer a package of sessions"),
    "languages": _("Say which languages you speak"),
}


@dataclass(frozen=True)
class CompletenessItem:
    key: str
    label: str
    done: bool
    url: str


@dataclass(frozen=True)
class Completeness:
    items: tuple[CompletenessItem, ...]

    @property
    def score(self) -> int:
        """Per cent of the items done (0-100)."""
        if not self.items:
            return 100
        return round(100 * sum(item.done for item in self.items) / len(self.items))

    @property
    def missing(self) -> list[CompletenessItem]:
        return [item for item in self.items if not item.done]

    @property
    def complete(self) -> bool:
        return not self.missing


_LIMITS = {"bio": BIO_MIN_LENGTH, "availability": AVAILABILITY_DAYS}


def _label(key: str) -> str:
    """The item's label in the active language, with its limit filled in."""
    return str(ITEM_LABELS[key] % {"n": _LIMITS[key]}) if key in _LIMITS else str(ITEM_LABELS[key])


def completeness_from_facts(
    *,
    has_photo: bool,
    bio: str,
    session_lengths: int,
    has_package: bool,
    languages: int,
    available_soon: bool | None,
    urls: dict[str, str],
) -> Completeness:
    """The score from plain facts; ``available_soon=None`` leaves the availability item out."""
    done = {
        "photo": has_photo,
        "bio": len((bio or "").strip()) >= BIO_MIN_LENGTH,
        "sessions": session_lengths >= MIN_SESSION_LENGTHS,
        "availability": available_soon,
        "package": has_package,
        "languages": languages > 0,
    }
    return Completeness(
        tuple(
            CompletenessItem(key=key, label=_label(key), done=bool(value), url=urls.get(key, ""))
            for key, value in done.items()
            if value is not None
        )
    )


def expert_profile_completeness(*, profile: ExpertProfile, draft: ExpertPage | None) -> Completeness:
    """The expert's score from their latest page draft (edits awaiting review count) and offerings: one query.

    ``draft`` is the page's latest revision as an object: its languages are in
    memory, so reading them costs nothing.
    """
    counts = ExpertProfile.objects.filter(pk=profile.pk).aggregate(
        sessions=Count("session_types", filter=Q(session_types__is_active=True), distinct=True),
        packages=Count("packages", filter=Q(packages__is_active=True), distinct=True),
    )
    horizon = timezone.now() + timedelta(days=AVAILABILITY_DAYS)
    profile_url, offerings_url = reverse("expert_profile_edit"), reverse("expert_offerings")
    return completeness_from_facts(
        has_photo=bool(draft and draft.photo_id),
        bio=draft.bio if draft else "",
        session_lengths=counts["sessions"],
        has_package=counts["packages"] > 0,
        languages=len(draft.languages.all()) if draft else 0,
        available_soon=profile.next_available_at is not None and profile.next_available_at <= horizon,
        urls={
            "photo": profile_url + "#id_photo",
            "bio": profile_url + "#id_bio",
            "languages": profile_url + "#id_languages",
            "sessions": offerings_url,
            "package": offerings_url,
            "availability": reverse("expert_availability"),
        },
    )


def application_completeness(*, application: ExpertApplication, urls: dict[str, str]) -> Completeness:
    """The same hints for an application, from its answers (one query for the languages).

    ``urls`` maps item keys (photo, bio, languages, sessions, package) to the
    application step that fixes each.
    """
    offer = application.offer if isinstance(application.offer, dict) else {}
    sessions = offer.get("sessions") or []
    return completeness_from_facts(
        has_photo=bool(application.photo),
        bio=application.bio,
        session_lengths=len({item.get("minutes") for item in sessions if isinstance(item, dict)}),
        has_package=bool(offer.get("packages")),
        languages=application.languages.count() if application.pk else 0,
        available_soon=None,
        urls=urls,
    )
