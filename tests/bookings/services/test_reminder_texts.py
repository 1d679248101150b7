"""The text-message reminder: planned only for sessions where someone gets texts, sent once 1 hour before
to each such participant in their language and zone with the join link, never for a cancelled or moved
session, re-planned after a move, and planned for what is already booked when someone switches texts on.
Twilio is mocked at the HTTP boundary with its real answers (see tests/notifications/test_sms.py)."""

from datetime import UTC, datetime, timedelta

import pytest
import responses

from bookings.models import Reminder
from bookings.services import booking_cancel, booking_reschedule
from bookings.services.reminder_texts import reminder_text
from bookings.services.reminders import reminders_send_due
from core.models import OutboxMessage
from core.outbox import outbox_drain
from notifications.models import NotificationPreference, PhoneNumber, SmsDelivery
from notifications.services import notification_preferences_set
from notifications.sms import sms_fits_one
from tests.builders import bookable_expert, confirmed_booking, session_type_of
from tests.factories import UserFactory

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)
SLOT = datetime(2026, 6, 3, 8, tzinfo=UTC)  # 10:00 in Berlin, 04:00 in New York
HOUR = timedelta(hours=1)
HOUR_BEFORE = SLOT - HOUR
LEARNER_MOBILE = "+4915123456789"
TWILIO_URL = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json"


def texts_on(user, number=LEARNER_MOBILE):
    PhoneNumber.objects.create(user=user, number=number, verified_at=NOW - timedelta(days=3))
    NotificationPreference.objects.update_or_create(user=user, defaults={"reminder_sms": True})


@pytest.fixture
def learner(db):
    return UserFactory(full_name="Grace Hopper", time_zone="America/New_York", preferred_language="es")


@pytest.fixture
def expert(db):
    return bookable_expert().profile.user


@pytest.fixture
def texted_booking(learner, expert):
    texts_on(learner)
    return confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)


@pytest.fixture
def clock(monkeypatch):
    """The handlers read the clock themselves: pin it just after the text is due."""
    at = {"now": HOUR_BEFORE + timedelta(minutes=2)}
    monkeypatch.setattr("bookings.services.reminder_texts.timezone.now", lambda: at["now"])
    return at


def deliver():
    outbox_drain(now=datetime(2100, 1, 1, tzinfo=UTC))


def sms_rows(booking):
    return Reminder.objects.filter(booking=booking, channel="sms")


def test_no_text_reminder_is_planned_when_nobody_gets_texts(learner, expert):
    booking = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
    assert not sms_rows(booking).exists()
    PhoneNumber.objects.create(user=learner, number=LEARNER_MOBILE)  # a number, but not verified
    NotificationPreference.objects.create(user=learner, reminder_sms=True)
    again = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT + 3 * HOUR, now=NOW)
    assert not sms_rows(again).exists()


def test_the_job_run_twice_sends_exactly_one_text_in_the_persons_language_and_zone(
    texted_booking, clock, sms_outbox, mailoutbox
):
    assert list(sms_rows(texted_booking).values_list("kind", "due_at", "status")) == [("1h", HOUR_BEFORE, "planned")]
    assert reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1)) == 2  # the 1-hour email and the text
    assert reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1)) == 0
    assert OutboxMessage.objects.filter(handler="bookings.tasks.send_booking_reminder_sms").count() == 1
    deliver()
    deliver()
    assert len(sms_outbox) == 1
    text = sms_outbox[0]
    assert text["to"] == LEARNER_MOBILE
    assert text["body"] == (
        f"TapTime: tu cita con {texted_booking.expert.full_name} empieza a las 04:00 (America/New_York). "
        f"Entrar: http://testserver/bookings/{texted_booking.pk}/join/"
    )
    assert sms_fits_one(text["body"])
    assert SmsDelivery.objects.get(user=texted_booking.learner).status == "sent"


def test_no_text_for_a_cancelled_session(texted_booking, clock, sms_outbox):
    booking_cancel(booking=texted_booking, by=texted_booking.learner, now=NOW)
    assert reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1)) == 0
    deliver()
    assert sms_outbox == [] and sms_rows(texted_booking).get().status == "skipped"


def test_a_cancellation_after_the_handover_still_stops_the_text(texted_booking, clock, sms_outbox):
    reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1))
    booking_cancel(booking=texted_booking, by=texted_booking.learner, now=HOUR_BEFORE, refunded=True)
    deliver()
    assert sms_outbox == []


def test_a_move_replans_the_text_and_the_old_time_sends_none(texted_booking, clock, sms_outbox):
    moved = booking_reschedule(
        booking=texted_booking, by=texted_booking.learner, start=SLOT + timedelta(days=2), now=NOW
    )
    assert list(sms_rows(texted_booking).values_list("planned_start", "due_at", "status")) == [
        (moved.start, moved.start - HOUR, "planned")
    ]
    assert reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1)) == 0
    deliver()
    assert sms_outbox == []
    clock["now"] = moved.start - HOUR + timedelta(minutes=2)
    assert reminders_send_due(now=moved.start - HOUR + timedelta(minutes=1)) == 2
    deliver()
    assert len(sms_outbox) == 1 and "04:00" in sms_outbox[0]["body"]


def test_switching_texts_on_plans_them_for_sessions_already_booked(
    learner, expert, clock, sms_outbox, django_capture_on_commit_callbacks
):
    booking = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
    PhoneNumber.objects.create(user=learner, number=LEARNER_MOBILE, verified_at=NOW)
    assert not sms_rows(booking).exists()
    clock["now"] = NOW
    with django_capture_on_commit_callbacks(execute=True):
        notification_preferences_set(user=learner, reminder_email=True, reminder_in_app=True, reminder_sms=True)
    assert list(sms_rows(booking).values_list("status", flat=True)) == ["planned"]
    clock["now"] = HOUR_BEFORE + timedelta(minutes=2)
    reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1))
    deliver()
    assert [text["to"] for text in sms_outbox] == [LEARNER_MOBILE]


def test_someone_who_switched_texts_off_after_planning_gets_none(texted_booking, clock, sms_outbox):
    NotificationPreference.objects.filter(user=texted_booking.learner).update(reminder_sms=False)
    assert reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1)) == 1  # the email only
    deliver()
    assert sms_outbox == [] and sms_rows(texted_booking).get().status == "skipped"


def test_a_text_switched_off_after_the_handover_is_not_sent(texted_booking, clock, sms_outbox):
    reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1))
    PhoneNumber.objects.filter(user=texted_booking.learner).update(verified_at=None)  # number changed meanwhile
    deliver()
    assert sms_outbox == []


@pytest.fixture
def twilio(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
    settings.TWILIO_AUTH_TOKEN = "secret-token"
    settings.TWILIO_FROM = "+15557122661"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    with responses.RequestsMock() as mocked:
        yield mocked


def test_a_number_twilio_refuses_for_good_is_recorded_unverified_and_not_retried(texted_booking, clock, twilio):
    twilio.add(
        responses.POST,
        TWILIO_URL,
        status=400,
        json={
            "code": 21614,
            "message": "'To' number is not a valid mobile number",
            "more_info": "https://www.twilio.com/docs/errors/21614",
            "status": 400,
        },
    )
    reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1))
    deliver()
    message = OutboxMessage.objects.get(handler="bookings.tasks.send_booking_reminder_sms")
    assert message.status == "done" and message.attempts == 1
    phone = PhoneNumber.objects.get(user=texted_booking.learner)
    assert not phone.is_verified and phone.failure_code == "21614"
    assert SmsDelivery.objects.get(user=texted_booking.learner).error_code == "21614"


def test_twilio_down_leaves_the_text_to_be_tried_again(texted_booking, clock, twilio):
    twilio.add(
        responses.POST,
        TWILIO_URL,
        status=503,
        json={"code": 20503, "message": "Service Unavailable", "more_info": "", "status": 503},
    )
    reminders_send_due(now=HOUR_BEFORE + timedelta(minutes=1))
    deliver()
    message = OutboxMessage.objects.get(handler="bookings.tasks.send_booking_reminder_sms")
    assert message.status == "pending" and "SmsUnavailable" in message.last_error
    assert PhoneNumber.objects.get(user=texted_booking.learner).is_verified


def test_a_long_name_is_shortened_so_the_text_fits_one_sms(learner, expert):
    expert.full_name = "Maximiliane Konstanze Wilhelmine von Hohenzollern-Sigmaringen"
    expert.save()
    booking = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
    booking.learner.preferred_language = "en"
    body = reminder_text(booking=booking, role="learner")
    assert sms_fits_one(body) and "Maximiliane" in body and "Hohenzollern" not in body
    assert body.endswith(f"/bookings/{booking.pk}/join/")
    booking.learner.preferred_language = "es"  # the Spanish wording keeps to GSM-7 too
    assert sms_fits_one(reminder_text(booking=booking, role="learner"))


def test_a_name_outside_gsm_is_left_out_so_the_text_stays_one_sms(learner, expert):
    expert.full_name = "Zoë Ångström-Ødegård Łukasiewicz"
    expert.save()
    booking = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
    body = reminder_text(booking=booking, role="learner")
    # With the name the text would be UCS-2 (70 characters a segment): without it, one GSM-7 SMS.
    assert "Zoë" not in body and "04:00 (America/New_York)" in body and sms_fits_one(body)
    assert body.endswith(f"/bookings/{booking.pk}/join/")
