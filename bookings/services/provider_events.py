"""What Zoom's webhooks tell us about a booking's meeting, kept as ``ProviderEvent`` rows.

``zoom_event_record(event=…)`` is the one function the webhook view calls once the
signature is checked. A participant's join or leave is also written to the attendance log
(``bookings.services.attendance.record_provider_event``, matched to the learner or the
expert by email) in the same transaction, so staff deciding a no-show report see Zoom's
times beside our join link's; a repeated delivery writes neither twice. A completed cloud
recording queues one outbox job per audio or video file
(``bookings.tasks.ingest_zoom_recording``), which downloads it into private storage with the
event's ``download_token`` if both participants consented; the webhook answers at once and
the worker retries a failed download. The token travels only in that job's payload (Zoom's
tokens expire after 24 hours), never in the stored event.

Shapes (Zoom's event reference): every event is ``{"event", "event_ts" (ms), "payload":
{"account_id", "object": {...}}}``. ``meeting.participant_joined`` / ``_left`` carry
``object.id`` (the meeting id), ``object.uuid`` (this occurrence) and ``object.participant``
(``user_id``, ``user_name``, ``email``, ``participant_uuid``, ``join_time`` or
``leave_time``); ``recording.completed`` carries ``object.recording_files`` (``id``,
``download_url``, ``file_type``, ``recording_type``, ``recording_start``, ``recording_end``…).
Zoom repeats a delivery it got no 200 for, so every row has an ``external_id`` made from the
event and its own ids, unique in the table.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.outbox import outbox_enqueue

from ..models import AttendanceEvent, Booking, ProviderEvent
from .attendance import record_provider_event
from .recordings import PROVIDER_FILE_TYPES

logger = logging.getLogger("bookings.video")

_FILE_FIELDS = (
    "id",
    "download_url",
    "file_type",
    "file_extension",
    "file_size",
    "recording_type",
    "recording_start",
    "recording_end",
    "status",
)


class MalformedEvent(ValueError):
    """The event is not shaped as Zoom documents it."""


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _event_time(event: Mapping[str, Any]) -> datetime:
    stamp = event.get("event_ts")
    if isinstance(stamp, int) and 0 < stamp < 10**14:
        return datetime.fromtimestamp(stamp / 1000, tz=UTC)
    return timezone.now()


def _external_id(*parts: Any) -> str:
    joined = ":".join(str(part) for part in parts)
    return joined if len(joined) <= 200 else "zoom:" + hashlib.sha256(joined.encode()).hexdigest()


def zoom_event_record(*, event: Mapping[str, Any]) -> ProviderEvent | None:
    """Store one verified Zoom event about one of our meetings. Returns the new row, or None for an
    event we do not keep, a meeting that is no booking of ours (logged and ignored) or a repeat.
    Raises ``MalformedEvent`` when a kept event lacks its payload."""
    name = event.get("event")
    if name not in ProviderEvent.Event.values:
        return None
    payload = event.get("payload")
    meeting = payload.get("object") if isinstance(payload, Mapping) else None
    if not isinstance(meeting, Mapping):
        raise MalformedEvent("no payload.object")
    meeting_id = meeting.get("id")
    meeting_id = str(meeting_id) if isinstance(meeting_id, int | str) and str(meeting_id).isdigit() else ""
    booking = (
        Booking.objects.filter(video_provider="zoom", video_meeting_id=meeting_id)
        .only("pk", "learner_id", "expert_id")
        .first()
        if meeting_id
        else None
    )
    if booking is None:
        logger.info(
            "Zoom %s for meeting %r ignored: no booking has that meeting", name, meeting_id or meeting.get("id")
        )
        return None
    occurrence = _text(meeting.get("uuid"), 100)
    if name == ProviderEvent.Event.RECORDING_COMPLETED:
        files = meeting.get("recording_files")
        files = [
            {field: item.get(field) for field in _FILE_FIELDS if field in item}
            for item in (files if isinstance(files, list) else [])[:50]
            if isinstance(item, Mapping)
        ]
        row = ProviderEvent(
            at=_event_time(event),
            external_id=_external_id("zoom", name, meeting_id, occurrence),
            data={"meeting_uuid": occurrence, "recording_files": files},
        )
    else:
        participant = meeting.get("participant")
        if not isinstance(participant, Mapping):
            raise MalformedEvent("no payload.object.participant")
        field = "join_time" if name == ProviderEvent.Event.PARTICIPANT_JOINED else "leave_time"
        at = _instant(participant.get(field)) or _event_time(event)
        who = next(
            (_text(participant.get(key), 100) for key in ("participant_uuid", "user_id", "id") if participant.get(key)),
            "",
        )
        row = ProviderEvent(
            at=at,
            participant_email=_text(participant.get("email"), 254),
            participant_name=_text(participant.get("user_name"), 255),
            external_id=_external_id("zoom", name, meeting_id, occurrence, who, at.isoformat()),
            data={
                "meeting_uuid": occurrence,
                "participant_uuid": _text(participant.get("participant_uuid"), 100),
                "participant_user_id": _text(participant.get("user_id"), 100),
                "leave_reason": _text(participant.get("leave_reason"), 300),
            },
        )
    row.booking_id, row.provider, row.event = booking.pk, "zoom", name
    try:
        with transaction.atomic():
            if ProviderEvent.objects.filter(external_id=row.external_id).exists():
                return None
            row.save()
            if row.event == ProviderEvent.Event.RECORDING_COMPLETED:
                _recording_downloads_enqueue(row, token=event.get("download_token"))
            else:
                kind = (
                    AttendanceEvent.Kind.JOINED
                    if row.event == ProviderEvent.Event.PARTICIPANT_JOINED
                    else AttendanceEvent.Kind.LEFT
                )
                record_provider_event(
                    booking=booking,
                    email_or_user=row.participant_email,
                    kind=kind,
                    at=row.at,
                    source="zoom",
                    external_id=row.external_id,
                )
    except IntegrityError:  # the same delivery, stored by a parallel request a moment ago
        return None
    return row


def _recording_downloads_enqueue(row: ProviderEvent, *, token) -> None:
    """One outbox job per audio or video file of a completed recording (each deduplicated by Zoom's file id)."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        logger.warning("Zoom recording for booking %s has no download token: not copied", row.booking_id)
        return
    for item in row.data.get("recording_files", []):
        file_id, url, file_type = item.get("id"), item.get("download_url"), item.get("file_type")
        if not (isinstance(file_id, str) and file_id and isinstance(url, str) and url.startswith("https://")):
            continue
        if str(file_type).upper() not in PROVIDER_FILE_TYPES:
            continue
        outbox_enqueue(
            app_label="bookings",
            handler="bookings.tasks.ingest_zoom_recording",
            payload={
                "booking_id": row.booking_id,
                "download_url": url[:2000],
                "bearer_token": token,
                "file_type": str(file_type)[:16],
                "external_id": f"zoom:{file_id}"[:200],
            },
            dedupe_key=f"zoom-recording-{file_id}"[:200],
        )
