"""Two tabs or a double click submit the same application at once: exactly one submission counts."""

import threading
import time

import pytest
from django.db import connections

from core.models import OutboxMessage
from marketplace.errors import ApplicationRefused
from marketplace.models import ApplicationEvent, Category, ExpertApplication
from marketplace.services import applications as services
from tests.concurrency import in_own_connection
from tests.factories import UserFactory
from tests.marketplace.application_factories import make_application

pytestmark = [pytest.mark.race, pytest.mark.django_db]

ATTEMPTS = 6


@pytest.fixture
def committed_draft(db):
    def make():
        category = Category.objects.create(name="Race", slug="race-category")
        return make_application(UserFactory(), categories=[category])

    application = in_own_connection(make)
    yield application

    def clean():
        OutboxMessage.objects.filter(dedupe_key__startswith=f"application-{application.pk}-").delete()
        user = application.user
        ExpertApplication.objects.filter(user=user).delete()
        user.emailaddress_set.all().delete()
        user.delete()
        Category.objects.filter(slug="race-category").delete()

    in_own_connection(clean)


def race(application, monkeypatch):
    real_check = services._refuse_if_incomplete

    def slow_check(locked):
        # Widen the gap between reading the status and writing the new one, so a missing lock shows.
        real_check(locked)
        time.sleep(0.05)

    monkeypatch.setattr(services, "_refuse_if_incomplete", slow_check)
    barrier = threading.Barrier(ATTEMPTS)
    results, lock = [], threading.Lock()

    def attempt():
        try:
            barrier.wait()
            services.application_submit(application=application, user=application.user)
            outcome = "ok"
        except ApplicationRefused as refused:
            outcome = refused.code
        except Exception as error:  # anything else would be a 500
            outcome = repr(error)
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt) for _n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(results)


def test_parallel_submits_of_one_application_count_once(committed_draft, monkeypatch):
    results = race(committed_draft, monkeypatch)
    assert results == ["already_submitted"] * (ATTEMPTS - 1) + ["ok"]
    events = ApplicationEvent.objects.filter(application=committed_draft, kind=ApplicationEvent.Kind.SUBMITTED)
    assert events.count() == 1
    assert OutboxMessage.objects.filter(dedupe_key__startswith=f"application-{committed_draft.pk}-").count() == 1


def test_control_without_the_row_lock_several_submits_get_through(committed_draft, monkeypatch):
    # The same race with the lock replaced by a plain read: proves the test above can fail.
    monkeypatch.setattr(services, "_lock", lambda application: ExpertApplication.objects.get(pk=application.pk))
    results = race(committed_draft, monkeypatch)
    assert results.count("ok") > 1
    events = ApplicationEvent.objects.filter(application=committed_draft, kind=ApplicationEvent.Kind.SUBMITTED)
    assert events.count() > 1
