"""The sessions on the learner's and the expert's dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.utils.translation import get_language

from marketplace.models import ExpertPage
from notifications.services import notification_preferences

from ..models import Booking
from ..policy import RefundQuote, booking_is_cancellable, booking_is_reschedulable, booking_refund_quote
from .session_reports import with_attendance

SESSIONS_PER_PAGE = 10
# Upcoming sessions are listed in full up to this many (a learner rarely has more).
UPCOMING_LIMIT = 50


@dataclass(frozen=True)
class SessionRow:
    """One booking as a dashboard shows it, with what the viewer may do with it."""

    booking: Booking
    expert_page: ExpertPage | None
    joinable: bool
    cancellable: bool
    # What cancelling now would refund (for rows the viewer may cancel).
    refund_now: RefundQuote | None = None
    reschedulable: bool = False


def _live_expert_pages() -> Prefetch:
    pages = ExpertPage.objects.live().select_related("locale").order_by("pk")
    return Prefetch("expert__expert_profile__pages", queryset=pages, to_attr="live_pages")


def _page_in_language(pages: list[ExpertPage], language: str) -> ExpertPage | None:
    """The expert's page in the viewer's language if it has one, else its first (source) page."""
    for page in pages:
        if page.locale.language_code.split("-")[0] == language.split("-")[0]:
            return page
    return pages[0] if pages else None


def _session_rows(bookings, *, viewer, now: datetime) -> list[SessionRow]:
    language = get_language() or "en"
    rows = []
    for booking in bookings:
        profile = getattr(booking.expert, "expert_profile", None)
        pages = getattr(profile, "live_pages", []) if profile is not None else []
        cancellable = booking_is_cancellable(booking=booking, by=viewer, now=now)
        rows.append(
            SessionRow(
                booking=booking,
                expert_page=_page_in_language(pages, language),
                joinable=booking.is_joinable(now),
                cancellable=cancellable,
                refund_now=booking_refund_quote(booking=booking, now=now) if cancellable else None,
                reschedulable=booking_is_reschedulable(booking=booking, by=viewer, now=now),
            )
        )
    return rows


def learner_sessions(*, learner, now: datetime, page: Any = 1) -> dict[str, Any]:
    """The learner's "My sessions": upcoming confirmed ones (soonest first) and a page of
    past and cancelled ones (most recent first, with attendance and reports). Seven queries however many
    bookings there are."""
    base = (
        Booking.objects.filter(learner=learner)
        .select_related("expert__expert_profile")
        .prefetch_related(_live_expert_pages())
    )
    upcoming = base.filter(status=Booking.Status.CONFIRMED, end__gt=now).order_by("start")[:UPCOMING_LIMIT]
    past = with_attendance(
        base.exclude(status__in=[Booking.Status.HELD, Booking.Status.EXPIRED])
        .exclude(status=Booking.Status.CONFIRMED, end__gt=now)
        .order_by("-start", "-pk")
    )
    past_page = Paginator(past, SESSIONS_PER_PAGE).get_page(page)
    return {
        "upcoming": _session_rows(upcoming, viewer=learner, now=now),
        "past": _session_rows(past_page.object_list, viewer=learner, now=now),
        "past_page": past_page,
    }


def expert_sessions(*, expert, now: datetime, upcoming_page: Any = 1, past_page: Any = 1) -> dict[str, PaginatorPage]:
    """The expert's sessions: a page of confirmed ones that have not ended (soonest first) and a
    page of past and cancelled ones (most recent first, with attendance and reports). Six queries however
    many there are."""
    base = Booking.objects.filter(expert=expert).select_related("learner")
    upcoming = base.filter(status=Booking.Status.CONFIRMED, end__gt=now).order_by("start", "pk")
    past = with_attendance(
        base.exclude(status__in=[Booking.Status.HELD, Booking.Status.EXPIRED])
        .exclude(status=Booking.Status.CONFIRMED, end__gt=now)
        .order_by("-start", "-pk")
    )
    return {
        "upcoming": Paginator(upcoming, SESSIONS_PER_PAGE).get_page(upcoming_page),
        "past": Paginator(past, SESSIONS_PER_PAGE).get_page(past_page),
    }


def learner_bookings(*, learner, status: str | None = None):
    """The learner's bookings, any state (holds too: an app pays them), with the expert and their
    live pages: two queries for a page however many bookings there are. Unsliced, for a paginator."""
    bookings = (
        Booking.objects.filter(learner=learner)
        .select_related("learner", "expert__expert_profile")
        .prefetch_related(_live_expert_pages())
    )
    return bookings.filter(status=status) if status else bookings


def expert_bookings(*, expert, status: str | None = None):
    """The expert's sessions (holds and lapsed holds left out: nobody has paid for them), with the
    learner: two queries for a page however many there are. Unsliced, for a paginator."""
    bookings = (
        Booking.objects.filter(expert=expert)
        .exclude(status__in=[Booking.Status.HELD, Booking.Status.EXPIRED])
        .select_related("learner", "expert__expert_profile")
        .prefetch_related(_live_expert_pages())
    )
    return bookings.filter(status=status) if status else bookings


# The dashboards' in-app reminder: confirmed sessions starting within this long, at most a few.
SOON = timedelta(hours=24)
SOON_LIMIT = 5


def sessions_starting_soon(*, user, now: datetime, as_expert: bool) -> list[Booking]:
    """The user's confirmed sessions (as learner, or as expert) starting within ``SOON``, soonest first:
    the in-app reminder on the dashboards, unless the user switched it off. One or two queries."""
    if not notification_preferences(user=user).reminder_in_app:
        return []
    mine = Q(expert=user) if as_expert else Q(learner=user)
    return list(
        Booking.objects.filter(mine, status=Booking.Status.CONFIRMED, start__gt=now, start__lte=now + SOON)
        .select_related("learner", "expert")
        .order_by("start")[:SOON_LIMIT]
    )
