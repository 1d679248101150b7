"""No double booking over real HTTP: 24 signed-in learners post a hold for the same slot at once.

A multi-threaded live server (one thread and one database connection per
request, like gunicorn's gthread workers) serves committed data; every learner
signs in through the login form with a real ``requests.Session`` (real cookies,
real CSRF tokens) and then, released together by a barrier, posts the booking
form the expert page lists. Exactly one learner gets the review page; everyone
else gets the expert page again with the "just taken" message, and nobody a 500.

The control run switches the lock-then-recheck off: the same users still see
the same outcome, because PostgreSQL's exclusion constraint catches the doubles,
but the race now reaches the database (constraint violations or deadlocks,
counted by a hook on every server connection). The locked run must show none:
that is what proves the lock, and that the test can fail.

Database: the live server needs committed rows, and pytest-django's
transactional flush would also wipe the rows Wagtail's migrations create (root
page, locales) for every later test on a reused database. So this module runs
in its own throw-away copy of the test database (``CREATE DATABASE ...
TEMPLATE``, about a second), dropped afterwards: the test database itself is
never written to. The tests stay ordinary ``db`` tests (the copy is made before
their transaction opens); the rows the server must see are written on
connections of their own, like the in-process race in test_booking_hold.py.
"""

from __future__ import annotations

import gc
import re
import threading
import time as clock
from contextlib import contextmanager
from datetime import datetime, time

import pytest
import requests
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DatabaseError, OperationalError, connections
from django.db.backends.signals import connection_created
from django.test.testcases import LiveServerThread
from django.urls import reverse

import bookings.services.holds as services
from bookings.models import Booking
from bookings.services import weekly_hours_replace
from marketplace.models import ExpertIndexPage
from tests.concurrency import in_own_connection
from tests.factories import PASSWORD, UserFactory, publish_expert_index, publish_home_page
from tests.marketplace.factories import make_expert, next_monday_nine_berlin

pytestmark = [pytest.mark.django_db, pytest.mark.race]

LEARNERS = 24
# Servers started by this module use ports 8151-8159 (the first free one).
LIVE_PORTS = range(8151, 8160)
TAKEN = "This slot was just taken. Please choose another time."
EXCLUSION_VIOLATION, DEADLOCK = "23P01", "40P01"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _RaceServer(ThreadedWSGIServer):
    """Django's threaded test server: a thread and its own database connection per request."""

    request_queue_size = 64  # the whole crowd connects at once; the default backlog (10) would stagger it

    def __init__(self, *args, **kwargs):
        kwargs["allow_reuse_address"] = True  # a rerun right after the last one must not wait for TIME_WAIT
        super().__init__(*args, **kwargs)


class _RaceServerThread(LiveServerThread):
    server_class = _RaceServer


@pytest.fixture(scope="module")
def race_database(django_db_setup, django_db_blocker):
    """A throw-away copy of the test database with a published site, that every thread
    (the server's included) connects to for this module's tests."""
    with django_db_blocker.unblock():
        connection = connections["default"]
        source = connection.settings_dict["NAME"]
        copy = f"{source}_http_race"
        connections.close_all()  # CREATE DATABASE ... TEMPLATE needs the source to be idle
        copy_database(connection, source=source, copy=copy)
        # Every connection, in any thread, is built from this one settings dict.
        connection.settings_dict["NAME"] = copy
        try:
            yield publish_site()
        finally:
            connections.close_all()
            connection.settings_dict["NAME"] = source
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def copy_database(connection, *, source: str, copy: str) -> None:
    """``CREATE DATABASE copy TEMPLATE source``; PostgreSQL refuses while any other session
    is connected to the source (it waits 5 s for them to go), so a lingering connection of an
    earlier test's thread gets a few more chances before the test fails with the reason."""
    for attempt in range(4):
        try:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{copy}" WITH TEMPLATE "{source}"')
            return
        except OperationalError as error:
            if "being accessed by other users" not in str(error) or attempt == 3:
                raise OperationalError(
                    f"Could not copy {source} for the HTTP race: {error} Is another pytest session using "
                    "the same test database? Give each run its own TEST_DATABASE_NAME."
                ) from error
            gc.collect()  # connections of finished threads close when collected
            clock.sleep(1)


def publish_site() -> ExpertIndexPage:
    return publish_expert_index(publish_home_page())


@pytest.fixture(scope="module")
def live_url(race_database):
    for port in LIVE_PORTS:
        thread = _RaceServerThread("127.0.0.1", StaticFilesHandler, port=port)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if not thread.error:
            break
    else:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def marketplace(race_database, request):
    """Committed rows: an expert (own page, 60-minute sessions, Monday 9-12 Berlin) and 24 learners."""

    def build():
        index = ExpertIndexPage.objects.get(pk=race_database.pk)
        name = "Ada Lovelace" if "control" not in request.node.name else "Grace Hopper"
        profile = make_expert(index, name=name, prices={60: "80"}, currency="EUR")  # Europe/Berlin
        weekly_hours_replace(profile=profile, windows=[(0, time(9), time(12))])
        return profile, UserFactory.create_batch(LEARNERS)

    return in_own_connection(build)


@contextmanager
def refusals_reaching_the_database():
    """Record every statement PostgreSQL refused for an exclusion violation or a deadlock,
    on every connection opened meanwhile (one per server request)."""
    refused: list[str] = []
    guard = threading.Lock()

    def watch(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except DatabaseError as error:
            sqlstate = getattr(error.__cause__, "sqlstate", None)
            if sqlstate in (EXCLUSION_VIOLATION, DEADLOCK):
                with guard:
                    refused.append(sqlstate)
            raise

    def install(sender, connection, **kwargs):
        if watch not in connection.execute_wrappers:  # a thread's wrapper reconnects for its next request
            connection.execute_wrappers.append(watch)

    connection_created.connect(install, weak=False)
    try:
        yield refused
    finally:
        connection_created.disconnect(install)


def signed_in(live_url: str, learner) -> requests.Session:
    """A browser-like session: CSRF cookie and token from the login page, then the login form."""
    browser = requests.Session()
    login_url = live_url + reverse("account_login")
    token = CSRF_INPUT.search(browser.get(login_url, timeout=30).text).group(1)
    response = browser.post(
        login_url,
        data={"csrfmiddlewaretoken": token, "login": learner.email, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, f"login failed for {learner.email}: {response.status_code}"
    return browser


def listed_slot_form(browser: requests.Session, page_url: str, start: datetime) -> dict:
    """The booking form the expert page lists for ``start`` (CSRF token included), as a browser would submit it."""
    value = start.isoformat()
    for week in range(3):
        html = browser.get(page_url, params={"session": "60", "tz": "Europe/Berlin", "week": week}, timeout=30).text
        if f'name="start" value="{value}"' in html:
            return {
                "csrfmiddlewaretoken": CSRF_INPUT.search(html).group(1),
                "session": "60",
                "tz": "Europe/Berlin",
                "week": str(week),
                "start": value,
            }
    raise AssertionError(f"{value} is not listed on {page_url}")


def race(live_url, marketplace, monkeypatch):
    """All learners post the same slot at once. Returns per learner: (POST response, page it leads to)."""
    profile, learners = marketplace
    page = profile.pages.get()
    page_url = live_url + page.url
    book_url = live_url + reverse("booking_start", kwargs={"page_id": page.pk})
    start = next_monday_nine_berlin()
    browsers = [signed_in(live_url, learner) for learner in learners]
    forms = [listed_slot_form(browser, page_url, start) for browser in browsers]

    real_validate = services.validate_slot

    def slow_validate(**kwargs):
        # Widen the gap between check and insert so a missing lock shows. Longer
        # than in the in-process race: over HTTP the requests reach this point
        # spread out by the server's own work (one interpreter, 24 threads).
        slot = real_validate(**kwargs)
        clock.sleep(0.15)
        return slot

    monkeypatch.setattr(services, "validate_slot", slow_validate)
    barrier = threading.Barrier(len(learners))
    outcomes: dict[int, tuple[requests.Response, requests.Response | None]] = {}

    def attempt(index: int) -> None:
        browser = browsers[index]
        barrier.wait()
        try:
            posted = browser.post(book_url, data=forms[index], allow_redirects=False, timeout=120)
        except requests.RequestException as error:
            outcomes[index] = (error, None)
            return
        landed = browser.get(live_url + posted.headers["Location"], timeout=60) if posted.is_redirect else None
        outcomes[index] = (posted, landed)

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(len(learners))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    monkeypatch.undo()
    return start, page, [(learner, *outcomes.get(index, (None, None))) for index, learner in enumerate(learners)]


def assert_exactly_one_learner_holds_the_slot(start, page, results):
    """What the learners see: one review page, 23 expert pages saying the slot was just taken, no 5xx."""
    posted = [response for _, response, _ in results]
    assert all(isinstance(response, requests.Response) for response in posted), posted
    assert [response.status_code for response in posted if response.status_code >= 500] == []
    holds = list(Booking.objects.filter(expert_id=page.profile.user_id, status=Booking.Status.HELD))
    assert len(holds) == 1
    (hold,) = holds
    assert (hold.start, hold.expert_id) == (start, page.profile.user_id)
    review_url = reverse("booking_review", kwargs={"pk": hold.pk})
    winners = [(learner, landed) for learner, response, landed in results if response.headers["Location"] == review_url]
    assert [learner.pk for learner, _ in winners] == [hold.learner_id]
    assert winners[0][1].status_code == 200 and "Held for you until" in winners[0][1].text
    losers = [(response, landed) for learner, response, landed in results if learner.pk != hold.learner_id]
    assert len(losers) == LEARNERS - 1
    for response, landed in losers:
        assert response.status_code == 302 and response.headers["Location"].startswith(page.url)
        assert landed.status_code == 200 and TAKEN in landed.text


def test_24_learners_race_for_one_slot_over_http_and_exactly_one_wins(live_url, marketplace, monkeypatch):
    with refusals_reaching_the_database() as refused_by_database:
        start, page, results = race(live_url, marketplace, monkeypatch)
    assert_exactly_one_learner_holds_the_slot(start, page, results)
    # The lock-then-recheck turned every loser away before any insert: the
    # exclusion constraint never had to act, and no transaction deadlocked.
    assert refused_by_database == []


def test_control_without_the_lock_the_race_reaches_the_database(live_url, marketplace, monkeypatch, settings):
    settings.BOOKING_HOLD_LOCKING = False
    with refusals_reaching_the_database() as refused_by_database:
        start, page, results = race(live_url, marketplace, monkeypatch)
    # Learners see the same thing (the constraint stands behind the lock) ...
    assert_exactly_one_learner_holds_the_slot(start, page, results)
    # ... but several requests passed the recheck together and only the
    # database stopped them: the assertion the locked run passes fails here.
    assert len(refused_by_database) >= 1
