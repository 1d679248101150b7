"""Threads and messages through the services: relations, text, flags, blocks, rate limits, read receipts,
batched notifications, reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from bookings.errors import MessageError
from bookings.models import Message, MessageReport, Thread
from bookings.services.messages import (
    message_report,
    message_send,
    messaging_questions_set,
    question_ask,
    thread_block,
    thread_for_booking,
    thread_mark_read,
)
from core.models import OutboxMessage
from core.outbox import outbox_drain
from core.text_flags import text_flags
from notifications.models import NotificationPreference, PhoneNumber
from reviews.services import review_flags

pytestmark = pytest.mark.django_db


def test_one_thread_per_pair_whatever_the_bookings(booking, thread):
    assert thread_for_booking(booking=booking).pk == thread.pk
    assert Thread.objects.count() == 1
    with pytest.raises(IntegrityError):
        Thread.objects.create(
            learner=booking.learner, expert=booking.expert, origin="booking", last_message_at=thread.created_at
        )


def test_a_message_counts_unread_for_the_other_side_and_reading_clears_it(thread, learner, expert):
    message_send(thread=thread, sender=learner, text="Hello")
    message_send(thread=thread, sender=learner, text="Are you there?")
    thread.refresh_from_db()
    assert (thread.expert_unread, thread.learner_unread) == (2, 0)
    assert thread.last_message_preview == "Are you there?"
    assert thread.learner_read_at is not None and thread.expert_read_at is None
    thread_mark_read(thread=thread, user=expert)
    thread.refresh_from_db()
    assert thread.expert_unread == 0 and thread.expert_read_at >= Message.objects.latest("pk").created_at


def test_a_stranger_cannot_write_into_a_thread(thread, other_learner, other_expert):
    for outsider in (other_learner, other_expert):
        with pytest.raises(MessageError) as refused:
            message_send(thread=thread, sender=outsider, text="Hi")
        assert refused.value.code == "not_participant"
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), ("   \n ", "empty"), ("x" * 5001, "too_long"), ("bell\x07", "bad_characters")],
)
def test_bad_text_is_refused_with_a_reason(thread, learner, text, code):
    with pytest.raises(MessageError) as refused:
        message_send(thread=thread, sender=learner, text=text)
    assert refused.value.code == code and refused.value.message
    assert not Message.objects.exists()


def test_script_in_text_is_stored_as_text(thread, learner):
    message = message_send(thread=thread, sender=learner, text='<script>alert(1)</script><img src=x onerror="x()">')
    assert message.text.startswith("<script>")  # stored as written; escaped on every display (test_views)


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("Mail me at lena@example.com", "email"),
        ("Call +49 170 1234567", "phone"),
        ("See https://example.com/x", "link"),
        ("Just pay me via PayPal instead", "payment"),
        ("Send it by bank transfer, IBAN follows", "payment"),
        ("Let's talk on WhatsApp", "word"),
    ],
)
def test_contact_details_and_payment_requests_are_flagged_not_blocked(thread, learner, text, flags):
    message = message_send(thread=thread, sender=learner, text=text)
    assert flags in message.flags.split(",")
    thread.refresh_from_db()
    assert thread.needs_moderation and Message.objects.filter(pk=message.pk).exists()


def test_plain_text_is_not_flagged(thread, learner):
    message = message_send(thread=thread, sender=learner, text="Thanks, see you on Monday at nine.")
    thread.refresh_from_db()
    assert message.flags == "" and not thread.needs_moderation


def test_reviews_and_messages_share_one_flagging_code(settings):
    settings.REVIEW_FLAG_WORDS = ["scam"]
    assert (
        review_flags("a scam, write to a@b.co") == text_flags("a scam, write to a@b.co", words=["scam"]) == "email,word"
    )
    # Reviews keep their reasons: a payment request is a message flag only.
    assert review_flags("pay me directly") == "" and text_flags("pay me directly", payment=True) == "payment"


def test_a_blocked_participant_cannot_write_and_bookings_stay(thread, booking, learner, expert):
    thread_block(thread=thread, by=expert, blocked=True)
    with pytest.raises(MessageError) as refused:
        message_send(thread=thread, sender=learner, text="Hello?")
    assert refused.value.code == "blocked"
    # The one who blocked can still write, and the booking is untouched.
    message_send(thread=thread, sender=expert, text="Only to confirm Monday.")
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    thread_block(thread=thread, by=expert, blocked=False)
    message_send(thread=thread, sender=learner, text="Thanks!")


def test_a_flood_is_refused_after_the_per_minute_limit(thread, learner, settings):
    settings.MESSAGES_PER_MINUTE = 5
    for n in range(5):
        message_send(thread=thread, sender=learner, text=f"message {n}")
    with pytest.raises(MessageError) as refused:
        message_send(thread=thread, sender=learner, text="one too many")
    assert refused.value.code == "rate_limited"
    assert Message.objects.count() == 5


def test_a_burst_of_ten_messages_sends_one_email(thread, learner, expert, settings):
    settings.MESSAGE_NOTIFY_BATCH_SECONDS = 600
    now = timezone.now()
    for n in range(10):
        message_send(thread=thread, sender=learner, text=f"part {n}", now=now + timedelta(seconds=n))
    rows = OutboxMessage.objects.filter(handler="bookings.tasks.send_message_notification")
    assert rows.count() == 1
    # Nothing goes out before the batch window closes...
    outbox_drain(now=now + timedelta(seconds=30))
    assert len(mail.outbox) == 0
    # ...then one email for all ten.
    outbox_drain(now=now + timedelta(seconds=601))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [expert.email] and "10" in mail.outbox[0].body
    # A message after the batch went out starts the next batch.
    message_send(thread=thread, sender=learner, text="one more", now=now + timedelta(minutes=20))
    assert rows.count() == 2


def test_nothing_is_sent_when_the_recipient_read_before_the_window_closed(thread, learner, expert):
    now = timezone.now()
    message_send(thread=thread, sender=learner, text="Quick one", now=now)
    thread_mark_read(thread=thread, user=expert)
    outbox_drain(now=now + timedelta(hours=1))
    assert len(mail.outbox) == 0


def test_a_recipient_with_text_messages_on_gets_a_text_instead(thread, learner, expert, sms_outbox):
    PhoneNumber.objects.create(user=expert, number="+491701234567", verified_at=timezone.now())
    NotificationPreference.objects.create(user=expert, reminder_sms=True)
    now = timezone.now()
    message_send(thread=thread, sender=learner, text="Hi", now=now)
    outbox_drain(now=now + timedelta(hours=1))
    assert len(mail.outbox) == 0
    assert len(sms_outbox) == 1 and "1 new message" in sms_outbox[0]["body"]


def test_asking_a_question_starts_a_thread_and_can_be_switched_off(learner, expert, other_learner):
    profile = expert.expert_profile
    message = question_ask(learner=learner, profile=profile, text="Do you teach SQL?")
    assert message.thread.origin == "question" and message.thread.learner == learner
    messaging_questions_set(profile=profile, questions_open=False)
    with pytest.raises(MessageError) as refused:
        question_ask(learner=other_learner, profile=profile, text="And me?")
    assert refused.value.code == "questions_closed"
    # The learner who already has a thread keeps writing in it.
    question_ask(learner=learner, profile=profile, text="One more thing")
    assert Thread.objects.count() == 1


def test_questions_are_rate_limited_per_learner(learner, settings):
    from tests.builders import bookable_expert

    settings.MESSAGE_QUESTIONS_PER_HOUR = 2
    experts = [bookable_expert().profile for _ in range(3)]
    question_ask(learner=learner, profile=experts[0], text="Q1")
    question_ask(learner=learner, profile=experts[1], text="Q2")
    with pytest.raises(MessageError) as refused:
        question_ask(learner=learner, profile=experts[2], text="Q3")
    assert refused.value.code == "rate_limited"


def test_nobody_asks_themselves(expert):
    with pytest.raises(MessageError):
        question_ask(learner=expert, profile=expert.expert_profile, text="Hi me")


def test_a_report_needs_a_reason_and_puts_the_thread_in_the_queue(thread, learner, expert):
    message = message_send(thread=thread, sender=expert, text="Fine words")
    with pytest.raises(MessageError) as refused:
        message_report(message=message, reporter=learner, reason="  ")
    assert refused.value.code == "reason_required"
    with pytest.raises(MessageError):
        message_report(message=message, reporter=expert, reason="my own")
    message_report(message=message, reporter=learner, reason="Rude")
    thread.refresh_from_db()
    assert thread.needs_moderation and MessageReport.objects.count() == 1
    with pytest.raises(MessageError) as again:
        message_report(message=message, reporter=learner, reason="Rude again")
    assert again.value.code == "already_reported"
