"""Messages between a learner and an expert: threads, sending, reading, reports, blocks, moderation.

Who may write to whom: the two people of a thread, and a thread exists only where they have a
relation — a booking between them (``thread_for_booking``) or the learner's question from the
expert's page (``question_ask``, rate-limited, refused when the expert turned questions off).
Nobody can start a conversation with a stranger.

Sending checks everything that does not need the thread's lock first (rate limits, text, the
attachment's content), then, under the thread's row lock, writes the message, the thread's
preview and the recipient's unread counter, and schedules at most one notification per batch
window (``MESSAGE_NOTIFY_BATCH_SECONDS``): the first unread message of a burst writes one delayed
outbox row; the rest find it pending and add nothing, so ten messages are one email or text.

Contact details, links and payment requests are flagged to the staff queue (``core.text_flags``,
shared with reviews), never blocked. Staff see only flagged or reported threads; opening one and
every decision writes a Wagtail audit entry.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.base_url import public_url
from core.locking import locked_transaction
from core.outbox import outbox_enqueue
from core.ratelimit import rate_limit_hit
from core.text_flags import text_flags
from marketplace.models import ExpertProfile
from notifications.phones import sms_send
from notifications.services import email_send, users_with_sms_reminders
from notifications.sms import SmsRefused

from ..errors import MessageError
from ..models import Booking, ExpertMessagingSetting, Message, MessageReport, Thread
from ..models.messages import ATTACHMENT_NAME_MAX, REPORT_REASON_MAX
from .attachments import EXTENSION_OF, attachment_clean, attachment_download_name, attachment_read

MODERATE_PERMISSION = "bookings.moderate_thread"
# Wagtail log actions (labels registered in ``bookings.wagtail_hooks``).
LOG_OPEN = "bookings.thread.open"
LOG_HIDE = "bookings.message.hide"
LOG_DISMISS = "bookings.thread.dismiss"
PREVIEW_CHARS = 140
ROLES = ("learner", "expert")


# --- Relations -------------------------------------------------------------------------------------


def questions_open(*, profile: ExpertProfile) -> bool:
    setting = ExpertMessagingSetting.objects.filter(profile=profile).first()
    return setting is None or setting.questions_open


def messaging_questions_set(*, profile: ExpertProfile, questions_open: bool) -> ExpertMessagingSetting:
    """The expert opens or closes "ask a question" on their page (existing threads are not touched)."""
    setting, _created = ExpertMessagingSetting.objects.update_or_create(
        profile=profile, defaults={"questions_open": bool(questions_open)}
    )
    return setting


def thread_for_booking(*, booking: Booking, now: datetime | None = None) -> Thread:
    """The pair's thread (made on first use): any booking, in any state, is a relation."""
    now = now or timezone.now()
    thread = Thread.objects.filter(learner_id=booking.learner_id, expert_id=booking.expert_id).first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            return Thread.objects.create(
                learner_id=booking.learner_id,
                expert_id=booking.expert_id,
                origin=Thread.Origin.BOOKING,
                last_message_at=now,
            )
    except IntegrityError:  # made by the other participant's click a moment ago
        return Thread.objects.get(learner_id=booking.learner_id, expert_id=booking.expert_id)


def _clean_text(text: str, *, limit: int, required: bool) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if any(ord(char) < 32 and char not in "\n\t" for char in text) or "\x7f" in text:
        raise MessageError(_("The message contains characters that cannot be sent."), code="bad_characters")
    if required and not text:
        raise MessageError(_("Write a message or attach a file."), code="empty")
    if len(text) > limit:
        raise MessageError(
            _("Messages are at most %(n)s characters. Split it into two.") % {"n": limit}, code="too_long"
        )
    return text


def _rate_limited(user) -> None:
    key = str(user.pk)
    if rate_limit_hit(scope="message-minute", key=key, limit=settings.MESSAGES_PER_MINUTE, window_seconds=60):
        raise MessageError(
            _("You are sending messages very quickly. Wait a minute and try again."), code="rate_limited"
        )
    if rate_limit_hit(scope="message-day", key=key, limit=settings.MESSAGES_PER_DAY, window_seconds=86400):
        raise MessageError(_("You have sent many messages today. Please try again tomorrow."), code="rate_limited")


# --- Sending ---------------------------------------------------------------------------------------


def question_ask(*, learner, profile: ExpertProfile, text: str, now: datetime | None = None) -> Message:
    """The learner's question from the expert page: starts the pair's thread (or writes into it)."""
    now = now or timezone.now()
    if learner.pk == profile.user_id:
        raise MessageError(_("You cannot send a question to yourself."), code="self")
    text = _clean_text(text, limit=settings.MESSAGE_QUESTION_MAX_CHARS, required=True)
    thread = Thread.objects.filter(learner=learner, expert_id=profile.user_id).first()
    if thread is None:
        if not questions_open(profile=profile):
            raise MessageError(_("This expert is not taking questions before a booking."), code="questions_closed")
        if rate_limit_hit(
            scope="message-question",
            key=str(learner.pk),
            limit=settings.MESSAGE_QUESTIONS_PER_HOUR,
            window_seconds=3600,
        ):
            raise MessageError(
                _("You have asked several experts a question in the last hour. Please try again later."),
                code="rate_limited",
            )
        try:
            with transaction.atomic():
                thread = Thread.objects.create(
                    learner=learner, expert_id=profile.user_id, origin=Thread.Origin.QUESTION, last_message_at=now
                )
        except IntegrityError:
            thread = Thread.objects.get(learner=learner, expert_id=profile.user_id)
    return message_send(thread=thread, sender=learner, text=text, now=now)


def message_send(
    *, thread: Thread, sender, text: str = "", upload: UploadedFile | None = None, now: datetime | None = None
) -> Message:
    """Write a message (text, and at most one attachment) into a thread ``sender`` takes part in."""
    now = now or timezone.now()
    role = thread.role_of(sender)
    if role is None:
        raise MessageError(_("This conversation is not yours."), code="not_participant")
    text = _clean_text(text, limit=settings.MESSAGE_MAX_CHARS, required=upload is None)
    if thread.blocked_by_other(sender):
        raise MessageError(_("This person does not accept messages from you."), code="blocked")
    _rate_limited(sender)
    content = content_type = None
    name = ""
    if upload is not None:
        content, content_type = attachment_clean(attachment_read(upload), name=upload.name or "")
        name = attachment_download_name(upload.name or "", content_type)[:ATTACHMENT_NAME_MAX]
    flags = text_flags(text, words=settings.MESSAGE_FLAG_WORDS, payment=True)
    message = Message(thread=thread, sender=sender, text=text, created_at=now, flags=flags)
    stored = None
    if content is not None:
        message.attachment_name, message.attachment_type, message.attachment_size = name, content_type, len(content)
        digest = hashlib.sha256(content).hexdigest()[:8]
        extension = EXTENSION_OF.get(content_type, "bin")
        message.attachment.save(f"{secrets.token_urlsafe(18)}-{digest}.{extension}", ContentFile(content), save=False)
        stored = (message.attachment.storage, message.attachment.name)
    try:
        return _message_store(message=message, role=role, now=now)
    except Exception:
        if stored is not None:  # the row never came to be: its file must not stay behind
            stored[0].delete(stored[1])
        raise


@locked_transaction()
def _message_store(*, message: Message, role: str, now: datetime) -> Message:
    thread = Thread.objects.select_for_update().get(pk=message.thread_id)
    if thread.blocked_by_other(message.sender):  # blocked meanwhile
        raise MessageError(_("This person does not accept messages from you."), code="blocked")
    message.thread = thread
    message.save()
    other = "expert" if role == "learner" else "learner"
    preview = " ".join(message.text.split())[:PREVIEW_CHARS] or message.attachment_name
    changes = {
        "last_message_at": now,
        "last_message_preview": preview,
        f"{other}_unread": F(f"{other}_unread") + 1,
        # Writing is reading: the sender has seen everything up to their own message.
        f"{role}_read_at": now,
        f"{role}_unread": 0,
    }
    if message.flags:
        changes["needs_moderation"] = True
    due = getattr(thread, f"{other}_notify_due_at")
    if due is None:
        due = now + timedelta(seconds=settings.MESSAGE_NOTIFY_BATCH_SECONDS)
        changes[f"{other}_notify_due_at"] = due
        outbox_enqueue(
            app_label="bookings",
            handler="bookings.tasks.send_message_notification",
            payload={"thread_id": thread.pk, "role": other},
            dedupe_key=f"message-notify-{thread.pk}-{other}-{message.pk}",
            not_before=due,
        )
    Thread.objects.filter(pk=thread.pk).update(**changes)
    return message


def thread_mark_read(*, thread: Thread, user, now: datetime | None = None) -> None:
    """``user`` has read the thread up to now (the other side's read receipt, and the badge goes down)."""
    role = thread.role_of(user)
    if role is None:
        return
    now = now or timezone.now()
    Thread.objects.filter(pk=thread.pk).update(**{f"{role}_read_at": now, f"{role}_unread": 0})
    setattr(thread, f"{role}_read_at", now)
    setattr(thread, f"{role}_unread", 0)


# --- Notifications ---------------------------------------------------------------------------------


def message_notify_send(*, thread_id: int, role: str) -> int:
    """Outbox handler: one email (or text, when the recipient gets texts) for the batch; 0 if all was read."""
    if role not in ROLES:
        return 0
    with transaction.atomic():
        thread = Thread.objects.select_for_update().select_related("learner", "expert").filter(pk=thread_id).first()
        if thread is None:
            return 0
        Thread.objects.filter(pk=thread.pk).update(**{f"{role}_notify_due_at": None})
    unread = getattr(thread, f"{role}_unread")
    if not unread:
        return 0
    recipient, sender = (thread.learner, thread.expert) if role == "learner" else (thread.expert, thread.learner)
    url = public_url(reverse("message_thread", kwargs={"pk": thread.pk}))
    number = users_with_sms_reminders(user_ids=[recipient.pk]).get(recipient.pk)
    if number:
        body = _("TapTime: %(count)s new message(s) from %(name)s. Read: %(url)s") % {
            "count": unread,
            "name": sender.first_name or sender,
            "url": url,
        }
        try:
            sms_send(user=recipient, to=number, body=body, purpose="new_message")
            return 1
        except SmsRefused:
            pass  # the number is dead: fall back to email
    email_send(
        to=recipient.email,
        template="message_new",
        context={"user": recipient, "sender_name": sender.first_name or str(sender), "count": unread, "url": url},
        language=recipient.preferred_language,
    )
    return 1


# --- Reports and blocks ----------------------------------------------------------------------------


def message_report(*, message: Message, reporter, reason: str) -> MessageReport:
    """A participant reports a message of the other side: the thread goes to the staff queue, nothing is hidden."""
    reason = (reason or "").strip()
    if not reason:
        raise MessageError(_("Please say why you are reporting this message."), code="reason_required")
    if len(reason) > REPORT_REASON_MAX:
        raise MessageError(
            _("Reasons are at most %(n)s characters.") % {"n": REPORT_REASON_MAX}, code="reason_too_long"
        )
    if message.thread.role_of(reporter) is None:
        raise MessageError(_("This conversation is not yours."), code="not_participant")
    if message.sender_id == reporter.pk:
        raise MessageError(_("You cannot report your own message."), code="own_message")
    try:
        with transaction.atomic():
            report = MessageReport.objects.create(message=message, reporter=reporter, reason=reason)
            Thread.objects.filter(pk=message.thread_id).update(needs_moderation=True)
    except IntegrityError:
        raise MessageError(_("You have already reported this message."), code="already_reported") from None
    return report


def thread_block(*, thread: Thread, by, blocked: bool, now: datetime | None = None) -> Thread:
    """``by`` stops (or lets again) the other participant write; bookings between them are kept."""
    role = thread.role_of(by)
    if role is None:
        raise MessageError(_("This conversation is not yours."), code="not_participant")
    value = (now or timezone.now()) if blocked else None
    Thread.objects.filter(pk=thread.pk).update(**{f"{role}_blocked_at": value})
    setattr(thread, f"{role}_blocked_at", value)
    return thread


# --- Staff -----------------------------------------------------------------------------------------


def thread_open_by_staff(*, thread: Thread, staff) -> None:
    """A moderator opened a reported thread: the audit log says who and when (nobody reads unlogged)."""
    log(instance=thread, action=LOG_OPEN, user=staff)


def message_hide(*, message: Message, staff, reason: str = "", now: datetime | None = None) -> Message:
    now = now or timezone.now()
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(hidden_at=now)
        message.hidden_at = now
        MessageReport.objects.filter(message=message, resolved_at__isnull=True).update(resolved_at=now)
        log(instance=message.thread, action=LOG_HIDE, user=staff, data={"message": message.pk, "reason": reason[:200]})
    return message


def thread_dismiss(*, thread: Thread, staff, now: datetime | None = None) -> Thread:
    """The thread leaves the queue: its open reports are answered, its messages stay as they are."""
    now = now or timezone.now()
    with transaction.atomic():
        MessageReport.objects.filter(message__thread=thread, resolved_at__isnull=True).update(resolved_at=now)
        Thread.objects.filter(pk=thread.pk).update(needs_moderation=False)
        thread.needs_moderation = False
        log(instance=thread, action=LOG_DISMISS, user=staff)
    return thread
