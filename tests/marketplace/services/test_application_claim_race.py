"""Two reviewers press "Claim for review" on the same application at once: exactly one holds it."""

import threading
import time

import pytest
from django.db import connections
from wagtail.models import ModelLogEntry

from marketplace.errors import ReviewRefused
from marketplace.models import ApplicationEvent, ExpertApplication
from marketplace.services import application_review as review
from tests.concurrency import in_own_connection
from tests.marketplace.review_builders import make_application, make_reviewer

pytestmark = [pytest.mark.race, pytest.mark.django_db]

REVIEWERS = 4


@pytest.fixture
def committed(db):
    def make():
        reviewers = [make_reviewer(email=f"race-reviewer-{n}@example.com") for n in range(REVIEWERS)]
        return make_application(documents=False, photo=False), reviewers

    application, reviewers = in_own_connection(make)
    yield application, reviewers

    def clean():
        ModelLogEntry.objects.filter(object_id=str(application.pk), action__startswith="marketplace.").delete()
        ExpertApplication.objects.filter(pk=application.pk).delete()
        for user in [application.user, *reviewers]:
            user.emailaddress_set.all().delete()
            user.delete()

    in_own_connection(clean)


def race(application, reviewers, monkeypatch):
    real_lock = review._lock

    def slow_lock(app):
        # Widen the gap between reading the claim and writing it, so a missing lock shows.
        locked = real_lock(app)
        time.sleep(0.05)
        return locked

    monkeypatch.setattr(review, "_lock", slow_lock)
    barrier = threading.Barrier(len(reviewers))
    results, guard = [], threading.Lock()

    def attempt(reviewer):
        try:
            barrier.wait()
            review.application_claim(application=application, actor=reviewer)
            outcome = "ok"
        except ReviewRefused as refused:
            outcome = refused.code
        except Exception as error:  # anything else would be a 500
            outcome = repr(error)
        finally:
            connections.close_all()
        with guard:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(reviewer,)) for reviewer in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(results)


def test_parallel_claims_leave_one_holder(committed, monkeypatch):
    application, reviewers = committed
    assert race(application, reviewers, monkeypatch) == ["held"] * (REVIEWERS - 1) + ["ok"]
    assert ApplicationEvent.objects.filter(application=application, kind="claimed").count() == 1
    holder = ExpertApplication.objects.get(pk=application.pk).reviewer
    assert holder in reviewers


def test_control_without_the_row_lock_several_reviewers_think_they_hold_it(committed, monkeypatch):
    # The same race with the lock replaced by a plain read: proves the test above can fail.
    monkeypatch.setattr(review, "_lock", lambda app: ExpertApplication.objects.select_related("user").get(pk=app.pk))
    application, reviewers = committed
    assert race(application, reviewers, monkeypatch).count("ok") > 1
    assert ApplicationEvent.objects.filter(application=application, kind="claimed").count() > 1
