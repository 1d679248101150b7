import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django_q.models import Schedule

from marketplace.models import Booking
from marketplace.tasks import expire_holds
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("marketplace.migrations.0007_expire_holds_schedule")


def test_the_expiry_job_is_scheduled_every_minute_exactly_once():
    Schedule.objects.filter(name=migration.NAME).delete()  # a transactional test may have flushed it already
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)  # a second run changes nothing
    (schedule,) = Schedule.objects.filter(func="marketplace.tasks.expire_holds")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)
    # The function the schedule names exists and is the task.
    module, _, name = schedule.func.rpartition(".")
    assert getattr(importlib.import_module(module), name) is expire_holds


def test_the_job_frees_only_lapsed_holds():
    learner, expert = UserFactory(), ExpertUserFactory()
    start = datetime(2030, 1, 8, 8, tzinfo=UTC)
    common = {"learner": learner, "expert": expert, "amount_minor": 100, "currency": "USD"}
    past = datetime(2020, 1, 1, tzinfo=UTC)
    lapsed = Booking.objects.create(
        start=start, end=start + timedelta(hours=1), status=Booking.Status.HELD, hold_expires_at=past, **common
    )
    later = start + timedelta(hours=2)
    live = Booking.objects.create(
        start=later,
        end=later + timedelta(hours=1),
        status=Booking.Status.HELD,
        hold_expires_at=datetime(2099, 1, 1, tzinfo=UTC),
        **common,
    )
    assert expire_holds() == 1
    lapsed.refresh_from_db()
    live.refresh_from_db()
    assert (lapsed.status, live.status) == (Booking.Status.EXPIRED, Booking.Status.HELD)
