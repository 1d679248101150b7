"""Reads for the inbox, a thread page, the header badge and the staff queue; each a fixed number of queries.

The inbox is one count and one page of threads with both people joined in (the unread counts are
columns of the thread, never a count of messages), so 5 threads and 500 cost the same.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Q, QuerySet, Sum, When

from ..models import Message, Thread

THREADS_PER_PAGE = 20
MESSAGES_PER_PAGE = 30
QUEUE_PER_PAGE = 30


def user_threads(*, user) -> QuerySet[Thread]:
    """The user's threads, newest activity first, with both participants."""
    return (
        Thread.objects.filter(Q(learner=user) | Q(expert=user))
        .select_related("learner", "expert")
        .order_by("-last_message_at", "-id")
    )


def inbox_page(*, user, raw_page=None) -> Page:
    """One page of the inbox (two queries: the count and the page)."""
    return Paginator(user_threads(user=user), THREADS_PER_PAGE).get_page(raw_page)


def unread_total(*, user) -> int:
    """Messages waiting for ``user`` over all threads: the header badge (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    total = (
        Thread.objects.filter(Q(learner=user) | Q(expert=user))
        .aggregate(
            n=Sum(Case(When(learner=user, then=F("learner_unread")), default=F("expert_unread"))),
        )
        .get("n")
    )
    return int(total or 0)


def participant_thread(*, user, pk) -> Thread | None:
    """The thread if ``user`` takes part in it, else None (the views answer 404: ids reveal nothing)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Thread.objects.select_related("learner", "expert").filter(Q(learner=user) | Q(expert=user), pk=pk).first()


def thread_messages(*, thread: Thread) -> QuerySet[Message]:
    """A thread's messages, newest first, with who sent each."""
    return Message.objects.filter(thread=thread).select_related("sender").order_by("-created_at", "-id")


def thread_messages_page(*, thread: Thread, raw_page=None) -> Page:
    """Page 1 is the newest messages (shown oldest first within the page); two queries."""
    return Paginator(thread_messages(thread=thread), MESSAGES_PER_PAGE).get_page(raw_page)


def moderation_queue(*, raw_page=None) -> Page:
    """Flagged or reported threads only (never all threads), with their open reports counted; two queries."""
    threads = (
        Thread.objects.filter(needs_moderation=True)
        .select_related("learner", "expert")
        .annotate(open_reports=Count("messages__reports", filter=Q(messages__reports__resolved_at__isnull=True)))
        .order_by("-last_message_at", "-id")
    )
    return Paginator(threads, QUEUE_PER_PAGE).get_page(raw_page)
