"""``export_messages`` and ``erase_messages`` for the privacy tools (wired by the lead)."""

from __future__ import annotations

import json

import pytest

from bookings.models import Message
from bookings.privacy_messages import erase_messages, export_messages
from bookings.services.messages import message_report, message_send

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_the_export_holds_every_thread_and_message_as_json(thread, learner, expert):
    message_send(thread=thread, sender=learner, text="Hello", upload=pdf_upload())
    answer = message_send(thread=thread, sender=expert, text="Hi there")
    message_report(message=answer, reporter=learner, reason="test")
    data = export_messages(learner)
    json.dumps(data)
    (row,) = data["threads"]
    assert row["my_role"] == "learner" and [m["text"] for m in row["messages"]] == ["Hello", "Hi there"]
    assert row["messages"][0]["attachment"]["type"] == "application/pdf"
    assert data["reports"][0]["reason"] == "test"


def test_erasure_blanks_the_users_messages_and_deletes_their_files(
    thread, learner, expert, django_capture_on_commit_callbacks
):
    mine = message_send(thread=thread, sender=learner, text="My secret", upload=pdf_upload())
    message_send(thread=thread, sender=expert, text="Theirs stays")
    storage, name = mine.attachment.storage, mine.attachment.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        erase_messages(learner)
    mine = Message.objects.get(pk=mine.pk)
    assert (mine.text, mine.attachment.name, mine.erased_at is not None) == ("", "", True)
    assert not storage.exists(name)
    assert Message.objects.get(sender=expert).text == "Theirs stays"
