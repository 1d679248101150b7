from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.tasks import complete_past_sessions, expire_holds
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db


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


def test_only_confirmed_sessions_that_have_ended_become_completed(client):
    learner, expert = UserFactory(), ExpertUserFactory()
    now = timezone.now()
    common = {"learner": learner, "expert": expert, "amount_minor": 100, "currency": "USD"}

    def session(days, status, **extra):
        start = now + timedelta(days=days)
        return Booking.objects.create(start=start, end=start + timedelta(hours=1), status=status, **common, **extra)

    ended = session(-2, Booking.Status.CONFIRMED)
    running = Booking.objects.create(  # started, not over: still confirmed (and joinable)
        start=now - timedelta(minutes=30), end=now + timedelta(minutes=30), status=Booking.Status.CONFIRMED, **common
    )
    upcoming = session(3, Booking.Status.CONFIRMED)
    cancelled = session(-4, Booking.Status.CANCELLED_BY_LEARNER)
    lapsed = session(-6, Booking.Status.HELD, hold_expires_at=now - timedelta(days=7))
    assert complete_past_sessions() == 1
    assert complete_past_sessions() == 0  # idempotent
    states = {booking.pk: booking.status for booking in Booking.objects.all()}
    assert states == {
        ended.pk: Booking.Status.COMPLETED,
        running.pk: Booking.Status.CONFIRMED,
        upcoming.pk: Booking.Status.CONFIRMED,
        cancelled.pk: Booking.Status.CANCELLED_BY_LEARNER,
        lapsed.pk: Booking.Status.HELD,
    }
    # The learner's past sessions now say so.
    client.force_login(learner)
    assert "<td>Completed</td>" in client.get(reverse("learner_dashboard")).content.decode()
