"""A user's messages for the privacy tools (data export and erasure), built by another branch.

Not registered anywhere yet: the lead wires ``export_messages`` and ``erase_messages`` into
``accounts``' export and erasure (through a registry, since ``accounts`` sits below ``bookings``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Message, MessageReport, Thread


def export_messages(user) -> dict[str, Any]:
    """Every thread the user takes part in, with every message in it (both sides: a conversation is
    the user's data too), as JSON-able values. Attachments are listed by name, type and size."""
    threads = (
        Thread.objects.filter(Q(learner=user) | Q(expert=user))
        .select_related("learner", "expert")
        .order_by("created_at", "pk")
    )
    messages_by_thread: dict[int, list[dict[str, Any]]] = {}
    rows = Message.objects.filter(thread__in=threads).select_related("sender").order_by("created_at", "pk")
    for message in rows:
        messages_by_thread.setdefault(message.thread_id, []).append(
            {
                "id": message.pk,
                "from_me": message.sender_id == user.pk,
                "sent_at": message.created_at.isoformat(),
                "text": message.text if message.hidden_at is None or message.sender_id == user.pk else "",
                "hidden_by_moderators": message.hidden_at is not None,
                "attachment": (
                    {"name": message.attachment_name, "type": message.attachment_type, "size": message.attachment_size}
                    if message.attachment
                    else None
                ),
            }
        )
    reports = MessageReport.objects.filter(reporter=user).order_by("created_at", "pk")
    return {
        "threads": [
            {
                "id": thread.pk,
                "my_role": "learner" if thread.learner_id == user.pk else "expert",
                "with": str(thread.expert if thread.learner_id == user.pk else thread.learner),
                "started_at": thread.created_at.isoformat(),
                "i_blocked_them": thread.blocked_by(user),
                "messages": messages_by_thread.get(thread.pk, []),
            }
            for thread in threads
        ],
        "reports": [
            {"message_id": report.message_id, "reason": report.reason, "at": report.created_at.isoformat()}
            for report in reports
        ],
    }


def erase_messages(user) -> None:
    """Blank the text and delete the attachments of every message ``user`` sent; the rows stay (the
    other participant's conversation keeps its shape, showing "deleted"). Files go after the commit."""
    now = timezone.now()
    with transaction.atomic():
        sent = Message.objects.select_for_update().filter(sender=user)
        files = [(message.attachment.storage, message.attachment.name) for message in sent if message.attachment]
        sent.update(
            text="", attachment="", attachment_name="", attachment_type="", attachment_size=0, flags="", erased_at=now
        )
        Thread.objects.filter(learner=user).update(last_message_preview="")
        Thread.objects.filter(expert=user).update(last_message_preview="")
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
