"""Each expert's video provider, and the Zoom or Google Meet meeting of a confirmed session.

Confirmation never waits on a provider: it runs under the booking's row lock
and must not fail once the payment has succeeded. So every confirmed booking
gets a Jitsi room at once (named locally), and when the expert's provider is
Zoom or Google Meet the confirmation also writes an outbox message
(``bookings.tasks.provision_video_room``). Its handler asks the provider for a
meeting outside any transaction and then, under the row lock, swaps the room
in, only while the booking is still confirmed, still on its Jitsi room and its
room has not opened yet (``join_opens_at``): nobody is ever moved from a room
they may already be in. A provider that is down or rate-limited is retried by
the outbox (with back-off, at least the provider's ``Retry-After``); one that
refuses (bad credentials, a 400) is logged for operators and the session keeps
its Jitsi room. A meeting made for a booking cancelled meanwhile is deleted.

A cancellation deletes the meeting and a move reschedules it, through the same
outbox (``bookings.tasks.sync_video_room``, written by ``booking_changed``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import locked_transaction
from core.outbox import outbox_enqueue
from marketplace.models import ExpertProfile

from ..errors import AvailabilityError
from ..models import Booking, ExpertVideoSetting
from ..video import (
    JITSI,
    MeetingRequest,
    Room,
    configured_providers,
    default_provider_name,
    provider_by_name,
)
from ..video.http import VideoProviderError

logger = logging.getLogger("bookings.video")

CANCELLED = (
    Booking.Status.CANCELLED_BY_LEARNER,
    Booking.Status.CANCELLED_BY_EXPERT,
    Booking.Status.CANCELLED_REFUNDED,
)


def expert_video_provider(*, expert_id: int) -> str:
    """The provider new sessions of this expert get: their choice, else ``VIDEO_PROVIDER``; Jitsi when
    the chosen one is no longer configured. One query."""
    chosen = ExpertVideoSetting.objects.filter(profile__user_id=expert_id).values_list("provider", flat=True).first()
    name = chosen or default_provider_name()
    return name if name in configured_providers() else JITSI


@locked_transaction()
def video_provider_set(*, profile: ExpertProfile, provider: str) -> ExpertVideoSetting:
    """Choose the provider for sessions confirmed from now on; only a configured provider is accepted."""
    if provider not in configured_providers():
        raise AvailabilityError(_("Choose a video provider from the list."), code="invalid_video_provider")
    setting, _created = ExpertVideoSetting.objects.update_or_create(profile=profile, defaults={"provider": provider})
    return setting


def video_room_provision_enqueue(*, booking: Booking) -> None:
    """Inside the confirmation's transaction: ask for the expert's provider's meeting once it commits."""
    provider = expert_video_provider(expert_id=booking.expert_id)
    if provider == JITSI:
        return
    outbox_enqueue(
        app_label="bookings",
        handler="bookings.tasks.provision_video_room",
        payload={"booking_id": booking.pk, "provider": provider},
        dedupe_key=f"booking-{booking.pk}-video-{provider}",
    )


def _meeting(booking: Booking) -> MeetingRequest:
    # The topic is what Zoom and Google show inside the meeting: no names or email addresses.
    return MeetingRequest(
        ref=booking.reference, topic=f"TapTime session {booking.pk}", start=booking.start, end=booking.end
    )


def _may_swap_room(booking: Booking | None, now: datetime) -> bool:
    return (
        booking is not None
        and booking.status == Booking.Status.CONFIRMED
        and booking.video_provider in ("", JITSI)
        and now < booking.join_opens_at
    )


def video_room_provision(*, booking_id: int, provider: str) -> bool:
    """Outbox handler: make the booking's meeting on ``provider`` and swap it in. True when it did.

    Raises ``VideoProviderError`` only when a later attempt may succeed (the outbox retries).
    """
    booking = Booking.objects.filter(pk=booking_id).first()
    if not _may_swap_room(booking, timezone.now()):
        return False
    try:
        adapter = provider_by_name(provider)
    except ValueError:
        logger.warning("Booking %s keeps its Jitsi room: %s is not configured any more", booking_id, provider)
        return False
    meeting = _meeting(booking)
    try:
        room = adapter.create_meeting(meeting)
    except VideoProviderError as error:
        if error.retryable:
            raise
        logger.error("Booking %s keeps its Jitsi room: %s refused the meeting (%s)", booking_id, provider, error)
        return False
    with locked_transaction():
        locked = Booking.objects.select_for_update().filter(pk=booking_id).first()
        if _may_swap_room(locked, timezone.now()):
            locked.video_url, locked.video_provider, locked.video_meeting_id = room.url, provider, room.room_id
            locked.save(update_fields=["video_url", "video_provider", "video_meeting_id", "updated_at"])
            if (locked.start, locked.end) != (meeting.start, meeting.end):
                _sync_enqueue(locked, event="moved-while-provisioning")  # moved while the meeting was made
            return True
    _delete_quietly(adapter, room, booking_id)
    return False


def _delete_quietly(adapter, room: Room, booking_id: int) -> None:
    """A meeting nobody will use (the booking was cancelled, or its room opened, while it was made)."""
    try:
        adapter.delete_meeting(room.room_id)
    except VideoProviderError as error:
        logger.warning(
            "Unused %s meeting %s of booking %s not deleted: %s", room.provider, room.room_id, booking_id, error
        )


def _sync_enqueue(booking: Booking, *, event: str) -> None:
    outbox_enqueue(
        app_label="bookings",
        handler="bookings.tasks.sync_video_room",
        payload={"booking_id": booking.pk},
        dedupe_key=f"booking-{booking.pk}-video-sync-{event}-{booking.ics_sequence}",
    )


def video_room_changed(*, booking: Booking, event: str) -> None:
    """Inside a cancellation's or a move's transaction (``booking_changed``): queue the meeting's update."""
    if event in ("cancelled", "rescheduled") and booking.video_meeting_id and booking.video_provider not in ("", JITSI):
        _sync_enqueue(booking, event=event)


def video_room_sync(*, booking_id: int) -> str:
    """Outbox handler: delete the meeting of a cancelled session, move the meeting of a moved one.

    Reads the booking as it is now, so a late or repeated run does the right thing. Returns what it
    did ("deleted", "updated" or "nothing"); raises ``VideoProviderError`` when a retry may help.
    """
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None or not booking.video_meeting_id or booking.video_provider in ("", JITSI):
        return "nothing"
    try:
        adapter = provider_by_name(booking.video_provider)
    except ValueError:
        logger.warning(
            "Booking %s: %s is not configured, its meeting is left as it is", booking_id, booking.video_provider
        )
        return "nothing"
    try:
        if booking.status in CANCELLED:
            adapter.delete_meeting(booking.video_meeting_id)
            return "deleted"
        if booking.status == Booking.Status.CONFIRMED:
            adapter.update_meeting(booking.video_meeting_id, _meeting(booking))
            return "updated"
    except VideoProviderError as error:
        if error.retryable:
            raise
        logger.error("Booking %s: %s refused the meeting's update (%s)", booking_id, booking.video_provider, error)
    return "nothing"


def video_join_url(*, booking: Booking, user) -> str:
    """Where this participant of a joinable booking goes: their own link on the booking's provider.

    Jitsi: the room, with a per-participant JWT when tokens are configured. Zoom: the ``join_url``;
    for the expert, a fresh ``start_url`` (host) when Zoom answers, else the ``join_url``. Meet: the
    meeting link. A remote room whose provider lost its credentials still opens (its link needs none).
    """
    name = booking.video_provider or JITSI
    expert = user.pk == booking.expert_id
    try:
        provider = provider_by_name(name)
    except ValueError:
        if name == JITSI:
            raise
        return booking.video_url
    if name == JITSI:
        room = provider.room_from_url(booking.video_url)
    else:
        room = Room(url=booking.video_url, provider=name, room_id=booking.video_meeting_id)
    if expert and hasattr(provider, "host_url"):
        try:
            return provider.host_url(booking.video_meeting_id)
        except VideoProviderError as error:
            logger.warning(
                "Booking %s: no host link from %s (%s); the expert joins as a guest", booking.pk, name, error
            )
    return provider.join_url(
        room, display_name=user.full_name or user.email, email=user.email, moderator=expert, expires=booking.end
    )
