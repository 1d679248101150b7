"""Two learners change their published reviews of the same expert at once: the average stays exact.

Each change recomputes the aggregate from the public reviews under the profile's row lock. The
control run switches the lock off (``REVIEW_AGGREGATE_LOCKING``) and must see a wrong average:
each transaction then recomputes before the other's change is committed.
"""

import contextlib
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone

from bookings.models import Booking
from marketplace.models import ExpertProfile
from reviews.models import SessionReview
from reviews.services import ratings, review_submit, reviews_publish_due
from tests.builders import booking_in_state
from tests.concurrency import in_own_connection
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = [pytest.mark.race, pytest.mark.django_db]


@pytest.fixture
def committed(db):
    def make():
        profile = ExpertProfile.objects.create(user=ExpertUserFactory(email="race-expert@example.com"))
        learners = [UserFactory(email=f"race-learner-{n}@example.com") for n in range(2)]
        written = timezone.now() - timedelta(days=4)
        for learner in learners:
            booking = booking_in_state(
                learner=learner, expert=profile.user, start=written - timedelta(days=1), status=Booking.Status.COMPLETED
            )
            review_submit(booking=booking, learner=learner, rating=5, now=written)
        reviews_publish_due()
        return profile, learners

    profile, learners = in_own_connection(make)
    yield profile, learners

    def clean():
        SessionReview.objects.filter(profile=profile).delete()
        Booking.objects.filter(expert=profile.user).delete()
        user = profile.user
        profile.delete()
        for person in [user, *learners]:
            person.emailaddress_set.all().delete()
            person.delete()

    in_own_connection(clean)


def change_both_at_once(profile, learners, monkeypatch):
    """Both learners lower their 5 to 1 at the same moment; each waits (up to a second) for the other
    before recomputing, so without the lock both recompute before either commits."""
    real_refresh = ratings.rating_aggregate_refresh
    barrier = threading.Barrier(2)

    def refresh_after_the_other_wrote(**kwargs):
        # With the lock the other waits for ours: nobody comes, and after a second we go on.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return real_refresh(**kwargs)

    monkeypatch.setattr(ratings, "rating_aggregate_refresh", refresh_after_the_other_wrote)
    errors = []

    def change(learner):
        try:
            booking = Booking.objects.get(learner=learner, expert=profile.user)
            review_submit(booking=booking, learner=learner, rating=1)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return ExpertProfile.objects.values_list("rating_avg", "rating_count").get(pk=profile.pk)


def test_parallel_changes_leave_the_exact_average(committed, monkeypatch):
    profile, learners = committed
    assert ExpertProfile.objects.values_list("rating_avg", "rating_count").get(pk=profile.pk) == (Decimal("5.00"), 2)
    assert change_both_at_once(profile, learners, monkeypatch) == (Decimal("1.00"), 2)


def test_control_without_the_lock_the_average_goes_wrong(committed, monkeypatch, settings):
    settings.REVIEW_AGGREGATE_LOCKING = False
    profile, learners = committed
    assert change_both_at_once(profile, learners, monkeypatch) == (Decimal("3.00"), 2)
