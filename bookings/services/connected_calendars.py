"""Connected Google and Outlook calendars: store a connection, write sessions there, read busy times.

Every confirmed session becomes an event in the expert's chosen calendar
(an outbox job queued in the confirmation's transaction through
``booking_changed``), moved when the session moves and deleted when it is
cancelled. A refused grant marks the connection broken with plain words and
ends the job; a rate limit or a provider failure raises, so the outbox tries
again after the provider's ``Retry-After``. Nothing here can stop a booking.

Busy times come in through a job, not through the page: every 15 minutes
``connected_calendars_sync_all`` queues one ``connected_calendar_sync`` task per
working connection, which reads freeBusy / getSchedule over the expert's booking
horizon and stores the intervals as ``ImportedBusy`` rows pointing at the
connection, so the slot engine and the hold's recheck subtract them in the same
``UNION ALL`` as ICS blocks (decision 156). A failure keeps the last good blocks;
after ``CALENDAR_FAILURES_BEFORE_EMAIL`` failures in a row (or at once when the
grant was revoked, which no retry can mend) the expert gets one email per
failing streak (decision 158).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from accounts.secrets import secret_decrypt, secret_encrypt
from core.outbox import outbox_enqueue

from ..calendars import CalendarAdapter, CalendarChoice, CalendarSyncError, SessionEvent, Tokens
from ..calendars.google import GoogleCalendar, google_authorize_url, google_token_exchange
from ..calendars.microsoft import OutlookCalendar, microsoft_authorize_url, microsoft_token_exchange
from ..errors import BookingsError
from ..models import Booking, ConnectedCalendar, ConnectedCalendarEvent
from .next_free import expert_next_available_refresh_on_commit

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
            "next_attempt_after": None,
        },
    )
    # Its busy times are read at once rather than at the next quarter hour (after the commit).
    transaction.on_commit(lambda: async_task("bookings.tasks.sync_connected_calendar", connection.pk), robust=True)
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
    existing = ConnectedCalendar.objects.filter(expert=expert, provider=provider, account_email=address).first()
    # A reconnect keeps the calendar the expert chose before.
    return connected_calendar_save(
        expert=expert,
        provider=provider,
        account_email=address,
        tokens=tokens,
        calendar_id=existing.calendar_id if existing else "",
    )


def connected_calendar_disconnect(*, expert, connection_id: int) -> bool:
    """Forget one of the expert's connections (tokens, event links, busy blocks); True if it was theirs."""
    with transaction.atomic():
        deleted, _by_model = ConnectedCalendar.objects.filter(pk=connection_id, expert=expert).delete()
        if deleted:
            # Its busy blocks went with it: the expert's next free time may be earlier now.
            expert_next_available_refresh_on_commit(user_ids=[expert.pk])
    return bool(deleted)


def _store_tokens(connection: ConnectedCalendar, tokens: Tokens) -> None:
    ConnectedCalendar.objects.filter(pk=connection.pk).update(
        access_token=secret_encrypt(tokens.access_token),
        refresh_token=secret_encrypt(tokens.refresh_token),
        token_expires_at=tokens.expires_at,
    )


def adapter_for(connection: ConnectedCalendar, *, calendar_id: str | None = None) -> CalendarAdapter | None:
    """The adapter of a connection, or None when its provider is not configured here.

    ``calendar_id``: another calendar than the chosen one (an event written before the choice changed)."""
    chosen = connection.calendar_id if calendar_id is None else calendar_id
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
            calendar_id=chosen or "primary",
            on_refresh=on_refresh,
        )
    return OutlookCalendar(
        client_id=settings.CALENDAR_MICROSOFT_CLIENT_ID,
        client_secret=settings.CALENDAR_MICROSOFT_CLIENT_SECRET,
        tokens=tokens,
        account_email=connection.account_email,
        calendar_id=chosen,
        on_refresh=on_refresh,
    )


def _plain_words(error: CalendarSyncError) -> str:
    if error.revoked:
        return _("TapTime may no longer use this calendar (access was removed or expired). Connect it again.")
    if error.retryable:
        return _("The calendar service did not answer in time. TapTime will try again.")
    return _("The calendar service refused the request. Check that the chosen calendar still exists.")


def _record_failure(connection: ConnectedCalendar, error: CalendarSyncError, *, now: datetime | None = None) -> None:
    """Count the failure, keep the blocks, honour ``Retry-After``, and email once per failing streak."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = ConnectedCalendar.objects.select_for_update().filter(pk=connection.pk).first()
        if locked is None:
            return
        locked.failures_in_a_row += 1
        locked.last_error = _plain_words(error)[:300]
        fields = ["failures_in_a_row", "last_error"]
        if error.revoked:
            locked.status = ConnectedCalendar.Status.BROKEN
            fields.append("status")
        if error.retry_after:
            locked.next_attempt_after = now + timedelta(seconds=error.retry_after)
            fields.append("next_attempt_after")
        locked.save(update_fields=fields)
        if error.revoked or locked.failures_in_a_row >= settings.CALENDAR_FAILURES_BEFORE_EMAIL:
            since = locked.last_synced_at or locked.created_at
            outbox_enqueue(
                app_label="bookings",
                handler="bookings.tasks.send_connected_calendar_failing",
                payload={"connection_id": locked.pk},
                dedupe_key=f"connected-calendar-{locked.pk}-failing-since-{since.isoformat()}",
            )
    logger.warning("Connected calendar %s failed: %s", connection.pk, error)


def _record_success(connection: ConnectedCalendar, **extra) -> None:
    ConnectedCalendar.objects.filter(pk=connection.pk).update(
        last_synced_at=timezone.now(), last_error="", failures_in_a_row=0, next_attempt_after=None, **extra
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
        row = written.get(connection.pk)
        # An event stays in the calendar it was written to; the chosen calendar takes new sessions only.
        adapter = adapter_for(connection, calendar_id=row.calendar_id if row is not None else None)
        if adapter is None:
            done[connection.pk] = "not configured"
            continue
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
                        connection=connection,
                        booking=booking,
                        defaults={"event_id": event_id, "calendar_id": connection.calendar_id},
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


def connected_calendar_choices(*, expert, connection_id: int) -> tuple[ConnectedCalendar, list[CalendarChoice]] | None:
    """One of the expert's connections and the calendars of its account they may write to (asked of the
    provider now). None when the connection is not theirs; ``CalendarConnectError`` when it cannot be listed."""
    connection = ConnectedCalendar.objects.filter(pk=connection_id, expert=expert).first()
    if connection is None:
        return None
    if connection.status != ConnectedCalendar.Status.ACTIVE:
        raise CalendarConnectError(_("Connect this calendar again before choosing where sessions go."))
    adapter = adapter_for(connection)
    if adapter is None:
        raise CalendarConnectError(_("Connecting this calendar is not configured on this site."))
    try:
        return connection, adapter.calendars()
    except CalendarSyncError as error:
        if error.revoked:
            _record_failure(connection, error)
        elif error.status == 403 and not error.retryable:
            # A connection made before the calendar list was asked for lacks its permission.
            raise CalendarConnectError(
                _("TapTime may not list this account's calendars yet. Connect it again to choose one.")
            ) from None
        raise CalendarConnectError(_plain_words(error)) from None


def connected_calendar_choose(*, expert, connection_id: int, calendar_id: str) -> ConnectedCalendar | None:
    """Write the expert's future sessions to ``calendar_id``, which must be one of the account's writable
    calendars (checked with the provider). Sessions already written stay where they are.
    None when the connection is not theirs; ``CalendarConnectError`` for any other calendar id."""
    found = connected_calendar_choices(expert=expert, connection_id=connection_id)
    if found is None:
        return None
    connection, choices = found
    chosen = next((choice for choice in choices if choice.id == calendar_id), None)
    if chosen is None:
        raise CalendarConnectError(_("Choose one of the calendars listed for this account."))
    # The default calendar is stored as "" so the adapters keep using their default addresses.
    connection.calendar_id = "" if chosen.primary else chosen.id
    connection.calendar_name = "" if chosen.primary else chosen.name
    with transaction.atomic():
        ConnectedCalendar.objects.filter(pk=connection.pk).update(
            calendar_id=connection.calendar_id, calendar_name=connection.calendar_name
        )
        # Busy times of a newly chosen calendar count from the next read; ask for it now.
        transaction.on_commit(lambda: async_task("bookings.tasks.sync_connected_calendar", connection.pk), robust=True)
    return connection
