"""A worker killed inside an outbox handler loses nothing: the next drain sends the email, once.

A real ``manage.py outbox_drain`` subprocess claims the two confirmation
emails of a committed booking and is SIGKILLed while its first handler is
sending (the test's email backend hangs there after writing a marker file).
No email has gone out. After the claim's lease a second drain sends both,
one each; a third sends nothing.
"""

import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import connection

from bookings.models import Booking
from bookings.services import booking_confirm
from core.models import OutboxMessage
from tests.builders import bookable_expert, held_booking
from tests.concurrency import in_own_connection
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def committed_booking(settings):
    settings.OUTBOX_NUDGE = False  # only the worker subprocesses drain

    def make():
        session_type = bookable_expert()
        learner = UserFactory()
        booking = held_booking(learner=learner, session_type=session_type, start=next_monday_nine_berlin())
        return booking_confirm(booking=booking)

    booking = in_own_connection(make)
    yield booking

    def clean():
        OutboxMessage.objects.filter(dedupe_key__startswith=f"booking-{booking.pk}-").delete()
        Booking.objects.filter(pk=booking.pk).delete()
        booking.expert.expert_profile.delete()
        for user in (booking.learner, booking.expert):
            user.emailaddress_set.all().delete()
            user.delete()

    in_own_connection(clean)


def drain(mail: Path, *, block: Path | None = None) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.outbox_crash_settings",
        "OUTBOX_CRASH_DB": connection.settings_dict["NAME"],
        "OUTBOX_CRASH_MAIL": str(mail),
    }
    env.pop("OUTBOX_CRASH_BLOCK", None)
    if block is not None:
        env["OUTBOX_CRASH_BLOCK"] = str(block)
    return subprocess.Popen(
        [sys.executable, "manage.py", "outbox_drain"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def recipients(mail: Path) -> list[str]:
    found = []
    for path in mail.iterdir():
        # The file backend writes each message followed by a line of dashes.
        for raw in path.read_bytes().split(b"-" * 79):
            if raw.strip():
                found.append(message_from_bytes(raw.strip()).get("To"))
    return sorted(found)


def test_a_worker_killed_mid_email_loses_nothing_and_sends_once(committed_booking, tmp_path):
    booking = committed_booking
    mail, marker = tmp_path / "mail", tmp_path / "inside-handler"
    mail.mkdir()

    worker = drain(mail, block=marker)
    deadline = time.monotonic() + 90
    while not marker.exists():
        assert worker.poll() is None, worker.stdout.read().decode()
        assert time.monotonic() < deadline, "the worker never reached the handler"
        time.sleep(0.1)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(30)
    assert worker.returncode == -signal.SIGKILL
    assert recipients(mail) == []  # killed before anything was delivered
    pending = OutboxMessage.objects.filter(dedupe_key__startswith=f"booking-{booking.pk}-confirmed-")
    assert sorted(pending.values_list("status", "attempts")) == [("pending", 1), ("pending", 1)]

    time.sleep(2.5)  # the killed worker's lease (OUTBOX_LEASE_SECONDS=2 in the worker settings)
    second = drain(mail)
    assert second.wait(90) == 0, second.stdout.read().decode()
    assert recipients(mail) == sorted([booking.learner.email, booking.expert.email])

    third = drain(mail)
    assert third.wait(90) == 0
    assert recipients(mail) == sorted([booking.learner.email, booking.expert.email])  # once each, not again
    assert set(pending.values_list("status", flat=True)) == {"done"}
