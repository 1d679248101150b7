"""An expert's "sessions completed" counts real completed bookings, kept in step in the completing transaction."""

import importlib
import sqlite3
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from bookings.models import Booking
from bookings.services import booking_complete_past
from marketplace.models import ExpertProfile
from tests.builders import booking_in_state
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

counter = importlib.import_module("bookings.migrations.0003_sessions_completed_counter")

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(expert_index):
    return make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})


def count(profile) -> int:
    return ExpertProfile.objects.values_list("sessions_completed", flat=True).get(pk=profile.pk)


def session(profile, *, days_ago: int, status=Booking.Status.CONFIRMED, learner=None) -> Booking:
    start = (timezone.now() - timedelta(days=days_ago)).replace(microsecond=0)
    return booking_in_state(learner=learner or UserFactory(), expert=profile.user, start=start, status=status)


def test_the_periodic_completion_counts_each_ended_session_in_its_own_transaction(ada, expert_index):
    grace = make_expert(expert_index, name="Grace Hopper", prices={60: "50"})
    for days_ago in (1, 2, 3):
        session(ada, days_ago=days_ago)
    session(grace, days_ago=1)
    session(ada, days_ago=-2)  # not over yet
    session(ada, days_ago=4, status=Booking.Status.CANCELLED_BY_LEARNER)
    assert (count(ada), count(grace)) == (0, 0)

    with pytest.raises(RuntimeError), transaction.atomic():
        assert booking_complete_past() == 4
        # One bulk UPDATE, no Django signal: the count moved inside the same transaction...
        assert (count(ada), count(grace)) == (3, 1)
        raise RuntimeError("roll back")
    # ...and goes back with it.
    assert (count(ada), count(grace)) == (0, 0)

    booking_complete_past()
    assert (count(ada), count(grace)) == (3, 1)
    booking_complete_past()  # idempotent: nothing more completes
    assert count(ada) == 3


def test_a_completed_session_that_changes_state_or_disappears_stops_counting(ada):
    done = session(ada, days_ago=1, status=Booking.Status.COMPLETED)
    also = session(ada, days_ago=2, status=Booking.Status.COMPLETED)
    assert count(ada) == 2
    Booking.objects.filter(pk=done.pk).update(status=Booking.Status.NO_SHOW_LEARNER)
    assert count(ada) == 1
    also.goals_note = "saved again, still completed"
    also.save()
    assert count(ada) == 1
    also.delete()
    assert count(ada) == 0


def test_the_migration_recounts_from_the_bookings(ada):
    session(ada, days_ago=1, status=Booking.Status.COMPLETED)
    ExpertProfile.objects.filter(pk=ada.pk).update(sessions_completed=76)  # a seeded constant
    counter.recount(apps)
    assert count(ada) == 1


def test_the_card_shows_real_sessions_and_no_rating_without_reviews(client, ada):
    session(ada, days_ago=1, status=Booking.Status.COMPLETED)
    for url in ("/experts/", "/experts/ada-lovelace/"):
        body = client.get(url).content.decode()
        assert "1 session completed" in body and "★" not in body and "New expert" not in body


def test_the_sqlite_triggers_keep_the_same_count():
    """The embedded demo runs SQLite: the same rules, checked on SQLite itself."""
    db = sqlite3.connect(":memory:")
    db.executescript(
        "CREATE TABLE marketplace_expertprofile (user_id INTEGER, sessions_completed INTEGER);"
        "CREATE TABLE bookings_booking (id INTEGER PRIMARY KEY, expert_id INTEGER, status TEXT);"
        "INSERT INTO marketplace_expertprofile VALUES (1, 0), (2, 0);"
    )
    for statement in counter.SQLITE:
        db.execute(statement)

    def counts():
        return dict(db.execute("SELECT user_id, sessions_completed FROM marketplace_expertprofile"))

    db.execute("INSERT INTO bookings_booking (expert_id, status) VALUES (1, 'confirmed'), (1, 'completed')")
    assert counts() == {1: 1, 2: 0}
    db.execute("UPDATE bookings_booking SET status = 'completed' WHERE status = 'confirmed'")
    assert counts() == {1: 2, 2: 0}
    db.execute("UPDATE bookings_booking SET expert_id = 2 WHERE id = 1")
    assert counts() == {1: 1, 2: 1}
    db.execute("UPDATE bookings_booking SET status = 'no_show_learner' WHERE id = 2")
    db.execute("DELETE FROM bookings_booking WHERE id = 1")
    assert counts() == {1: 0, 2: 0}
    db.execute("DELETE FROM bookings_booking")
    assert counts() == {1: 0, 2: 0}  # never below zero
