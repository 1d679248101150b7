"""The outbox: written with the change, run once per dedupe key, retried until it works."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bookings.services import booking_cancel, booking_confirm
from core.models import OutboxMessage
from core.outbox import _claim, outbox_drain, outbox_enqueue, outbox_purge
from tests.builders import bookable_expert, held_booking
from tests.core import outbox_handlers
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = pytest.mark.django_db

RECORD = "tests.core.outbox_handlers.record"
EXPLODE = "tests.core.outbox_handlers.explode"


@pytest.fixture(autouse=True)
def calls(settings):
    settings.OUTBOX_NUDGE = False  # these tests drain by hand
    outbox_handlers.CALLS.clear()
    yield outbox_handlers.CALLS
    outbox_handlers.CALLS.clear()


def enqueue(key="k1", handler=RECORD, **payload):
    outbox_enqueue(app_label="tests", handler=handler, payload=payload or {"n": 1}, dedupe_key=key)


def test_a_message_runs_once_and_the_same_key_is_one_message(calls):
    enqueue("k1", n=1)
    enqueue("k1", n=2)  # the same work asked for again: nothing new
    assert OutboxMessage.objects.count() == 1
    assert outbox_drain().done == 1
    assert outbox_drain().done == 0
    assert calls == [("record", {"n": 1})]
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.DONE, 1)


@pytest.mark.parametrize(("seconds", "waits"), [(900, 900), (10, 60), (10**9, 86400), ("soon", 60)])
def test_a_failure_that_says_how_long_to_wait_is_not_retried_sooner(calls, seconds, waits):
    """The back-off (one minute after the first failure), or the failure's own ``retry_after`` if longer (at
    most a day); a value that is not a number is ignored."""
    enqueue("k-wait", handler="tests.core.outbox_handlers.rate_limited", seconds=seconds)
    before = timezone.now()
    assert outbox_drain(now=before).retried == 1
    due = OutboxMessage.objects.get().next_attempt_at
    assert before + timedelta(seconds=waits) <= due <= timezone.now() + timedelta(seconds=waits)


def test_nothing_is_written_for_a_change_that_rolls_back(calls):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("k2")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


def test_a_failing_handler_is_retried_with_back_off_then_given_up(settings, calls):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    enqueue("k3", handler=EXPLODE)
    now = timezone.now()
    assert outbox_drain(now=now).retried == 1
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.PENDING and "mail server is down" in message.last_error
    assert outbox_drain(now=now).retried == 0  # not before its back-off
    assert outbox_drain(now=now + timedelta(minutes=5)).retried == 1
    assert outbox_drain(now=now + timedelta(minutes=30)).failed == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 3)
    assert outbox_drain(now=now + timedelta(days=1)) == outbox_drain(now=now)  # a failed one is left for staff
    assert len(calls) == 3


def test_a_claimed_message_is_run_again_only_after_its_lease(settings, calls):
    settings.OUTBOX_LEASE_SECONDS = 300
    enqueue("k4")
    now = timezone.now()
    # A worker claims it and dies before running it: the claim is committed, the run never happens.
    assert len(_claim(now=now, limit=10)) == 1
    assert outbox_drain(now=now + timedelta(seconds=299)).done == 0
    assert outbox_drain(now=now + timedelta(seconds=301)).done == 1
    assert calls == [("record", {"n": 1})]
    assert OutboxMessage.objects.get().attempts == 2


def test_delivered_messages_are_forgotten_after_the_keep_period(settings):
    settings.OUTBOX_KEEP_DAYS = 30
    enqueue("old")
    enqueue("new")
    outbox_drain()
    OutboxMessage.objects.filter(dedupe_key="old").update(done_at=timezone.now() - timedelta(days=31))
    assert outbox_purge() == 1
    assert list(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["new"]


def test_confirming_and_cancelling_write_one_email_message_per_participant(mailoutbox):
    session_type = bookable_expert()
    learner = UserFactory()
    booking = booking_confirm(
        booking=held_booking(learner=learner, session_type=session_type, start=next_monday_nine_berlin())
    )
    booking_confirm(booking=booking)  # a replayed confirmation asks for nothing more
    keys = sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    assert keys == [f"booking-{booking.pk}-confirmed-expert", f"booking-{booking.pk}-confirmed-learner"]
    assert outbox_drain().done == 2
    assert sorted(message.to[0] for message in mailoutbox) == sorted([learner.email, booking.expert.email])
    booking_cancel(booking=booking, by=learner, now=timezone.now())
    assert outbox_drain().done == 2 and len(mailoutbox) == 4
