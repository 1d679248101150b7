"""Private messages between one learner and one expert: one thread per pair, its messages and reports.

A thread exists only where the two have a relation: a booking between them (any state) or the
learner's question from the expert page (``bookings.services.messages``). Unread counts are kept on
the thread (one counter per side, reset when that side reads), so the inbox and the header badge read
one row per thread and never count messages. Attachments live in the private storage and are served
only to the two participants (``bookings.views.messages.message_attachment``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.models import ExpertProfile
from marketplace.storage import private_storage

REPORT_REASON_MAX = 500
ATTACHMENT_NAME_MAX = 120


class ExpertMessagingSetting(models.Model):
    """Whether learners who never booked may ask the expert a question. No row: questions are open."""

    profile = models.OneToOneField(ExpertProfile, primary_key=True, on_delete=models.CASCADE, related_name="messaging")
    questions_open = models.BooleanField(_("Learners may ask me a question before booking"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.profile_id}: questions {'open' if self.questions_open else 'closed'}"


class Thread(models.Model):
    """The conversation of one learner with one expert (unique per pair), whatever their bookings."""

    class Origin(models.TextChoices):
        BOOKING = "booking", _("A booking")
        QUESTION = "question", _("A question from the expert page")

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threads_as_learner")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threads_as_expert")
    origin = models.CharField(max_length=8, choices=Origin.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # The inbox's order; set by every message (the thread's creation until the first one).
    last_message_at = models.DateTimeField()
    last_message_preview = models.CharField(max_length=140, blank=True)
    # Read receipts: each side's last read time, and the messages that arrived since (the badge).
    learner_read_at = models.DateTimeField(null=True, blank=True)
    expert_read_at = models.DateTimeField(null=True, blank=True)
    learner_unread = models.PositiveIntegerField(default=0)
    expert_unread = models.PositiveIntegerField(default=0)
    # A batched notification is waiting for this side until then (``message_notify_send`` clears it).
    learner_notify_due_at = models.DateTimeField(null=True, blank=True)
    expert_notify_due_at = models.DateTimeField(null=True, blank=True)
    # Either side can stop the other writing; bookings are not touched.
    learner_blocked_at = models.DateTimeField(null=True, blank=True)
    expert_blocked_at = models.DateTimeField(null=True, blank=True)
    # In the staff queue: a report or an automatic flag, cleared by a staff decision.
    needs_moderation = models.BooleanField(default=False)

    class Meta:
        permissions = [("moderate_thread", "Can moderate reported message threads")]
        constraints = [
            models.UniqueConstraint(fields=["learner", "expert"], name="thread_one_per_pair"),
            models.CheckConstraint(condition=~Q(learner=F("expert")), name="thread_two_people"),
        ]
        indexes = [
            models.Index(fields=["learner", "-last_message_at", "-id"], name="thread_learner_inbox"),
            models.Index(fields=["expert", "-last_message_at", "-id"], name="thread_expert_inbox"),
            models.Index(fields=["last_message_at"], condition=Q(needs_moderation=True), name="thread_moderation"),
        ]

    def __str__(self) -> str:
        return f"Thread {self.pk} (learner {self.learner_id}, expert {self.expert_id})"

    def role_of(self, user) -> str | None:
        """ "learner", "expert", or None for anyone else (staff included)."""
        if user.pk == self.learner_id:
            return "learner"
        if user.pk == self.expert_id:
            return "expert"
        return None

    def other(self, user):
        return self.expert if user.pk == self.learner_id else self.learner

    def unread_for(self, user) -> int:
        return self.learner_unread if user.pk == self.learner_id else self.expert_unread

    def blocked_by_other(self, user) -> bool:
        """Whether the other participant stopped ``user`` from writing."""
        return (self.expert_blocked_at if user.pk == self.learner_id else self.learner_blocked_at) is not None

    def blocked_by(self, user) -> bool:
        return (self.learner_blocked_at if user.pk == self.learner_id else self.expert_blocked_at) is not None


class Message(models.Model):
    """One message: plain text (escaped and linkified on display, never HTML) and at most one attachment."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)
    # Only written by the service after the content checks passed; a random stored name.
    attachment = models.FileField(storage=private_storage, upload_to="messages/", max_length=200, blank=True)
    attachment_name = models.CharField(max_length=ATTACHMENT_NAME_MAX, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    # Why the automatic check flagged it (links, contact details, payment requests, listed words); "" if not.
    flags = models.CharField(max_length=100, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Set when the author's data was erased (privacy): the text is blank and the file gone.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "-created_at", "-id"], name="message_thread_recent")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(attachment="") | Q(erased_at__isnull=False), name="message_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in thread {self.thread_id}"

    @property
    def is_inline(self) -> bool:
        return self.attachment_type in ("application/pdf", "image/jpeg", "image/png")


class MessageReport(models.Model):
    """A participant's report that a message breaks the rules: the thread goes to the staff queue."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(max_length=REPORT_REASON_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="message_report_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="message_report_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Report on message {self.message_id}"
