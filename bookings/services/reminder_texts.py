"""The text-message reminder: one participant, 1 hour before, in their language and zone, with the join link.

Handed over by ``reminders_send_due`` through the outbox like the email
reminders, and checked again here when it runs: the session must still be
confirmed at the planned time and not begun, and the recipient must still
have a verified number and texts switched on. A refusal by the provider is
recorded by ``notifications`` (a dead number is marked unverified) and not
tried again; an outage is raised, so the outbox tries again with back-off
(and the start check above stops a text that would come too late).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from core.base_url import public_url
from notifications.phones import sms_send
from notifications.services import users_with_sms_reminders
from notifications.sms import SmsRefused, sms_fits_one

from ..models import Booking, Reminder


def reminder_text(*, booking: Booking, role: str) -> str:
    """The reminder's words for one participant; one SMS (160 GSM or 70 other characters) where possible.

    The other person's full name is dropped to their first name, then left
    out, when it would make the text longer than one SMS.
    """
    if role == "learner":
        user, zone, other = booking.learner, booking.learner_zone, booking.expert
    else:
        user, zone, other = booking.expert, booking.expert_zone, booking.learner
    join = public_url(reverse("booking_join", kwargs={"pk": booking.pk}))
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        time = date_format(timezone.localtime(booking.start, ZoneInfo(zone)), "H:i")
        facts = {"time": time, "zone": zone, "url": join}
        bodies = [
            _("TapTime: your session with %(name)s starts at %(time)s (%(zone)s). Join: %(url)s")
            % {**facts, "name": name}
            for name in dict.fromkeys(filter(None, (other.full_name, other.first_name)))
        ]
        bodies.append(_("TapTime: your session starts at %(time)s (%(zone)s). Join: %(url)s") % facts)
    # None fits (a name or language outside GSM-7 makes every variant UCS-2): the full text, in segments.
    return next((body for body in bodies if sms_fits_one(body)), bodies[0])


def booking_reminder_sms_send(*, reminder_id: int, role: str, planned_start: int) -> int:
    """Text one participant their reminder; returns how many texts went out (0 or 1)."""
    if role not in ("learner", "expert"):
        return 0
    reminder = Reminder.objects.filter(pk=reminder_id, channel=Reminder.Channel.SMS).first()
    booking = (
        Booking.objects.select_related("learner", "expert__expert_profile")
        .filter(pk=reminder.booking_id, status=Booking.Status.CONFIRMED)
        .first()
        if reminder is not None
        else None
    )
    if booking is None or int(booking.start.timestamp()) != planned_start or booking.start <= timezone.now():
        return 0
    recipient = booking.learner if role == "learner" else booking.expert
    number = users_with_sms_reminders(user_ids=[recipient.pk]).get(recipient.pk)
    if number is None:
        return 0
    try:
        sms_send(user=recipient, to=number, body=reminder_text(booking=booking, role=role), purpose="session_reminder")
    except SmsRefused:
        return 0
    return 1
