"""What bookings does when the catalogue changes (the expert's next free time may have moved) and when
someone can newly get text-message reminders (their booked sessions are planned a text).

The catalogue (``marketplace``) sits below bookings and never calls it; bookings
listens to the catalogue's model signals instead. A session type added, changed
or removed can move the next free time (the shortest active session decides
it), and so can a profile saved in full (the admin's edit of status or time
zone). A refresh is queued for when the change commits.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from marketplace.models import ExpertProfile, SessionType
from notifications.signals import sms_reminders_enabled

from .services.connected_calendars import connected_calendars_booking_changed
from .services.next_free import expert_next_available_refresh_on_commit
from .services.reminders import reminders_plan_texts_for
from .services.video_rooms import video_room_changed
from .signals import booking_changed

# Profile fields that move the next free time; a save listing none of them (the
# price-from and next-free bookkeeping themselves) changes nothing here. The
# scheduling policy is written by bookings' own service, which refreshes itself.
_PROFILE_FIELDS_THAT_MOVE_IT = frozenset({"status", "time_zone"})


def session_type_changed_receive(sender, instance: SessionType, **kwargs) -> None:
    try:
        user_id = instance.profile.user_id
    except ExpertProfile.DoesNotExist:
        return  # the whole profile is being deleted: nothing left to refresh
    expert_next_available_refresh_on_commit(user_ids=[user_id])


def expert_profile_saved_receive(sender, instance: ExpertProfile, created=False, update_fields=None, **kwargs) -> None:
    if created:
        return  # a new profile has no session types yet: its next free time is none
    if update_fields is None or _PROFILE_FIELDS_THAT_MOVE_IT.intersection(update_fields):
        expert_next_available_refresh_on_commit(user_ids=[instance.user_id])


def booking_changed_receive(sender, booking, event: str, **kwargs) -> None:
    """A cancelled or moved session's Zoom or Meet meeting follows it, and the expert's connected calendars
    follow every confirmation, move and cancellation (each queued in the same transaction)."""
    video_room_changed(booking=booking, event=event)
    connected_calendars_booking_changed(booking=booking, event=event)


def sms_reminders_enabled_receive(sender, user_id: int, **kwargs) -> None:
    """Someone verified a number with texts on, or switched texts on: their booked sessions get a text too."""
    reminders_plan_texts_for(user_id=user_id, now=timezone.now())


def connect() -> None:
    booking_changed.connect(booking_changed_receive, dispatch_uid="bookings_video_room_changed")
    sms_reminders_enabled.connect(sms_reminders_enabled_receive, dispatch_uid="bookings_sms_reminders_enabled")
    post_save.connect(session_type_changed_receive, sender=SessionType, dispatch_uid="bookings_session_type_saved")
    post_delete.connect(session_type_changed_receive, sender=SessionType, dispatch_uid="bookings_session_type_deleted")
    post_save.connect(expert_profile_saved_receive, sender=ExpertProfile, dispatch_uid="bookings_profile_saved")
