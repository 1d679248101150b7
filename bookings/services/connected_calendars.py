"""Connected Google and Outlook calendars: store a connection, write sessions there, read busy times.

Every confirmed session becomes an event in the expert's chosen calendar
(an outbox job queued in the confirmation's transaction through
``booking_changed``), moved when the session moves and deleted when it is
cancelled. A refused grant marks the connection broken with plain words and
ends the job; a rate limit or a provider failure raises, so the outbox tries
again after the provider's ``Retry-After``. Nothing here can stop a booking.

``connected_busy_intervals(profile, start, end)`` is the read the slot engine
can subtract (the integrator wires it): busy times of the expert's working
connections, cached ``CALENDAR_BUSY_CACHE_SECONDS``; a failing connection
counts as free (its error is recorded) rather than blocking the page.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.secrets import secret_decrypt, secret_encrypt
from core.outbox import outbox_enqueue

from ..calendars import Busy, CalendarAdapter, CalendarSyncError, SessionEvent, Tokens
from ..calendars.google import GoogleCalendar, google_authorize_url, google_token_exchange
from ..calendars.microsoft import OutlookCalendar, microsoft_authorize_url, microsoft_token_exchange
from ..errors import BookingsError
from ..models import Booking, ConnectedCalendar, ConnectedCalendarEvent
from ..selectors.slot_fragments import slot_fragments_invalidate

logger = logging.getLogger("bookings.calendars")

Provider = ConnectedCalendar.Provider
CANCELLED = (
    Booking.Status.CANCELLED_BY_LEARNER,
    Booking.Status.CANCELLED_BY_EXPERT,
    Booking.Status.CANCELLED_REFUNDED,
)


def provider_configured(provider: str) -> bool:
    """Whether the OAuth client of ``provider`` is set (the demo has neither: "not configured")."""
    if provider == Provider.GOOGLE:
        return bool(settings.CALENDAR_GOOGLE_CLIENT_ID and settings.CALENDAR_GOOGLE_CLIENT_SECRET)
    if provider == Provider.MICROSOFT:
        return bool(settings.CALENDAR_MICROSOFT_CLIENT_ID and settings.CALENDAR_MICROSOFT_CLIENT_SECRET)
    return False


def connected_calendar_save(
    *, expert, provider: str, account_email: str, tokens: Tokens, calendar_id: str = ""
) -> ConnectedCalendar:
    """Store (or renew, after a reconnect) the expert's connection with its tokens encrypted."""
    connection, _created = ConnectedCalendar.objects.update_or_create(
        expert=expert,
        provider=provider,
        account_email=account_email,
        defaults={
            "calendar_id": calendar_id,
            "access_token": secret_encrypt(tokens.access_token),
            "refresh_token": secret_encrypt(tokens.refresh_token),
            "token_expires_at": tokens.expires_at,
            "status": ConnectedCalendar.Status.ACTIVE,
            "last_error": "",
            "failures_in_a_row": 0,
        },
    )
    slot_fragments_invalidate(user_ids=[expert.pk])  # its busy times now hide free ones
    return connection


class CalendarConnectError(BookingsError):
    """Connecting a calendar failed; ``message`` is safe to show."""


def _client(provider: str) -> tuple[str, str]:
    if provider == Provider.GOOGLE:
        return settings.CALENDAR_GOOGLE_CLIENT_ID, settings.CALENDAR_GOOGLE_CLIENT_SECRET
    return settings.CALENDAR_MICROSOFT_CLIENT_ID, settings.CALENDAR_MICROSOFT_CLIENT_SECRET


def connect_authorize_url(*, provider: str, redirect_uri: str, state: str) -> str:
    """The provider's consent page for a configured provider (the caller checks ``provider_configured``)."""
    client_id, _secret = _client(provider)
    build = google_authorize_url if provider == Provider.GOOGLE else microsoft_authorize_url
    return build(client_id=client_id, redirect_uri=redirect_uri, state=state)


def connected_calendar_connect_finish(*, expert, provider: str, code: str, redirect_uri: str) -> ConnectedCalendar:
    """The consent page sent the expert back with ``code``: exchange it, learn the account, store it.

    The sessions and busy times use the account's default calendar.
    """
    if not provider_configured(provider):
        raise CalendarConnectError(_("Connecting this calendar is not configured on this site."))
    client_id, client_secret = _client(provider)
    exchange = google_token_exchange if provider == Provider.GOOGLE else microsoft_token_exchange
    try:
        tokens = exchange(client_id=client_id, client_secret=client_secret, code=code, redirect_uri=redirect_uri)
        if provider == Provider.GOOGLE:
            adapter = GoogleCalendar(client_id=client_id, client_secret=client_secret, tokens=tokens)
        else:
            adapter = OutlookCalendar(client_id=client_id, client_secret=client_secret, tokens=tokens, account_email="")
        address = adapter.account_address()
    except CalendarSyncError as error:
        logger.warning("Connecting a %s calendar for user %s failed: %s", provider, expert.pk, error)
        raise CalendarConnectError(
            _("The calendar could not be connected: %(reason)s") % {"reason": _plain_words(error)}
        ) from None
    return connected_calendar_save(
        expert=expert, provider=provider, account_email=address, tokens=tokens, calendar_id=""
    )


def connected_calendar_disconnect(*, expert, connection_id: int) -> bool:
    """Forget one of the expert's connections (tokens and event links); True if it was theirs."""
    deleted, _by_model = ConnectedCalendar.objects.filter(pk=connection_id, expert=expert).delete()
    if deleted:
        slot_fragments_invalidate(user_ids=[expert.pk])
    return bool(deleted)


def _store_tokens(connection: ConnectedCalendar, tokens: Tokens) -> None:
    ConnectedCalendar.objects.filter(pk=connection.pk).update(
        access_token=secret_encrypt(tokens.access_token),
        refresh_token=secret_encrypt(tokens.refresh_token),
        token_expires_at=tokens.expires_at,
    )


def adapter_for(connection: ConnectedCalendar) -> CalendarAdapter | None:
    """The adapter of a connection, or None when its provider is not configured here."""
    if not provider_configured(connection.provider):
        return None
    tokens = Tokens(
        access_token=secret_decrypt(connection.access_token),
        refresh_token=secret_decrypt(connection.refresh_token),
        expires_at=connection.token_expires_at,
    )

    def on_refresh(new: Tokens) -> None:
        _store_tokens(connection, new)

    if connection.provider == Provider.GOOGLE:
        return GoogleCalendar(
            client_id=settings.CALENDAR_GOOGLE_CLIENT_ID,
            client_secret=settings.CALENDAR_GOOGLE_CLIENT_SECRET,
            tokens=tokens,
            calendar_id=connection.calendar_id or "primary",
            on_refresh=on_refresh,
        )
    return OutlookCalendar(
        client_id=settings.CALENDAR_MICROSOFT_CLIENT_ID,
        client_secret=settings.CALENDAR_MICROSOFT_CLIENT_SECRET,
        tokens=tokens,
        account_email=connection.account_email,
        calendar_id=connection.calendar_id,
        on_refresh=on_refresh,
    )


def _plain_words(error: CalendarSyncError) -> str:
    if error.revoked:
        return _("TapTime may no longer use this calendar (access was removed or expired). Connect it again.")
    if error.retryable:
        return _("The calendar service did not answer in time. TapTime will try again.")
    return _("The calendar service refused the request. Check that the chosen calendar still exists.")


def _record_failure(connection: ConnectedCalendar, error: CalendarSyncError) -> None:
    fields = {"last_error": _plain_words(error)[:300], "failures_in_a_row": F("failures_in_a_row") + 1}
    if error.revoked:
        fields["status"] = ConnectedCalendar.Status.BROKEN
    ConnectedCalendar.objects.filter(pk=connection.pk).update(**fields)
    logger.warning("Connected calendar %s failed: %s", connection.pk, error)


def _record_success(connection: ConnectedCalendar) -> None:
    ConnectedCalendar.objects.filter(pk=connection.pk).update(
        last_synced_at=timezone.now(), last_error="", failures_in_a_row=0
    )


def connected_calendars_booking_changed(*, booking: Booking, event: str) -> None:
    """Inside a confirmation's, move's or cancellation's transaction: queue the expert's calendar update."""
    if event not in ("confirmed", "rescheduled", "cancelled"):
        return
    if not ConnectedCalendar.objects.filter(expert_id=booking.expert_id).exists():
        return
    outbox_enqueue(
        app_label="bookings",
        handler="bookings.tasks.sync_connected_calendars",
        payload={"booking_id": booking.pk},
        dedupe_key=f"booking-{booking.pk}-calendars-{event}-{booking.ics_sequence}",
    )


def _session_event(booking: Booking) -> SessionEvent:
    join = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("booking_join", kwargs={"pk": booking.pk})
    # In the expert's language: it is their calendar. The learner's name only, never an address.
    with translation.override(booking.expert.preferred_language or settings.LANGUAGE_CODE):
        name = booking.learner.full_name or _("a learner")
        summary = _("TapTime session with %(name)s") % {"name": name}
    return SessionEvent(ref=booking.reference, start=booking.start, end=booking.end, summary=summary, join_url=join)


def connected_calendars_sync_booking(*, booking_id: int) -> dict[int, str]:
    """Outbox handler: bring each of the expert's working connections in line with the booking as it is now.

    A confirmed session is created (or patched, when we made it before); a
    cancelled one is deleted. Returns what happened per connection id. Raises
    the first retryable ``CalendarSyncError`` after trying every connection,
    so the outbox runs it again (done connections find nothing left to do).
    """
    booking = Booking.objects.select_related("learner", "expert").filter(pk=booking_id).first()
    if booking is None:
        return {}
    connections = ConnectedCalendar.objects.filter(expert_id=booking.expert_id, status=ConnectedCalendar.Status.ACTIVE)
    written = {row.connection_id: row for row in ConnectedCalendarEvent.objects.filter(booking=booking)}
    done: dict[int, str] = {}
    retry: CalendarSyncError | None = None
    for connection in connections:
        adapter = adapter_for(connection)
        if adapter is None:
            done[connection.pk] = "not configured"
            continue
        row = written.get(connection.pk)
        try:
            if booking.status in CANCELLED:
                if row is not None:
                    adapter.event_delete(row.event_id)
                    row.delete()
                done[connection.pk] = "deleted" if row else "nothing"
            elif booking.status == Booking.Status.CONFIRMED:
                if row is None:
                    event_id = adapter.event_create(_session_event(booking))
                    ConnectedCalendarEvent.objects.get_or_create(
                        connection=connection, booking=booking, defaults={"event_id": event_id}
                    )
                    done[connection.pk] = "created"
                else:
                    adapter.event_update(row.event_id, _session_event(booking))
                    done[connection.pk] = "updated"
            else:
                done[connection.pk] = "nothing"
        except CalendarSyncError as error:
            _record_failure(connection, error)
            done[connection.pk] = "failed"
            if error.retryable and retry is None:
                retry = error
            continue
        _record_success(connection)
    if retry is not None:
        raise retry
    return done


def _busy_cache_key(connection: ConnectedCalendar, start: datetime, end: datetime) -> str:
    raw = f"{connection.pk}|{connection.calendar_id}|{start.isoformat()}|{end.isoformat()}"
    return "calendar-busy:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def connected_busy_intervals(profile, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Busy [start, end) intervals (UTC, sorted, merged) of the expert's working connected calendars.

    One query for the connections; each connection's answer is cached for
    ``CALENDAR_BUSY_CACHE_SECONDS`` per window. A connection that fails or is
    not configured contributes nothing (its error is recorded on it): a
    broken calendar never stops bookings.
    """
    intervals: list[Busy] = []
    connections = ConnectedCalendar.objects.filter(expert_id=profile.user_id, status=ConnectedCalendar.Status.ACTIVE)
    for connection in connections:
        key = _busy_cache_key(connection, start, end)
        cached = cache.get(key)
        if cached is None:
            adapter = adapter_for(connection)
            if adapter is None:
                continue
            try:
                found = adapter.busy(start, end)
            except CalendarSyncError as error:
                _record_failure(connection, error)
                continue
            _record_success(connection)
            cached = [(item.start, item.end) for item in found]
            cache.set(key, cached, timeout=settings.CALENDAR_BUSY_CACHE_SECONDS)
        intervals.extend(Busy(start=s, end=e) for s, e in cached)
    merged: list[tuple[datetime, datetime]] = []
    for item in sorted(intervals, key=lambda busy: busy.start):
        begin, finish = max(item.start, start), min(item.end, end)
        if finish <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged
