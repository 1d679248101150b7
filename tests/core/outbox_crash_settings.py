"""Settings of the worker subprocesses in ``test_outbox_crash``: the test database, emails as files.

``OUTBOX_CRASH_DB`` names the (already migrated) test database, ``OUTBOX_CRASH_MAIL``
the folder the emails are written to; with ``OUTBOX_CRASH_BLOCK`` set, sending
blocks (after writing a marker file) until the process is killed.
"""

import os

from taptime.settings.test import *  # noqa: F403
from taptime.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["OUTBOX_CRASH_DB"]
EMAIL_BACKEND = "tests.core.outbox_crash_mail.BlockingFileBackend"
EMAIL_FILE_PATH = os.environ["OUTBOX_CRASH_MAIL"]
OUTBOX_LEASE_SECONDS = 2
OUTBOX_NUDGE = False
