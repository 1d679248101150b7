"""Where a learner whose session the expert cancelled can book again: the expert's next free times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from core.base_url import public_url
from marketplace.models import ExpertPage, ExpertProfile, SessionType

from ..models import Booking
from .slots import expert_slot_listing

# How many free times the apology lists, and how many weeks ahead it looks for them.
REBOOKING_OPTIONS = 3
REBOOKING_WEEKS = 3


@dataclass(frozen=True)
class RebookingOption:
    start: datetime  # UTC
    url: str  # the expert page's week holding this start, in the learner's zone


@dataclass(frozen=True)
class Rebooking:
    page_url: str  # the expert page's free times ("" when the expert has no live page)
    options: list[RebookingOption]


def _page_in_language(profile: ExpertProfile, language: str) -> ExpertPage | None:
    pages = list(ExpertPage.objects.live().filter(profile=profile).select_related("locale"))
    for page in pages:
        if page.locale.language_code.split("-")[0] == language.split("-")[0]:
            return page
    return pages[0] if pages else None


def _same_kind_of_session(booking: Booking, profile: ExpertProfile) -> SessionType | None:
    """The booked session type if it is still offered, else the expert's offered one of the same length."""
    offered = SessionType.objects.filter(profile=profile, is_active=True)
    return (
        offered.filter(pk=booking.session_type_id).first()
        or offered.filter(duration_minutes=booking.duration_minutes).order_by("pk").first()
    )


def expert_rebooking_options(*, booking: Booking, now: datetime, language: str) -> Rebooking:
    """Up to ``REBOOKING_OPTIONS`` free times of the booking's expert for the same length, in the next
    ``REBOOKING_WEEKS`` weeks, each linked to the week of the expert page that offers it (the page's
    time buttons are forms, so an email can only lead there). A paused expert, one without a live
    page or without that length on offer, gets no options."""
    profile = ExpertProfile.objects.filter(user_id=booking.expert_id).first()
    if profile is None or profile.status != ExpertProfile.Status.ACTIVE:
        return Rebooking(page_url="", options=[])
    page = _page_in_language(profile, language)
    session_type = _same_kind_of_session(booking, profile)
    if page is None or session_type is None:
        return Rebooking(page_url=public_url(page.url) if page is not None else "", options=[])
    zone = booking.learner_zone
    options: list[RebookingOption] = []
    for week in range(REBOOKING_WEEKS):
        listing = expert_slot_listing(profile=profile, session_type=session_type, viewer_zone=zone, week=week, now=now)
        query = urlencode({"session": session_type.duration_minutes, "tz": zone, "week": week})
        for day in listing.days:
            for start in day.starts:
                if start != booking.start and len(options) < REBOOKING_OPTIONS:
                    options.append(RebookingOption(start=start, url=public_url(f"{page.url}?{query}#times")))
        if len(options) >= REBOOKING_OPTIONS or not listing.has_next:
            break
    return Rebooking(page_url=public_url(f"{page.url}#times"), options=options)
