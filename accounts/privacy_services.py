"""Data-subject requests: build an export ZIP, erase (pseudonymise) an account, and their records.

Both walk ``accounts.privacy``'s registry; nothing here knows bookings or money.

Export: ``privacy_export_request`` records a ``DataRequest`` (one open export per
person, a database constraint) and queues ``accounts.tasks.privacy_export_run``. The
worker streams every part's rows into ``<part>.json`` entries of a ZIP written to a
temporary file (never the whole archive in memory), copies the uploaded files in
chunks, stores the archive in the private storage and emails the person a signed
link that only they, signed in, can open for ``PRIVACY_EXPORT_LINK_DAYS``.

Erasure: ``privacy_erasure_request`` refuses while any part reports a blocker,
otherwise records a request due after ``PRIVACY_ERASURE_GRACE_DAYS``. The daily job
(``privacy_erasures_run_due``) re-checks the blockers, lets every part ``prepare``
(cancel upcoming sessions with their refunds through the usual services), then in
one transaction runs every part's ``erase`` from the highest layer down, accounts
last (its eraser pseudonymises the user row: ``erased-<id>@invalid``, no password).
"""

from __future__ import annotations

import io
import json
import logging
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_q.tasks import async_task
from wagtail.log_actions import log

from notifications.services import email_send

from . import privacy
from .errors import AccountsError
from .models import DataRequest, User

logger = logging.getLogger(__name__)

_LINK_SALT = "accounts.privacy-export-link"
_CHUNK = 64 * 1024


def _storage():
    return storages["private"]


def pseudonym_of(user: User) -> str:
    """The stable stand-in for an erased person: the address their row keeps."""
    return f"erased-{user.pk}@invalid"


# --- Export ---------------------------------------------------------------------------------------


def privacy_export_request(*, subject: User, requested_by: User, identity_check: str = "") -> DataRequest:
    """Queue an export of everything about ``subject``; refused while one is already being built."""
    if not subject.is_active and subject.email == pseudonym_of(subject):
        raise AccountsError(_("This account has been erased; there is nothing left to export."), code="erased")
    try:
        with transaction.atomic():
            request = DataRequest.objects.create(
                subject=subject,
                kind=DataRequest.Kind.EXPORT,
                requested_by=requested_by,
                handled_by=requested_by if requested_by.pk != subject.pk else None,
                identity_check=identity_check,
            )
    except IntegrityError:
        raise AccountsError(
            _("An export is already being prepared; we will email you when it is ready."), code="export_open"
        ) from None
    _audit(request, "taptime.privacy.export_requested", requested_by)
    request_id = request.pk
    transaction.on_commit(
        lambda: _async("accounts.tasks.privacy_export_run", request_id, task_name=f"privacy-export-{request_id}")
    )
    return request


def _async(func: str, *args: Any, **kwargs: Any) -> None:

    async_task(func, *args, **kwargs)


class _JsonListWriter:
    """Writes ``{"section": [row, row, ...], ...}`` row by row to a binary stream."""

    def __init__(self, stream: io.BufferedIOBase) -> None:
        self._text = io.TextIOWrapper(stream, encoding="utf-8", write_through=True)

    def write_sections(self, sections: dict[str, Iterable[dict[str, Any]]]) -> int:
        rows = 0
        self._text.write("{")
        for index, (name, items) in enumerate(sections.items()):
            self._text.write(("," if index else "") + "\n" + json.dumps(name) + ": [")
            for row_index, row in enumerate(items):
                self._text.write(("," if row_index else "") + "\n  " + json.dumps(row, cls=DjangoJSONEncoder))
                rows += 1
            self._text.write("\n]")
        self._text.write("\n}\n")
        self._text.flush()
        self._text.detach()
        return rows


def privacy_export_write(*, user: User, target: io.BufferedIOBase) -> dict[str, int]:
    """Write the ZIP for ``user`` to ``target`` (a seekable binary file); returns rows and files per part."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        manifest = {
            "format": "taptime-export/1",
            "generated_at": timezone.now(),
            "user_id": user.pk,
            "parts": [part.name for part in privacy.parts()],
        }
        archive.writestr("manifest.json", json.dumps(manifest, cls=DjangoJSONEncoder, indent=2))
        for part in privacy.parts():
            with archive.open(f"{part.name}.json", "w", force_zip64=True) as entry:
                counts[part.name] = _JsonListWriter(entry).write_sections(part.export(user=user))
            if part.files is None:
                continue
            for arcname, storage, stored_name in part.files(user=user):
                try:
                    source = storage.open(stored_name, "rb")
                except (FileNotFoundError, OSError):
                    logger.warning("Export of user %s: file %s is missing", user.pk, stored_name)
                    continue
                with source, archive.open(f"files/{part.name}/{arcname}", "w", force_zip64=True) as entry:
                    while chunk := source.read(_CHUNK):
                        entry.write(chunk)
                counts[f"{part.name} files"] = counts.get(f"{part.name} files", 0) + 1
    return counts


def privacy_export_run(*, request_id: int, now: datetime | None = None) -> DataRequest | None:
    """Build the export of one request (the worker's job); a request no longer pending is left alone."""
    now = now or timezone.now()
    claimed = DataRequest.objects.filter(
        pk=request_id, kind=DataRequest.Kind.EXPORT, status=DataRequest.Status.PENDING
    ).update(status=DataRequest.Status.RUNNING)
    if not claimed:
        return None
    request = DataRequest.objects.select_related("subject").get(pk=request_id)
    user = request.subject
    try:
        with tempfile.TemporaryFile() as spool:
            privacy_export_write(user=user, target=spool)
            size = spool.tell()
            spool.seek(0)
            name = f"{settings.PRIVACY_EXPORT_DIR}/{user.pk}-{get_random_string(24)}.zip"
            stored = _storage().save(name, File(spool, name=name))
    except Exception as error:
        logger.exception("Export %s failed", request_id)
        DataRequest.objects.filter(pk=request_id).update(
            status=DataRequest.Status.FAILED, last_error=str(error)[:300], completed_at=now
        )
        raise
    expires = now + timedelta(days=settings.PRIVACY_EXPORT_LINK_DAYS)
    DataRequest.objects.filter(pk=request_id).update(
        status=DataRequest.Status.READY, file_name=stored, file_size=size, completed_at=now, expires_at=expires
    )
    request.refresh_from_db()
    path = reverse("privacy_export_download", kwargs={"token": privacy_export_token_make(request)})
    email, language = user.email, user.preferred_language
    transaction.on_commit(
        lambda: email_send(
            to=email,
            template="privacy_export_ready",
            context={"path": path, "days": settings.PRIVACY_EXPORT_LINK_DAYS, "expires_at": expires},
            language=language,
        )
    )
    return request


def privacy_export_token_make(request: DataRequest) -> str:
    return signing.dumps({"r": request.pk, "u": request.subject_id}, salt=_LINK_SALT)


def privacy_export_for_download(*, token: str, user: User, now: datetime | None = None) -> DataRequest | None:
    """The ready export the link names, if it belongs to ``user`` and has not expired; else None."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=timedelta(days=settings.PRIVACY_EXPORT_LINK_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    return DataRequest.objects.filter(
        pk=data.get("r"),
        subject=user,
        kind=DataRequest.Kind.EXPORT,
        status=DataRequest.Status.READY,
        expires_at__gt=now,
    ).first()


def privacy_exports_purge(*, now: datetime | None = None) -> int:
    """Delete export archives whose link has expired (retention); the request row stays as the record."""
    now = now or timezone.now()
    purged = 0
    for request in DataRequest.objects.filter(kind=DataRequest.Kind.EXPORT, status=DataRequest.Status.READY).filter(
        expires_at__lte=now
    ):
        if request.file_name:
            _storage().delete(request.file_name)
        DataRequest.objects.filter(pk=request.pk).update(status=DataRequest.Status.EXPIRED, file_name="")
        purged += 1
    return purged


# --- Erasure --------------------------------------------------------------------------------------


def privacy_erasure_blockers(*, user: User, now: datetime | None = None) -> list[str]:
    """What makes erasure wait (open disputes, contested reports, payouts); empty when nothing does."""
    now = now or timezone.now()
    return [str(message) for part in privacy.parts() if part.blockers for message in part.blockers(user=user, now=now)]


def privacy_erasure_consequences(*, user: User, now: datetime | None = None) -> list[str]:
    """What erasure will do besides removing the data (sessions cancelled, refunds, pages unpublished)."""
    now = now or timezone.now()
    return [
        str(message)
        for part in privacy.parts()
        if part.consequences
        for message in part.consequences(user=user, now=now)
    ]


def privacy_erasure_pending(*, user: User) -> DataRequest | None:
    return DataRequest.objects.filter(
        subject=user, kind=DataRequest.Kind.ERASE, status=DataRequest.Status.PENDING
    ).first()


def privacy_erasure_request(
    *, subject: User, requested_by: User, identity_check: str = "", now: datetime | None = None
) -> DataRequest:
    """Schedule the erasure of ``subject`` after the grace period, or refuse (blockers, one already pending)."""
    now = now or timezone.now()
    blockers = privacy_erasure_blockers(user=subject, now=now)
    if blockers:
        raise AccountsError(" ".join(blockers), code="erasure_blocked")
    due = now + timedelta(days=settings.PRIVACY_ERASURE_GRACE_DAYS)
    try:
        with transaction.atomic():
            request = DataRequest.objects.create(
                subject=subject,
                kind=DataRequest.Kind.ERASE,
                requested_by=requested_by,
                handled_by=requested_by if requested_by.pk != subject.pk else None,
                identity_check=identity_check,
                created_at=now,
                due_at=due,
            )
    except IntegrityError:
        raise AccountsError(_("Your account is already scheduled for erasure."), code="erasure_open") from None
    _audit(request, "taptime.privacy.erasure_requested", requested_by)
    email, language = subject.email, subject.preferred_language
    transaction.on_commit(
        lambda: email_send(
            to=email,
            template="privacy_erasure_scheduled",
            context={"due_at": due, "path": reverse("privacy")},
            language=language,
        )
    )
    return request


def privacy_erasure_cancel(*, subject: User, by: User) -> bool:
    """Stop a pending erasure during its grace period; False when none is pending."""
    request = privacy_erasure_pending(user=subject)
    if request is None:
        return False
    updated = DataRequest.objects.filter(pk=request.pk, status=DataRequest.Status.PENDING).update(
        status=DataRequest.Status.CANCELLED, completed_at=timezone.now()
    )
    if updated:
        _audit(request, "taptime.privacy.erasure_cancelled", by)
    return bool(updated)


def privacy_erasure_run(*, request_id: int, now: datetime | None = None) -> DataRequest | None:
    """Carry out one due erasure. Blocked: it stays pending with the reason and is retried on the next run."""
    now = now or timezone.now()
    request = (
        DataRequest.objects.select_related("subject")
        .filter(pk=request_id, kind=DataRequest.Kind.ERASE, status=DataRequest.Status.PENDING, due_at__lte=now)
        .first()
    )
    if request is None:
        return None
    user = request.subject
    blockers = privacy_erasure_blockers(user=user, now=now)
    if blockers:
        DataRequest.objects.filter(pk=request.pk).update(last_error=" ".join(blockers)[:300])
        return request
    # Outside the erasure's transaction: refunds talk to the payment gateway and commit on their own.
    for part in privacy.parts():
        if part.prepare:
            part.prepare(user=user, now=now)
    pseudonym = pseudonym_of(user)
    with transaction.atomic():
        claimed = DataRequest.objects.filter(pk=request.pk, status=DataRequest.Status.PENDING).update(
            status=DataRequest.Status.RUNNING
        )
        if not claimed:
            return None
        # Highest layers first; accounts (registered first) pseudonymises the user row last.
        ordered = [*reversed(privacy.parts())]
        ordered.sort(key=lambda part: part.name == "accounts")  # stable: the others keep their order
        for part in ordered:
            part.erase(user=user, pseudonym=pseudonym)
        DataRequest.objects.filter(pk=request.pk).update(
            status=DataRequest.Status.DONE, completed_at=now, last_error="", identity_check=""
        )
        request.refresh_from_db()
        _audit(request, "taptime.privacy.erased", None)
    return request


def privacy_erasures_run_due(*, now: datetime | None = None) -> int:
    """The daily job: every erasure whose grace period is over. Returns how many were carried out."""
    now = now or timezone.now()
    done = 0
    due = DataRequest.objects.filter(
        kind=DataRequest.Kind.ERASE, status=DataRequest.Status.PENDING, due_at__lte=now
    ).values_list("pk", flat=True)
    for request_id in list(due):
        try:
            result = privacy_erasure_run(request_id=request_id, now=now)
        except Exception:  # one failure must not stop the others; it is retried next run
            logger.exception("Erasure %s failed", request_id)
            DataRequest.objects.filter(pk=request_id).update(last_error="failed; retried on the next run")
            continue
        if result is not None and result.status == DataRequest.Status.DONE:
            done += 1
    return done


def _audit(request: DataRequest, action: str, user: User | None) -> None:
    # Wagtail's log: shown in the admin's history of the request and in "Site history".
    log(instance=request, action=action, user=user, title=str(request), data={"kind": request.kind})


# --- Retention ------------------------------------------------------------------------------------


def sessions_purge() -> None:
    """Expired sessions go (Django's ``clearsessions``; a no-op for engines that expire by themselves)."""

    engine = import_module(settings.SESSION_ENGINE)
    try:
        engine.SessionStore.clear_expired()
    except NotImplementedError:  # pragma: no cover - every engine we use implements it
        logger.info("The session engine %s expires sessions by itself", settings.SESSION_ENGINE)


def unverified_accounts_purge(*, now: datetime | None = None) -> int:
    """Accounts that never confirmed their email and never signed in, older than
    ``RETENTION_UNVERIFIED_ACCOUNT_DAYS``, are deleted (they hold nothing but a name and an address).
    One that somehow holds records (a booking, a payment) is skipped."""

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    stale = User.objects.filter(
        date_joined__lt=cutoff, last_login__isnull=True, is_staff=False, is_superuser=False, is_expert=False
    ).exclude(pk__in=verified)
    deleted = 0
    for user in stale.iterator():
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            continue
        deleted += 1
    return deleted
