"""The attendance log: joins through our link, and join/leave events a video provider reports.

Rows are only ever added. A join through ``/bookings/<id>/join/`` is logged on every pass (who,
when): a participant who drops out and comes back leaves two rows, which is what staff want to
see. A provider's event is logged once, whatever how often its webhook is delivered:
``(source, external_id)`` is unique in the database, and a second delivery returns the row the
first one wrote.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import SessionReportError
from ..models import AttendanceEvent, Booking


def attendance_join_record(*, booking: Booking, user, now: datetime | None = None) -> AttendanceEvent:
    """Log that ``user`` (a participant) passed through the join link now."""
    return AttendanceEvent.objects.create(
        booking=booking,
        user=user,
        kind=AttendanceEvent.Kind.JOINED,
        source=AttendanceEvent.SOURCE_LINK,
        at=now or timezone.now(),
    )


def _participant(booking: Booking, email_or_user):
    """The participant an event names (by account or by email, case-insensitive), or None for anyone else."""
    User = get_user_model()
    if isinstance(email_or_user, User):
        return email_or_user if email_or_user.pk in (booking.learner_id, booking.expert_id) else None
    email = (email_or_user or "").strip() if isinstance(email_or_user, str) else ""
    if not email:
        return None
    return User.objects.filter(pk__in=(booking.learner_id, booking.expert_id), email__iexact=email).first()


def record_provider_event(
    *, booking: Booking, email_or_user, kind: str, at: datetime, source: str, external_id: str
) -> AttendanceEvent:
    """Log a join or leave a video provider reported (Zoom's participant webhooks), once per event.

    ``email_or_user`` is matched to the booking's learner or expert; anyone else (a guest, an
    address we do not know) is logged without a user, so staff still see that someone was there.
    Idempotent on ``(source, external_id)``: a repeated delivery returns the row already written.
    Raises ``SessionReportError`` for an event that cannot be logged (unknown kind, our own
    source name, no id, a time without a zone).
    """
    source = (source or "").strip()
    external_id = (external_id or "").strip()
    if kind not in AttendanceEvent.Kind.values:
        raise SessionReportError(_("Unknown attendance event."), code="bad_kind")
    if not source or source == AttendanceEvent.SOURCE_LINK or len(source) > 32:
        raise SessionReportError(_("Unknown attendance source."), code="bad_source")
    if not external_id or len(external_id) > 200:
        raise SessionReportError(_("An attendance event needs the provider's id."), code="bad_external_id")
    if at is None or timezone.is_naive(at):
        raise SessionReportError(_("An attendance event needs a time with its zone."), code="bad_time")
    existing = AttendanceEvent.objects.filter(source=source, external_id=external_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return AttendanceEvent.objects.create(
                booking=booking,
                user=_participant(booking, email_or_user),
                kind=kind,
                source=source,
                at=at,
                external_id=external_id,
            )
    except IntegrityError:
        # The same event delivered twice at once: the other delivery wrote it.
        return AttendanceEvent.objects.get(source=source, external_id=external_id)
