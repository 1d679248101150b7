"""Database down: 503 "back in a moment" with Retry-After, a page that needs no database, one log line per outage."""

import logging

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.db.backends.signals import connection_created
from django.test import Client
from django.urls import reverse

import bookings.views.dashboards as dashboards
from core.outage import database_unavailable_response, is_database_unreachable, outage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_outage_yet():
    outage.since, outage.turned_away = None, 0
    yield
    outage.since, outage.turned_away = None, 0


def connect_to_nowhere(*args, **kwargs):
    """What Django raises when PostgreSQL is gone: a real psycopg connection failure, wrapped by Django."""
    with connection.wrap_database_errors:
        psycopg.connect("host=127.0.0.1 port=1 connect_timeout=2")


def unreachable_error() -> OperationalError:
    try:
        connect_to_nowhere()
    except OperationalError as error:
        return error
    raise AssertionError("port 1 answered")


@pytest.fixture
def browser(learner):
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    return client


def assert_back_in_a_moment(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "We are back in a moment" in body and "500" not in body


def test_a_database_that_is_gone_before_the_view_runs_answers_503(browser, monkeypatch):
    # The session lookup (in the middleware, before any view) is the first query of a signed-in request.
    monkeypatch.setattr(SessionStore, "load", connect_to_nowhere)
    assert_back_in_a_moment(browser.get(reverse("learner_dashboard")))


def test_a_database_that_goes_away_during_the_view_answers_503(browser, monkeypatch):
    monkeypatch.setattr(dashboards, "learner_sessions", connect_to_nowhere)
    assert_back_in_a_moment(browser.get(reverse("learner_dashboard")))


def test_the_outage_is_logged_once_and_its_end_once(browser, monkeypatch, caplog):
    monkeypatch.setattr(dashboards, "learner_sessions", connect_to_nowhere)
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            assert browser.get(reverse("learner_dashboard")).status_code == 503
        # A connection that succeeds ends the outage.
        connection_created.send(sender=type(connection), connection=connection)
        assert browser.get(reverse("learner_dashboard")).status_code == 503  # a second outage
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.name for r in errors] == ["core.outage", "core.outage"], [r.getMessage() for r in errors]
    assert "unreachable" in errors[0].getMessage()
    (back,) = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "core.outage"]
    assert "reachable again" in back.getMessage() and "3 request(s)" in back.getMessage()


def test_the_page_is_rendered_without_touching_the_database(django_assert_num_queries):
    error = unreachable_error()
    with django_assert_num_queries(0):
        response = database_unavailable_response(error)
    assert_back_in_a_moment(response)


def test_only_connection_failures_count_as_an_outage(db):
    assert is_database_unreachable(unreachable_error())
    with pytest.raises(OperationalError) as statement_timeout, connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '1ms'")
        cursor.execute("SELECT pg_sleep(0.2)")
    assert not is_database_unreachable(statement_timeout.value)
    lock_timeout = OperationalError("canceling statement due to lock timeout")
    lock_timeout.__cause__ = psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
    assert not is_database_unreachable(lock_timeout)
    assert not is_database_unreachable(ValueError("not a database error"))


def test_any_other_error_still_gets_the_500_page(browser, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(dashboards, "learner_sessions", broken)
    response = browser.get(reverse("learner_dashboard"))
    assert response.status_code == 500 and "Retry-After" not in response
