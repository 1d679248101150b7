"""Reads for private calendar feeds: the feed a token opens, its version (for ETags), its sessions.

A token is looked up by its SHA-256 hash through the unique index, so the
clear token never reaches the database and a guess that shares a prefix with
a real token is no faster or slower to refuse than any other guess.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.secrets import secret_decrypt
from notifications.ics import FeedEvent, feed_build

from ..models import Booking, CalendarFeed, ConnectedCalendar

# ``secrets.token_urlsafe(32)``: 43 characters of the URL-safe base64 alphabet.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")

CANCELLED = (
    Booking.Status.CANCELLED_BY_LEARNER,
    Booking.Status.CANCELLED_BY_EXPERT,
    Booking.Status.CANCELLED_REFUNDED,
)
# Sessions that took or take place (no-shows were booked times too); cancellations are listed as
# cancelled so a subscribed calendar removes them; holds and expired holds never were sessions.
LISTED = (
    Booking.Status.CONFIRMED,
    Booking.Status.COMPLETED,
    Booking.Status.NO_SHOW_LEARNER,
    Booking.Status.NO_SHOW_EXPERT,
    *CANCELLED,
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    """The live feed this token opens, with its user; None for a malformed, unknown or revoked token."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return CalendarFeed.objects.select_related("user").filter(token_hash=token_hash(token)).first()


def calendar_feed_url(*, user) -> str | None:
    """The full address of the user's feed (shown on the settings page), or None if they have none."""
    feed = CalendarFeed.objects.filter(user=user).only("token_encrypted").first()
    if feed is None:
        return None
    token = secret_decrypt(feed.token_encrypted)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("calendar_feed", kwargs={"token": token})


def _sessions_of(user, *, now: datetime):
    since = now - timedelta(days=settings.CALENDAR_FEED_PAST_DAYS)
    return Booking.objects.filter(
        Q(learner=user) | Q(expert=user), status__in=LISTED, start__gte=since, confirmed_at__isnull=False
    )


def calendar_feed_version(*, feed: CalendarFeed, now: datetime) -> str:
    """A short fingerprint of what the feed would list now (one aggregate query), for its ETag.

    It moves when a session is added, changed (``updated_at``), or leaves the
    window; also with the reader's language (summaries are translated) and the
    feed's own regeneration.
    """
    found = _sessions_of(feed.user, now=now).aggregate(count=Count("pk"), changed=Max("updated_at"))
    changed = found["changed"].isoformat() if found["changed"] else "-"
    raw = f"{found['count']}|{changed}|{feed.user.preferred_language}|{feed.token_hash}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class FeedSession:
    booking: Booking
    other_name: str
    cancelled: bool


def calendar_feed_sessions(*, user, now: datetime) -> list[FeedSession]:
    """The user's sessions as learner and as expert in the feed's window (one query), oldest first.

    At most ``CALENDAR_FEED_MAX_EVENTS``: beyond that the furthest in the future are left out.
    """
    bookings = (
        _sessions_of(user, now=now)
        .select_related("learner", "expert")
        .only(
            "pk",
            "start",
            "end",
            "status",
            "ics_sequence",
            "updated_at",
            "confirmed_at",
            "cancelled_at",
            "learner__full_name",
            "expert__full_name",
        )
        .order_by("start", "pk")[: settings.CALENDAR_FEED_MAX_EVENTS]
    )
    rows = []
    for booking in bookings:
        other = booking.expert if booking.learner_id == user.pk else booking.learner
        # The other participant's name only; one without a name is "a participant", never their email.
        rows.append(FeedSession(booking=booking, other_name=other.full_name, cancelled=booking.status in CANCELLED))
    return rows


def calendar_feed_ics(*, feed: CalendarFeed, now: datetime) -> bytes:
    """The feed's iCalendar file, in its owner's language (two queries: none per session).

    UID and SEQUENCE are the emailed invites' (``bookings.services.emails``):
    a cancelled session carries its invite's cancellation SEQUENCE (one above
    ``ics_sequence``), so a calendar holding both replaces the event.
    """
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    user = feed.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        events = []
        for row in calendar_feed_sessions(user=user, now=now):
            booking = row.booking
            other = row.other_name or _("another participant")
            summary = _("TapTime session with %(name)s") % {"name": other}
            if row.cancelled:
                summary = _("Cancelled: %(summary)s") % {"summary": summary}
            events.append(
                FeedEvent(
                    reference=booking.reference,
                    start=booking.start,
                    end=booking.end,
                    summary=summary,
                    join_url=base + reverse("booking_join", kwargs={"pk": booking.pk}),
                    sequence=booking.ics_sequence + 1 if row.cancelled else booking.ics_sequence,
                    cancelled=row.cancelled,
                    stamp=booking.updated_at,
                )
            )
        return feed_build(
            name=_("TapTime sessions"),
            domain=urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "taptime.example",
            events=events,
            refresh_minutes=settings.CALENDAR_FEED_REFRESH_MINUTES,
        )


def expert_connected_calendars(*, expert) -> list:
    """The expert's connected calendars for their settings (one query)."""
    return list(
        ConnectedCalendar.objects.filter(expert=expert)
        .only(
            *("pk", "provider", "account_email", "status", "last_synced_at", "last_error", "calendar_id"),
            *("calendar_name", "busy_count", "failures_in_a_row", "last_attempt_at", "next_attempt_after"),
        )
        .order_by("created_at", "pk")
    )
