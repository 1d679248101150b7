"""An email backend for the crash test: Django's file backend that can hang before it delivers."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class BlockingFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        block = os.environ.get("OUTBOX_CRASH_BLOCK")
        if block:
            # Inside the outbox handler, before anything is delivered: say so, then wait to be killed.
            Path(block).write_text("inside the handler")
            time.sleep(120)
        return super().send_messages(email_messages)
