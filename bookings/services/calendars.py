"""Imported calendars: add, remove, "sync now", and the sync itself (fetch, parse, replace the busy blocks).

The sync fetches outside any transaction (a slow server never holds a lock),
then replaces the calendar's blocks and health in one short transaction. A
failure changes only the health: the last good blocks stay, so bookings go on
from the last good data. After ``CALENDAR_FAILURES_BEFORE_EMAIL`` failures in
a row the expert gets one email per failing streak (outbox, deduplicated on
the calendar and the last success); a success starts a new streak.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from accounts.secrets import secret_decrypt, secret_encrypt
from core.errors import ApplicationError
from core.outbox import outbox_enqueue
from core.public_address import host_problem
from marketplace.models import ExpertProfile

from ..ics_import import FetchError, ParseError, busy_blocks, fetch_calendar
from ..ics_import.fetch import url_normalize
from ..models import ExpertCalendar, ImportedBusy
from .next_free import expert_next_available_refresh_on_commit


class CalendarError(ApplicationError):
    """A calendar cannot be added or synced now (address, limit, rate)."""


def _failure_words(error: FetchError | ParseError) -> str:
    """What went wrong, in plain words for the expert (stored on the calendar, shown as it is)."""
    megabytes = settings.CALENDAR_MAX_BYTES // (1024 * 1024)
    words = {
        "bad_address": _("This is not an http:// or https:// address."),
        "unresolved": _("The address's host name does not resolve."),
        "private": _("The address points to a private network; only public addresses are fetched."),
        "redirects": _("The address redirected too many times."),
        "too_large": _("The calendar is larger than %(mb)s MB.") % {"mb": megabytes},
        "not_calendar": _("This is not a calendar file."),
        "timeout": _("Timed out after 10 s."),
        "connect": _("Could not connect to the address."),
        "malformed": _("The calendar file is damaged and could not be read."),
        "too_many_events": _("The calendar has more than %(count)s events in your booking horizon.")
        % {"count": settings.CALENDAR_MAX_EVENTS},
    }
    if isinstance(error, FetchError) and error.code == "status":
        return _("The address answered %(status)s.") % {"status": error.detail}
    return words.get(error.code, _("The calendar could not be read."))


def url_hint(url: str) -> str:
    """The address as the expert sees it after saving: the host and the last few characters, never the secret part."""
    parts = urlsplit(url)
    tail = parts.path.rsplit("/", 1)[-1][-8:]
    return f"{parts.scheme}://{parts.hostname}/…{tail}"[:120]


def calendar_url_problem(url: str) -> str | None:
    """Why an address cannot be imported, in plain words, or None (resolves the host)."""
    parts = urlsplit(url_normalize(url))
    if parts.scheme not in ("http", "https"):
        return _("Use an https:// (or webcal://) address.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return _("This address has an invalid port.")
    if not parts.hostname or parts.username or parts.password:
        return _("Use an address with a host name and no user name or password in it.")
    problem = host_problem(parts.hostname, port, allow_loopback=settings.CALENDAR_ALLOW_LOOPBACK)
    if problem == "unresolved":
        return _("This host name does not resolve.")
    if problem == "private":
        return _("This address is on a private or reserved network; use a public one.")
    return None


def expert_calendar_add(*, profile: ExpertProfile, name: str, url: str) -> ExpertCalendar:
    """Store a calendar (address encrypted) and queue its first sync once the row is committed."""
    url = url_normalize(url)
    problem = calendar_url_problem(url)
    if problem is not None:
        raise CalendarError(problem, code="bad_url")
    with transaction.atomic():
        ExpertProfile.objects.select_for_update().filter(pk=profile.pk).first()
        if ExpertCalendar.objects.filter(profile=profile).count() >= settings.CALENDAR_MAX_PER_EXPERT:
            raise CalendarError(
                _("You can connect at most %(count)s calendars. Remove one first.")
                % {"count": settings.CALENDAR_MAX_PER_EXPERT},
                code="limit",
            )
        calendar = ExpertCalendar.objects.create(
            profile=profile, name=name.strip()[:80], url_encrypted=secret_encrypt(url), url_hint=url_hint(url)
        )
        _queue_sync(calendar.pk)
    return calendar


def expert_calendar_remove(*, profile: ExpertProfile, calendar_id: int) -> bool:
    """Delete one of the expert's calendars and its blocks; False when it is not theirs (or gone)."""
    with transaction.atomic():
        deleted, _counts = ExpertCalendar.objects.filter(profile=profile, pk=calendar_id).delete()
        if deleted:
            expert_next_available_refresh_on_commit(user_ids=[profile.user_id])
    return bool(deleted)


def expert_calendar_sync_request(*, profile: ExpertProfile, calendar_id: int, now: datetime | None = None) -> bool:
    """ "Sync now": queue a sync unless one was tried in the last ``CALENDAR_SYNC_NOW_SECONDS``.
    False when the calendar is not theirs; ``CalendarError`` when it is too soon."""
    now = now or timezone.now()
    calendar = ExpertCalendar.objects.filter(profile=profile, pk=calendar_id).only("pk", "last_attempt_at").first()
    if calendar is None:
        return False
    wait = timedelta(seconds=settings.CALENDAR_SYNC_NOW_SECONDS)
    if calendar.last_attempt_at is not None and calendar.last_attempt_at > now - wait:
        raise CalendarError(_("This calendar was synced moments ago. Try again in a minute."), code="too_soon")
    # Marked as tried now, so a double click queues one fetch.
    ExpertCalendar.objects.filter(pk=calendar.pk).update(last_attempt_at=now)
    transaction.on_commit(lambda: async_task("bookings.tasks.sync_expert_calendar", calendar.pk), robust=True)
    return True


def _queue_sync(calendar_id: int) -> None:
    transaction.on_commit(lambda: async_task("bookings.tasks.sync_expert_calendar", calendar_id), robust=True)


def expert_calendars_sync_all() -> int:
    """The scheduled job: queue one sync task per calendar (each fetch is its own task, so one slow
    server delays no other calendar)."""
    ids = list(ExpertCalendar.objects.order_by("pk").values_list("pk", flat=True))
    for calendar_id in ids:
        async_task("bookings.tasks.sync_expert_calendar", calendar_id)
    return len(ids)


def expert_calendar_sync(*, calendar_id: int, now: datetime | None = None) -> str:
    """Fetch one calendar and store its busy blocks; returns "updated", "not_modified", "failed" or "gone"."""
    now = (now or timezone.now()).astimezone(UTC)
    calendar = (
        ExpertCalendar.objects.select_related("profile__user")
        .only(
            *("pk", "url_encrypted", "etag", "last_modified", "failures_in_a_row", "last_success_at", "created"),
            *("profile__user_id", "profile__time_zone", "profile__horizon_days", "profile__user__email"),
        )
        .filter(pk=calendar_id)
        .first()
    )
    if calendar is None:
        return "gone"
    profile = calendar.profile
    try:
        fetched = fetch_calendar(
            secret_decrypt(calendar.url_encrypted),
            etag=calendar.etag,
            last_modified=calendar.last_modified,
            allow_loopback=settings.CALENDAR_ALLOW_LOOPBACK,
            max_bytes=settings.CALENDAR_MAX_BYTES,
        )
        if fetched.not_modified:
            ExpertCalendar.objects.filter(pk=calendar.pk).update(
                last_attempt_at=now, last_success_at=now, last_error="", failures_in_a_row=0
            )
            return "not_modified"
        blocks = _blocks_of(profile=profile, body=fetched.body, now=now)
    except (FetchError, ParseError) as error:
        _record_failure(calendar=calendar, words=_failure_words(error), now=now)
        return "failed"
    return _store(
        calendar_id=calendar.pk,
        profile=profile,
        blocks=blocks,
        now=now,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
    )


def expert_calendar_import_body(*, calendar_id: int, body: bytes, now: datetime | None = None) -> str:
    """Store the busy blocks of an ICS file we already hold (the demo seeder reads its files from disk,
    before the server that serves them runs); the same parsing and storing as a fetched one."""
    now = (now or timezone.now()).astimezone(UTC)
    calendar = ExpertCalendar.objects.select_related("profile__user").filter(pk=calendar_id).first()
    if calendar is None:
        return "gone"
    try:
        blocks = _blocks_of(profile=calendar.profile, body=body, now=now)
    except ParseError as error:
        _record_failure(calendar=calendar, words=_failure_words(error), now=now)
        return "failed"
    return _store(calendar_id=calendar.pk, profile=calendar.profile, blocks=blocks, now=now)


def _blocks_of(*, profile: ExpertProfile, body: bytes, now: datetime) -> list[tuple[datetime, datetime]]:
    """The busy blocks over the expert's booking horizon, from a day back (the slot engine never looks earlier)."""
    return busy_blocks(
        body,
        begin=now - timedelta(days=1),
        end=now + timedelta(days=profile.horizon_days + 1),
        zone=ZoneInfo(profile.time_zone),
        own_addresses={profile.user.email},
        max_events=settings.CALENDAR_MAX_EVENTS,
    )


def _store(
    *,
    calendar_id: int,
    profile: ExpertProfile,
    blocks: list[tuple[datetime, datetime]],
    now: datetime,
    etag: str = "",
    last_modified: str = "",
) -> str:
    """Replace the calendar's blocks and mark it healthy, in one transaction."""
    with transaction.atomic():
        if not ExpertCalendar.objects.select_for_update().filter(pk=calendar_id).exists():
            return "gone"  # removed while we fetched
        ImportedBusy.objects.filter(calendar_id=calendar_id).delete()
        ImportedBusy.objects.bulk_create(
            [ImportedBusy(calendar_id=calendar_id, expert_id=profile.user_id, start=s, end=e) for s, e in blocks],
            batch_size=1000,
        )
        ExpertCalendar.objects.filter(pk=calendar_id).update(
            etag=etag,
            last_modified=last_modified,
            last_attempt_at=now,
            last_success_at=now,
            last_error="",
            failures_in_a_row=0,
            busy_count=len(blocks),
        )
        expert_next_available_refresh_on_commit(user_ids=[profile.user_id])
    return "updated"


def _record_failure(*, calendar: ExpertCalendar, words: str, now: datetime) -> None:
    with transaction.atomic():
        locked = ExpertCalendar.objects.select_for_update().filter(pk=calendar.pk).first()
        if locked is None:
            return
        locked.failures_in_a_row += 1
        locked.last_error = words[:300]
        locked.last_attempt_at = now
        locked.save(update_fields=["failures_in_a_row", "last_error", "last_attempt_at"])
        if locked.failures_in_a_row >= settings.CALENDAR_FAILURES_BEFORE_EMAIL:
            since = locked.last_success_at or locked.created
            outbox_enqueue(
                app_label="bookings",
                handler="bookings.tasks.send_calendar_failing",
                payload={"calendar_id": locked.pk},
                dedupe_key=f"calendar-{locked.pk}-failing-since-{since.isoformat()}",
            )
