"""Recording a session: consent, the expert's upload, the provider's file, staff access, retention.

Both participants must consent before the start; either may withdraw until the start. Every
change to consent and every check that a recording may be stored runs under the booking's row
lock and reads the clock only once it holds the lock. So a withdrawal sent at the last second
either commits before the start (and any later check sees it) or reads a clock past the start
and is refused: the outcome never depends on which request a worker happened to run first.

Files are checked by their content (``bookings.recording_files.sniff_media``) and size before
they are kept, stored in ``STORAGES["private"]`` under a random name, and the row is written
only after a final check under the lock; a refused or failed insert deletes the file again.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.locking import locked_transaction

from ..errors import RecordingDownloadFailed, RecordingError
from ..models import Booking, Recording, RecordingConsent
from ..recording_files import HEAD_BYTES, MEDIA_TYPES, sniff_media
from ..selectors.recordings import (
    booking_in_dispute,
    consent_is_open,
    consenting_user_ids,
    recording_is_allowed,
    upload_window_is_open,
)

logger = logging.getLogger(__name__)

LOG_STAFF_PLAYED = "bookings.recording_played"
# Zoom's recording file types that are the session itself; transcripts, chat and the rest are dropped.
PROVIDER_FILE_TYPES = {"MP4", "M4A"}
MAX_REDIRECTS = 3
# A file under recordings/ without a row this old is left over from a crash, never an upload in flight.
ORPHAN_AGE = timedelta(days=1)
_TIMEOUT = (10, 60)  # connect, and between two chunks of the body


def _storage():
    """The recordings' storage: ``STORAGES["private"]``, as the model's file field holds it."""
    return Recording._meta.get_field("file").storage


def _lock(booking: Booking) -> Booking:
    if not settings.BOOKING_RECORDING_LOCKING:  # the race test's control run only
        return Booking.objects.get(pk=booking.pk)
    return Booking.objects.select_for_update().get(pk=booking.pk)


def _participant(booking: Booking, user) -> None:
    if user is None or user.pk not in (booking.learner_id, booking.expert_id):
        raise RecordingError(_("Only the two people in this session can decide about recording."), code="not_yours")


def recording_consent_give(*, booking: Booking, by) -> RecordingConsent:
    """``by`` agrees to record the session; refused once it has started (or is not a confirmed session)."""
    _participant(booking, by)
    with locked_transaction():
        locked = _lock(booking)
        now = timezone.now()  # read under the lock, see the module's docstring
        if not consent_is_open(locked, now):
            raise RecordingError(
                _("Consent to recording can only be given before the session starts."), code="consent_closed"
            )
        consent, created = RecordingConsent.objects.get_or_create(booking=locked, user=by, defaults={"given_at": now})
        if not created and consent.withdrawn_at is not None:
            consent.given_at, consent.withdrawn_at = now, None
            consent.save(update_fields=["given_at", "withdrawn_at"])
        return consent


def recording_consent_withdraw(*, booking: Booking, by) -> RecordingConsent | None:
    """``by`` withdraws their consent; allowed until the start. Withdrawing twice changes nothing."""
    _participant(booking, by)
    with locked_transaction():
        locked = _lock(booking)
        now = timezone.now()
        if not consent_is_open(locked, now):
            raise RecordingError(
                _("The session has started: consent to recording can no longer be withdrawn."),
                code="consent_closed",
            )
        consent = RecordingConsent.objects.filter(booking=locked, user=by).first()
        if consent is not None and consent.withdrawn_at is None:
            consent.withdrawn_at = now
            consent.save(update_fields=["withdrawn_at"])
        return consent


def _may_add_problem(locked: Booking, now: datetime) -> RecordingError | None:
    """Why no recording may be added to this session now, or None."""
    if not recording_is_allowed(locked, consenting_user_ids(locked)):
        return RecordingError(
            _("This session may not be recorded: both of you must have agreed before it started."),
            code="not_allowed",
        )
    if not upload_window_is_open(locked, now):
        return RecordingError(
            _("A recording can be added from the start of the session until %(days)s days after it.")
            % {"days": settings.RECORDING_UPLOAD_DAYS},
            code="window",
        )
    if Recording.objects.filter(booking=locked).count() >= settings.RECORDING_MAX_PER_BOOKING:
        return RecordingError(
            _("This session already has %(n)s recordings, the most it can keep.")
            % {"n": settings.RECORDING_MAX_PER_BOOKING},
            code="too_many",
        )
    return None


def _too_big() -> RecordingError:
    return RecordingError(
        _("The file is larger than %(size)s. Upload a smaller file.")
        % {"size": filesizeformat(settings.RECORDING_MAX_BYTES)},
        code="too_big",
    )


def _wrong_type() -> RecordingError:
    return RecordingError(
        _("This file is not a recording we can keep. Upload an MP4, WebM, M4A or MP3 file."), code="type"
    )


def _store(handle, content_type: str) -> str:
    handle.seek(0)
    return _storage().save(f"recordings/{secrets.token_urlsafe(24)}.{MEDIA_TYPES[content_type]}", handle)


def _insert(booking: Booking, *, name: str, content_type: str, size: int, **fields) -> Recording:
    """The final check under the lock and the row; the stored file is deleted if either fails."""
    try:
        with locked_transaction():
            locked = _lock(booking)
            problem = _may_add_problem(locked, timezone.now())
            if problem is not None:
                raise problem
            return Recording.objects.create(
                booking=locked, file=name, content_type=content_type, size=size, created_at=timezone.now(), **fields
            )
    except BaseException:
        _storage().delete(name)
        raise


def recording_upload(*, booking: Booking, by, upload: UploadedFile) -> Recording:
    """The session's expert adds a recording file (MP4, WebM, M4A or MP3, by content, within the size limit)."""
    if by is None or by.pk != booking.expert_id:
        raise RecordingError(_("Only the session's expert can add its recording."), code="not_expert")
    # Refuse early, before the file is read or copied; the same check runs again under the lock.
    problem = _may_add_problem(booking, timezone.now())
    if problem is not None:
        raise problem
    if upload.size is None or upload.size > settings.RECORDING_MAX_BYTES:
        raise _too_big()
    if upload.size == 0:
        raise RecordingError(_("The file is empty."), code="empty")
    upload.seek(0)
    content_type = sniff_media(upload.read(HEAD_BYTES))
    if content_type is None:
        raise _wrong_type()
    name = _store(upload, content_type)
    return _insert(
        booking, name=name, content_type=content_type, size=upload.size, source=Recording.Source.UPLOAD, uploaded_by=by
    )


def _allowed_host(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(
        host == allowed or host.endswith(f".{allowed}") for allowed in settings.RECORDING_DOWNLOAD_HOSTS
    )


def _open_download(url: str, bearer_token: str) -> requests.Response:
    """GET the file, following at most ``MAX_REDIRECTS`` redirects, each to an allowed HTTPS host.

    The token goes in the ``Authorization`` header, which Zoom requires since February 2023 (a
    token in the query string is refused), and only to the host it was issued for: a redirect to
    the file's storage host drops it, as ``requests`` itself would.
    """
    first_host = urlsplit(url).hostname
    for _hop in range(MAX_REDIRECTS + 1):
        if not _allowed_host(url):
            raise RecordingError(_("The recording's address is not one we download from."), code="host")
        headers = {"Authorization": f"Bearer {bearer_token}"} if urlsplit(url).hostname == first_host else {}
        try:
            response = requests.get(url, headers=headers, stream=True, timeout=_TIMEOUT, allow_redirects=False)
        except requests.RequestException as error:
            raise RecordingDownloadFailed(_("The recording could not be downloaded."), code="network") from error
        if response.is_redirect and response.headers.get("Location"):
            url = urljoin(url, response.headers["Location"])
            response.close()
            continue
        if response.status_code != 200:
            response.close()
            raise RecordingDownloadFailed(
                _("The recording could not be downloaded."), code="http", extra={"status": response.status_code}
            )
        return response
    raise RecordingDownloadFailed(_("The recording could not be downloaded."), code="redirects")


def _download(url: str, bearer_token: str, spool) -> tuple[str, int]:
    """Stream the file into ``spool`` within the size limit; its content type and size."""
    limit = settings.RECORDING_MAX_BYTES
    response = _open_download(url, bearer_token)
    try:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_big()
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise _too_big()
                spool.write(chunk)
        except requests.RequestException as error:
            raise RecordingDownloadFailed(_("The recording could not be downloaded."), code="network") from error
    finally:
        response.close()
    spool.seek(0)
    content_type = sniff_media(spool.read(HEAD_BYTES))
    if content_type is None or size == 0:
        raise _wrong_type()
    return content_type, size


def ingest_provider_recording(
    *, booking: Booking, download_url: str, bearer_token: str, file_type: str, external_id: str
) -> Recording | None:
    """Copy a provider's cloud recording file (Zoom's ``recording.completed``) into private storage.

    Idempotent on ``external_id`` (a repeated delivery returns the stored recording). A file that
    may not be kept (recording not allowed, past the window, not audio or video, too large, from
    a host outside ``RECORDING_DOWNLOAD_HOSTS``) is discarded and logged: returns None. A network
    failure or an HTTP error raises ``RecordingDownloadFailed`` so the caller may retry.
    """
    external_id = str(external_id or "")[:200]
    if not external_id or str(file_type).upper() not in PROVIDER_FILE_TYPES:
        logger.info("recording of booking %s discarded: file type %r", booking.pk, file_type)
        return None
    existing = Recording.objects.filter(external_id=external_id).first()
    if existing is not None:
        return existing if existing.booking_id == booking.pk else None
    problem = _may_add_problem(booking, timezone.now())
    if problem is None and not _allowed_host(download_url):
        problem = RecordingError("host", code="host")
    if problem is not None:
        logger.warning("recording of booking %s discarded: %s", booking.pk, problem.code)
        return None
    with tempfile.TemporaryFile() as spool:
        try:
            content_type, size = _download(download_url, bearer_token, spool)
        except RecordingDownloadFailed:
            raise
        except RecordingError as refused:
            logger.warning("recording of booking %s discarded: %s", booking.pk, refused.code)
            return None
        name = _store(File(spool), content_type)
    try:
        return _insert(
            booking,
            name=name,
            content_type=content_type,
            size=size,
            source=Recording.Source.PROVIDER,
            external_id=external_id,
        )
    except IntegrityError:
        # The same file delivered twice at once: the other delivery stored it.
        return Recording.objects.filter(external_id=external_id, booking=booking).first()
    except RecordingError as refused:
        logger.warning("recording of booking %s discarded: %s", booking.pk, refused.code)
        return None


def recording_staff_play(*, recording: Recording, user) -> Recording:
    """A staff member opens a recording: only while its session is disputed, with the permission; logged."""
    if not user.is_staff or not user.has_perm("bookings.play_disputed_recording"):
        raise RecordingError(_("You may not play session recordings."), code="forbidden")
    if not booking_in_dispute(recording.booking):
        raise RecordingError(_("Staff can play a recording only while its session is disputed."), code="not_disputed")
    log(instance=recording, action=LOG_STAFF_PLAYED, user=user, data={"booking": recording.booking_id})
    return recording


def recordings_orphans_delete(*, now: datetime | None = None) -> int:
    """Delete files under ``recordings/`` that no row points to and that are older than ``ORPHAN_AGE``.

    A file is written before its row (see the module's docstring); a worker that dies in between
    leaves the file behind. The age keeps files of uploads still in flight. Returns how many went.
    """
    now = now or timezone.now()
    storage = _storage()
    try:
        names = [f"recordings/{name}" for name in storage.listdir("recordings")[1]]
    except (FileNotFoundError, NotImplementedError):
        return 0
    known: set[str] = set()
    for first in range(0, len(names), 1000):
        chunk = names[first : first + 1000]
        known.update(Recording.objects.filter(file__in=chunk).values_list("file", flat=True))
    removed = 0
    for name in names:
        if name in known:
            continue
        try:
            if storage.get_modified_time(name) > now - ORPHAN_AGE:
                continue
            storage.delete(name)
        except (OSError, NotImplementedError):
            logger.exception("recording file %s without a row could not be deleted", name)
            continue
        removed += 1
    if removed:
        logger.warning("deleted %s recording files that no recording pointed to", removed)
    return removed


def recordings_purge_expired(*, now: datetime | None = None, batch: int = 500) -> int:
    """Delete the files and rows of recordings older than ``RECORDING_RETENTION_DAYS``; how many went.

    A file already missing is simply gone; a storage error keeps the row for the next run, so no file
    is ever left without a row that points to it.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RECORDING_RETENTION_DAYS)
    storage = _storage()
    removed = 0
    while True:
        expired = list(Recording.objects.filter(created_at__lt=cutoff).values_list("pk", "file")[:batch])
        gone = []
        for pk, name in expired:
            try:
                storage.delete(name)
            except FileNotFoundError:
                pass
            except OSError:
                logger.exception("recording %s: file %s could not be deleted; kept for the next run", pk, name)
                continue
            gone.append(pk)
        removed += Recording.objects.filter(pk__in=gone).delete()[1].get("bookings.Recording", 0)
        if len(expired) < batch or not gone:
            return removed
