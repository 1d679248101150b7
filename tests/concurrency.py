"""Helpers for tests that need work committed outside the test's own transaction."""

import threading

from django.db import connections


def in_own_connection(function, *, timeout: float = 120):
    """Run ``function`` in a thread, hence on its own database connection, outside the
    test's transaction: what it writes is committed, so other threads (a live server's
    included) see it. Its exception is re-raised here; a run past ``timeout`` fails."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"{function!r} did not finish within {timeout} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
