"""Session reminders: planned with the session, sent once when due (two jobs at once, a worker killed
mid-run), never for a cancelled or moved session, re-planned after a move, in each person's language and
zone; the channel choices and the dashboards' notice."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

import bookings.services.reminders as reminder_service
from bookings.models import Booking, Reminder
from bookings.services import booking_cancel, booking_reschedule
from bookings.services.reminders import reminders_due_query, reminders_send_due
from core.models import OutboxMessage
from core.outbox import outbox_drain
from notifications.models import NotificationPreference
from tests.builders import bookable_expert, confirmed_booking, session_type_of
from tests.concurrency import in_own_connection
from tests.factories import UserFactory

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)  # a Monday
SLOT = datetime(2026, 6, 3, 8, tzinfo=UTC)  # Wednesday 10:00 in Berlin
HOUR = timedelta(hours=1)
DAY_BEFORE = SLOT - timedelta(hours=24)


@pytest.fixture
def booking(db):
    learner = UserFactory(full_name="Grace Hopper", time_zone="America/New_York", preferred_language="es")
    expert = bookable_expert().profile.user
    return confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)


def reminder_messages():
    return OutboxMessage.objects.filter(handler="bookings.tasks.send_booking_reminder")


def deliver(mailoutbox, *, at=None):
    """Run everything in the outbox (the email handlers check the clock themselves); returns the reminder
    emails by recipient (the confirmations and cancellations carry a calendar file, reminders do not)."""
    mailoutbox.clear()
    outbox_drain(now=datetime(2100, 1, 1, tzinfo=UTC))
    return {message.to[0]: message for message in mailoutbox if not message.attachments}


def test_confirming_plans_both_reminders_and_a_late_booking_only_the_one_still_ahead(booking):
    plans = {r.kind: (r.due_at, r.status) for r in Reminder.objects.filter(booking=booking)}
    assert plans == {"24h": (DAY_BEFORE, "planned"), "1h": (SLOT - HOUR, "planned")}
    soon = confirmed_booking(
        learner=UserFactory(), session_type=booking.session_type, start=SLOT + 2 * HOUR, now=SLOT - 13 * HOUR
    )
    assert dict(Reminder.objects.filter(booking=soon).values_list("kind", "status")) == {
        "24h": "skipped",
        "1h": "planned",
    }


def test_a_due_reminder_goes_to_both_once_in_their_language_and_zone(booking, mailoutbox, monkeypatch):
    monkeypatch.setattr("bookings.services.emails.timezone.now", lambda: DAY_BEFORE + timedelta(minutes=2))
    assert reminders_send_due(now=DAY_BEFORE - timedelta(minutes=1)) == 0  # not due yet
    assert reminders_send_due(now=DAY_BEFORE + timedelta(minutes=2)) == 1
    assert reminders_send_due(now=DAY_BEFORE + timedelta(minutes=3)) == 0  # once
    assert reminder_messages().count() == 2
    sent = deliver(mailoutbox, at=DAY_BEFORE)
    learner_mail, expert_mail = sent[booking.learner.email], sent[booking.expert.email]
    assert "Tu sesión de 60 minutos con" in learner_mail.body and "(America/New_York)" in learner_mail.body
    assert f"/bookings/{booking.pk}/join/" in learner_mail.body and not learner_mail.attachments
    assert "is in 24 hours" in expert_mail.body and "10:00 – 11:00 (Europe/Berlin)" in expert_mail.body
    assert Reminder.objects.get(booking=booking, kind="24h").status == "sent"


def test_a_reminder_is_not_sent_for_a_cancelled_session(booking, mailoutbox):
    booking_cancel(booking=booking, by=booking.learner, now=NOW)
    assert reminders_send_due(now=DAY_BEFORE + timedelta(minutes=1)) == 0
    assert not reminder_messages().exists()
    assert Reminder.objects.get(booking=booking, kind="24h").status == "skipped"


def test_a_cancellation_after_the_job_handed_it_over_still_stops_the_email(booking, mailoutbox, monkeypatch):
    monkeypatch.setattr("bookings.services.emails.timezone.now", lambda: DAY_BEFORE + timedelta(minutes=2))
    reminders_send_due(now=DAY_BEFORE + timedelta(minutes=1))
    booking_cancel(booking=booking, by=booking.learner, now=DAY_BEFORE + timedelta(minutes=1), refunded=True)
    assert deliver(mailoutbox, at=DAY_BEFORE) == {} or all("Reminder" not in message.subject for message in mailoutbox)


def test_a_move_replans_and_the_old_times_reminders_never_go_out(booking, mailoutbox, monkeypatch):
    moved = booking_reschedule(booking=booking, by=booking.learner, start=SLOT + timedelta(days=2), now=NOW)
    plans = {r.kind: (r.planned_start, r.due_at, r.status) for r in Reminder.objects.filter(booking=booking)}
    assert plans["24h"] == (moved.start, moved.start - timedelta(hours=24), "planned")
    assert Reminder.objects.filter(booking=booking).count() == 2  # re-armed, not added
    assert reminders_send_due(now=DAY_BEFORE + timedelta(minutes=1)) == 0  # the old time's moment
    new_due = moved.start - timedelta(hours=24)
    monkeypatch.setattr("bookings.services.emails.timezone.now", lambda: new_due + timedelta(minutes=2))
    assert reminders_send_due(now=new_due + timedelta(minutes=1)) == 1
    assert len(deliver(mailoutbox, at=new_due)) == 2


def test_a_stale_handover_from_before_a_move_sends_nothing(booking, mailoutbox, monkeypatch):
    monkeypatch.setattr("bookings.services.emails.timezone.now", lambda: DAY_BEFORE + timedelta(minutes=2))
    reminders_send_due(now=DAY_BEFORE + timedelta(minutes=1))  # handed to the outbox for 10:00
    Booking.objects.filter(pk=booking.pk).update(start=SLOT + HOUR, end=SLOT + 2 * HOUR)  # moved meanwhile
    assert deliver(mailoutbox, at=DAY_BEFORE) == {}


def test_a_worker_killed_mid_run_leaves_it_planned_and_the_next_run_sends_it_once(booking, monkeypatch):
    real = reminder_service.outbox_enqueue
    calls = []

    def dies_after_the_first_message(**kwargs):
        real(**kwargs)
        calls.append(kwargs)
        raise SystemExit("worker killed")

    monkeypatch.setattr(reminder_service, "outbox_enqueue", dies_after_the_first_message)
    with pytest.raises(SystemExit):
        reminders_send_due(now=DAY_BEFORE + timedelta(minutes=1))
    assert Reminder.objects.get(booking=booking, kind="24h").status == "planned"
    assert not reminder_messages().exists()  # rolled back with the run
    monkeypatch.undo()
    assert reminders_send_due(now=DAY_BEFORE + timedelta(minutes=1)) == 1
    assert reminder_messages().count() == 2


def test_too_late_is_not_sent_and_not_even_read(booking):
    late = DAY_BEFORE + reminder_service.REMINDER_LATEST + timedelta(minutes=1)
    assert not reminders_due_query(now=late).filter(kind="24h").exists()
    assert reminders_send_due(now=late) == 0


def test_someone_who_switched_email_reminders_off_gets_none(booking, mailoutbox, monkeypatch):
    NotificationPreference.objects.create(user=booking.learner, reminder_email=False)
    monkeypatch.setattr("bookings.services.emails.timezone.now", lambda: DAY_BEFORE + timedelta(minutes=2))
    reminders_send_due(now=DAY_BEFORE + timedelta(minutes=1))
    assert set(deliver(mailoutbox, at=DAY_BEFORE)) == {booking.expert.email}


def test_the_scan_is_one_query_whatever_it_finds(booking, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(reminders_due_query(now=DAY_BEFORE + timedelta(minutes=1)))


# --- two jobs at once --------------------------------------------------------------------------


@pytest.fixture
def committed(db):
    def make():
        expert = bookable_expert().profile.user
        learners = UserFactory.create_batch(6)
        bookings = [
            confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT + index * HOUR, now=NOW)
            for index, learner in enumerate(learners)
        ]
        return expert, learners, bookings

    expert, learners, bookings = in_own_connection(make)
    yield bookings

    def clean():
        OutboxMessage.objects.filter(dedupe_key__startswith="booking-").delete()
        OutboxMessage.objects.filter(dedupe_key__startswith="reminder-").delete()
        Booking.objects.filter(expert=expert).delete()
        expert.expert_profile.delete()
        for user in (expert, *learners):
            user.emailaddress_set.all().delete()
            user.delete()

    in_own_connection(clean)


@pytest.mark.race
def test_two_jobs_at_once_send_each_reminder_once(committed, monkeypatch):
    # Every 24-hour reminder is due (the window widened so that all six are in it at once).
    monkeypatch.setattr(reminder_service, "REMINDER_LATEST", timedelta(hours=7))
    at = SLOT + 5 * HOUR - timedelta(hours=24) + timedelta(minutes=1)
    barrier = threading.Barrier(4)
    counts, errors = [], []

    def job():
        try:
            barrier.wait()
            counts.append(reminders_send_due(now=at))
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and sum(counts) == len(committed)
    assert reminder_messages().count() == 2 * len(committed)
    assert Reminder.objects.filter(kind="24h", status="sent", booking__in=committed).count() == len(committed)


# --- channel choices and the dashboards' notice --------------------------------------------------


@pytest.mark.django_db
def test_the_settings_page_saves_the_reminder_channels(client):
    user = UserFactory(time_zone="Europe/Berlin")
    client.force_login(user)
    page = client.get(reverse("account_settings")).content.decode()
    assert "Session reminders" in page and 'name="reminders-reminder_email"' in page and "checked" in page
    fields = {"full_name": "Ada L", "time_zone": "Europe/Berlin", "preferred_language": "en"}
    response = client.post(reverse("account_settings"), {**fields, "reminders-reminder_in_app": "on"})
    assert response.status_code == 302
    chosen = NotificationPreference.objects.get(user=user)
    assert (chosen.reminder_email, chosen.reminder_in_app) == (False, True)


@pytest.mark.django_db
def test_the_dashboards_show_sessions_starting_within_a_day_unless_switched_off(client, ada):
    learner = UserFactory(full_name="Grace Hopper")
    soon = Booking.objects.create(
        learner=learner,
        expert=ada.user,
        start=timezone.now() + 3 * HOUR,
        end=timezone.now() + 4 * HOUR,
        status=Booking.Status.CONFIRMED,
        amount_minor=8000,
        currency="EUR",
    )
    client.force_login(learner)
    html = client.get(reverse("learner_dashboard")).content.decode()
    assert "Starting soon" in html and "Your session with Ada Lovelace" in html
    client.force_login(ada.user)
    assert "Your session with Grace Hopper" in client.get(reverse("expert_dashboard")).content.decode()
    NotificationPreference.objects.create(user=learner, reminder_in_app=False)
    client.force_login(learner)
    assert "Starting soon" not in client.get(reverse("learner_dashboard")).content.decode()
    assert soon.pk
