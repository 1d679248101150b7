"""Bounded lock waits: a request stuck behind a lock answers "busy, try again", never a 500."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse

import bookings.views.dashboards as dashboards
from core.errors import Busy
from core.locking import locked_transaction
from tests.concurrency import in_own_connection
from tests.factories import UserFactory

User = get_user_model()


@pytest.fixture
def committed_user(db):
    user = in_own_connection(lambda: UserFactory())
    yield user
    in_own_connection(lambda: (user.emailaddress_set.all().delete(), User.objects.filter(pk=user.pk).delete()))


def test_every_postgresql_connection_carries_the_lock_timeout(db, settings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'lock_timeout'")  # in milliseconds
        (value,) = cursor.fetchone()
    assert int(value) == int(settings.LOCK_TIMEOUT_SECONDS * 1000) > 0


def test_a_lock_held_elsewhere_past_the_timeout_raises_busy_and_changes_nothing(committed_user):
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        with transaction.atomic():
            User.objects.select_for_update().get(pk=committed_user.pk)
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=lambda: in_own_connection(hold_the_row))
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(Busy) as busy, locked_transaction():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")  # the test's own, shorter wait
            User.objects.select_for_update().filter(pk=committed_user.pk).update(full_name="Changed")
        assert busy.value.code == "busy" and "try again" in busy.value.message
    finally:
        release.set()
        holder.join(10)
    assert User.objects.get(pk=committed_user.pk).full_name == committed_user.full_name


def test_other_database_errors_pass_through_unchanged(db):
    from django.db import OperationalError

    with pytest.raises(OperationalError) as error, locked_transaction(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '1ms'")
        cursor.execute("SELECT pg_sleep(0.2)")
    assert not isinstance(error.value, Busy)


def test_a_busy_page_is_a_503_with_retry_after_never_a_500(client, learner, monkeypatch):
    def busy(**kwargs):
        raise Busy("Someone else is changing this right now. Please try again in a moment.", code="busy")

    monkeypatch.setattr(dashboards, "learner_sessions", busy)
    client.force_login(learner)
    response = client.get(reverse("learner_dashboard"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Someone else is changing this right now" in response.content.decode()
    assert 'href="/dashboard/"' in response.content.decode()  # "Try again" reloads the same page
