"""Shared pieces of the headless-Chromium journeys: a live server inside the test's transaction and a browser page.

Each journey picks its own port range (servers on this machine must stay in
their owner's range) and builds its fixtures with these helpers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

# Debian's chromium, headless; the host resolver sends every name but loopback
# nowhere, so a journey can never reach the internet by accident.
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]


class _OneRequestAtATimeServer(WSGIServer):
    """Single-threaded, so every request runs in the server thread on the shared connection."""

    def __init__(self, *args, connections_override=None, **kwargs):
        kwargs["allow_reuse_address"] = True  # a rerun right after the last one must not wait for TIME_WAIT
        super().__init__(*args, **kwargs)


class _SharedConnectionLiveServerThread(LiveServerThread):
    server_class = _OneRequestAtATimeServer


@contextmanager
def live_server_in_test_transaction(ports: Iterable[int], monkeypatch) -> Iterator[str]:
    """A live server inside the test's transaction (rolled back afterwards, like any db test).

    pytest-django's ``live_server`` needs a transactional database whose flush
    would also wipe the rows Wagtail's migrations create (root page, locales,
    the publishing schedule) for every later test on a reused database.
    Sharing the test's connection avoids the flush; the server handles one
    request at a time, so the connection is never used by two threads at once.
    Yields the base URL on the first free port of ``ports``.
    """
    connection = connections["default"]
    connection.inc_thread_sharing()
    # The server closes its connections after each request; this one must survive.
    monkeypatch.setattr(connection, "close", lambda: None)
    thread = None
    try:
        for port in ports:
            thread = _SharedConnectionLiveServerThread(
                "127.0.0.1", StaticFilesHandler, connections_override={"default": connection}, port=port
            )
            thread.daemon = True
            thread.start()
            thread.is_ready.wait()
            if not thread.error:
                break
        else:
            raise thread.error if thread is not None else RuntimeError("no port to listen on")
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        if thread is not None and not thread.error:
            thread.terminate()
        connection.dec_thread_sharing()


@contextmanager
def chromium_page(monkeypatch, **context_options) -> Iterator:
    """A fresh headless Chromium page; ``context_options`` go to ``browser.new_context`` (time zone, locale,
    a phone's viewport…)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls
    # made here are still synchronous. Set for this test only, never globally.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    from django.db import connections

    test_connection = connections["default"]
    with sync_playwright() as playwright:
        # Playwright runs an event loop in this thread, and from then on Django
        # looks connections up per async context: hand it the test's connection
        # so ORM calls in the test still see (and stay inside) the test transaction.
        connections["default"] = test_connection
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
