"""Reads for recordings: the rules' clock checks, the session page's section, and who may play a file.

Recording is allowed when both participants consented and neither withdrew. Consent can change only
until the start (``consent_is_open``), so after the start the answer is final; the services evaluate
it under the booking's row lock, so a withdrawal racing the start is either committed before the
evaluation sees it or refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from ..models import Booking, Recording, RecordingConsent, SessionReport


def consent_is_open(booking: Booking, now: datetime) -> bool:
    """Consent may be given or withdrawn: a confirmed session that has not started."""
    return booking.status == Booking.Status.CONFIRMED and now < booking.start


def upload_closes_at(booking: Booking) -> datetime:
    return booking.end + timedelta(days=settings.RECORDING_UPLOAD_DAYS)


def upload_window_is_open(booking: Booking, now: datetime) -> bool:
    """A recording may be added from the start until ``RECORDING_UPLOAD_DAYS`` after the end.

    Confirmed (not yet marked completed) and completed sessions only: a cancelled one was not held.
    """
    held = booking.status in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED)
    return held and booking.start <= now < upload_closes_at(booking)


def consenting_user_ids(booking: Booking) -> set[int]:
    """The participants whose consent stands (one query)."""
    return set(
        RecordingConsent.objects.filter(
            booking=booking, withdrawn_at__isnull=True, user_id__in=(booking.learner_id, booking.expert_id)
        ).values_list("user_id", flat=True)
    )


def recording_is_allowed(booking: Booking, consenting: set[int]) -> bool:
    return {booking.learner_id, booking.expert_id} <= consenting


@dataclass(frozen=True)
class RecordingSection:
    """What the session page shows about recording, for one of the two participants."""

    booking: Booking
    is_expert: bool
    mine: bool  # the viewer's consent stands
    theirs: bool  # the other participant's consent stands
    consent_open: bool
    started: bool
    allowed: bool
    can_upload: bool
    upload_closes_at: datetime
    retention_days: int
    recordings: list[Recording] = field(default_factory=list)

    @property
    def show(self) -> bool:
        """Nothing to say about a session that was never held (cancelled before its start)."""
        return self.consent_open or self.started


def recording_section(*, booking: Booking, viewer, now: datetime) -> RecordingSection:
    """Two queries whatever the number of recordings: the standing consents and the recordings."""
    consenting = consenting_user_ids(booking)
    other_id = booking.learner_id if viewer.pk == booking.expert_id else booking.expert_id
    allowed = recording_is_allowed(booking, consenting)
    started = now >= booking.start and booking.status in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED)
    recordings = list(Recording.objects.filter(booking=booking).order_by("created_at", "pk"))
    return RecordingSection(
        booking=booking,
        is_expert=viewer.pk == booking.expert_id,
        mine=viewer.pk in consenting,
        theirs=other_id in consenting,
        consent_open=consent_is_open(booking, now),
        started=started,
        allowed=allowed,
        can_upload=(
            viewer.pk == booking.expert_id
            and allowed
            and upload_window_is_open(booking, now)
            and len(recordings) < settings.RECORDING_MAX_PER_BOOKING
        ),
        upload_closes_at=upload_closes_at(booking),
        retention_days=settings.RECORDING_RETENTION_DAYS,
        recordings=recordings,
    )


def recording_for_participant(*, user, pk: int) -> Recording | None:
    """The recording if ``user`` is one of its session's two participants (one query); else None."""
    if not user.is_authenticated:
        return None
    recording = Recording.objects.select_related("booking").filter(pk=pk).first()
    if recording is None or user.pk not in (recording.booking.learner_id, recording.booking.expert_id):
        return None
    return recording


def _open_report(booking_ref: str) -> Exists:
    """A participant reported the session (a no-show, a technical problem) and staff have not decided yet."""
    return Exists(SessionReport.objects.filter(booking=OuterRef(booking_ref), booking__session_decision__isnull=True))


def booking_in_dispute(booking: Booking) -> bool:
    """Whether staff may look at the session's recording: the learner's bank disputes the payment
    (``disputed_at``), or a report on the session waits for a staff decision (one query at most)."""
    if booking.disputed_at is not None:
        return True
    return Booking.objects.filter(Q(pk=booking.pk), _open_report("pk")).exists()


def recordings_for_staff():
    """Every recording with its session and participants, newest first, for the staff report (no content);
    ``in_dispute`` as ``booking_in_dispute`` says, in the same query."""
    return (
        Recording.objects.select_related("booking__learner", "booking__expert")
        .annotate(in_dispute=Q(booking__disputed_at__isnull=False) | _open_report("booking"))
        .order_by("-created_at", "-pk")
    )
