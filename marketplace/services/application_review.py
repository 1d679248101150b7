"""The staff side of expert applications: claim, check documents, note, and decide.

Every function takes the acting reviewer, locks the application row, checks the
state it needs, writes the change, an ``ApplicationEvent`` (the application's
history, shown to the applicant unless ``private``) and a Wagtail log entry
(Reports → Site history), and queues the applicant's email on commit. A
decision needs the claim: a reviewer claims an application (or explicitly takes
it over from a colleague) before deciding, so two reviewers never decide the
same one; the second one sees who holds it.

Approval (``application_approve``) turns the applicant into an expert in one
transaction: see ``application_approval`` for what it creates.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.locking import locked_transaction

from ..errors import ReviewRefused
from ..models import ApplicationDocument, ApplicationEvent, ExpertApplication, ExpertProfile
from .application_approval import approval_create_expert
from .application_emails import send_application_approved, send_application_rejected, send_changes_requested

Status = ExpertApplication.Status
Kind = ApplicationEvent.Kind
REVIEW_PERMISSION = "marketplace.review_expertapplication"
# Longest reviewer message (change request, rejection reason, note) we keep.
MESSAGE_MAX_LENGTH = 4000

# Wagtail log actions (registered with labels in marketplace/wagtail_hooks.py).
LOG_CLAIM = "marketplace.application.claim"
LOG_NOTE = "marketplace.application.note"
LOG_DOCUMENT = "marketplace.application.document_check"
LOG_CHANGES = "marketplace.application.request_changes"
LOG_REJECT = "marketplace.application.reject"
LOG_APPROVE = "marketplace.application.approve"


def _require_reviewer(actor) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(REVIEW_PERMISSION):
        raise ReviewRefused(_("You do not have permission to review expert applications."), code="forbidden")


def _lock(application: ExpertApplication) -> ExpertApplication:
    return ExpertApplication.objects.select_for_update().select_related("user").get(pk=application.pk)


def _event(application: ExpertApplication, *, actor, kind: str, message: str = "", private: bool = False) -> None:
    ApplicationEvent.objects.create(application=application, actor=actor, kind=kind, message=message, private=private)


def _clean_message(message: str, *, required_error: str) -> str:
    message = (message or "").strip()
    if not message:
        raise ReviewRefused(required_error, code="message_required")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ReviewRefused(
            _("Keep the message under %(n)s characters.") % {"n": MESSAGE_MAX_LENGTH}, code="message_too_long"
        )
    return message


def _require_held(application: ExpertApplication, actor) -> None:
    """Decisions and document checks need the application in review and held by ``actor``."""
    if application.status == Status.SUBMITTED:
        raise ReviewRefused(_("Claim this application before you act on it."), code="not_held")
    if application.status != Status.IN_REVIEW:
        raise ReviewRefused(
            _("This application is %(status)s, so it cannot be changed now.")
            % {"status": application.get_status_display().lower()},
            code="wrong_status",
        )
    if application.reviewer_id != actor.pk:
        raise ReviewRefused(_("Claim this application before you act on it."), code="not_held")


@locked_transaction()
def application_claim(*, application: ExpertApplication, actor, take_over: bool = False) -> ExpertApplication:
    """Hold the application for review (submitted → in review).

    Held by a colleague: refused unless ``take_over`` (the reviewer saw who holds
    it and since when, and chose to take it); the take-over is logged with the
    previous holder's name.
    """
    _require_reviewer(actor)
    application = _lock(application)
    if application.status not in (Status.SUBMITTED, Status.IN_REVIEW):
        raise ReviewRefused(
            _("Only submitted applications can be claimed; this one is %(status)s.")
            % {"status": application.get_status_display().lower()},
            code="wrong_status",
        )
    # A reviewer keeps the claim while the applicant answers a change request, so the
    # answer comes back to them (submitted again, still theirs).
    held_by_other = application.reviewer_id is not None and application.reviewer_id != actor.pk
    if application.status == Status.IN_REVIEW and application.reviewer_id == actor.pk:
        return application  # already yours: nothing to log
    if held_by_other and not take_over:
        raise ReviewRefused(
            _("%(name)s is reviewing this application. Take it over only if you agreed with them.")
            % {"name": application.reviewer.full_name or application.reviewer.email},
            code="held",
        )
    previous = application.reviewer if held_by_other else None
    application.status = Status.IN_REVIEW
    application.reviewer = actor
    application.claimed_at = timezone.now()
    application.save(update_fields=["status", "reviewer", "claimed_at", "updated_at"])
    message = (
        _("Taken over from %(name)s.") % {"name": previous.full_name or previous.email} if previous is not None else ""
    )
    _event(application, actor=actor, kind=Kind.CLAIMED, message=message, private=True)
    log(instance=application, action=LOG_CLAIM, user=actor, data={"taken_over_from": getattr(previous, "pk", None)})
    return application


@locked_transaction()
def application_note_add(*, application: ExpertApplication, actor, text: str) -> ApplicationEvent:
    """A private reviewer note (staff only), on an application in any state."""
    _require_reviewer(actor)
    application = _lock(application)
    if application.status == Status.DRAFT:
        raise ReviewRefused(_("This application has not been submitted yet."), code="wrong_status")
    text = _clean_message(text, required_error=_("Write the note first."))
    event = ApplicationEvent.objects.create(
        application=application, actor=actor, kind=Kind.NOTE, message=text, private=True
    )
    log(instance=application, action=LOG_NOTE, user=actor)
    return event


@locked_transaction()
def application_document_check(
    *, application: ExpertApplication, document_id: int, actor, check_status: str
) -> ApplicationDocument:
    """Record the checklist result of one document: verified, expired or unreadable."""
    _require_reviewer(actor)
    application = _lock(application)
    _require_held(application, actor)
    allowed = {
        ApplicationDocument.CheckStatus.VERIFIED,
        ApplicationDocument.CheckStatus.EXPIRED,
        ApplicationDocument.CheckStatus.UNREADABLE,
    }
    if check_status not in allowed:
        raise ReviewRefused(_("Choose verified, expired or unreadable."), code="bad_check")
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise ReviewRefused(_("That document is not part of this application."), code="not_found")
    today = timezone.localdate()
    if check_status == ApplicationDocument.CheckStatus.VERIFIED and document.expires_on and document.expires_on < today:
        raise ReviewRefused(
            _("This document expired on %(date)s: mark it expired, not verified.") % {"date": document.expires_on},
            code="expired",
        )
    document.check_status = check_status
    document.checked_by = actor
    document.checked_at = timezone.now()
    document.save(update_fields=["check_status", "checked_by", "checked_at"])
    label = ApplicationDocument.CheckStatus(check_status).label
    _event(application, actor=actor, kind=Kind.DOCUMENT_CHECKED, message=f"{document.title}: {label}", private=True)
    log(instance=application, action=LOG_DOCUMENT, user=actor, data={"document": document.pk, "check": check_status})
    return document


@locked_transaction()
def application_request_changes(*, application: ExpertApplication, actor, message: str) -> ExpertApplication:
    """Send the application back to the applicant with what to change (the message is required)."""
    _require_reviewer(actor)
    application = _lock(application)
    _require_held(application, actor)
    message = _clean_message(message, required_error=_("Tell the applicant what to change."))
    application.status = Status.CHANGES_REQUESTED
    application.decision_message = message
    application.save(update_fields=["status", "decision_message", "updated_at"])
    _event(application, actor=actor, kind=Kind.CHANGES_REQUESTED, message=message)
    log(instance=application, action=LOG_CHANGES, user=actor)
    send_changes_requested(application)
    return application


@locked_transaction()
def application_reject(*, application: ExpertApplication, actor, reason: str) -> ExpertApplication:
    """Turn the application down with a reason the applicant reads (required)."""
    _require_reviewer(actor)
    application = _lock(application)
    _require_held(application, actor)
    reason = _clean_message(reason, required_error=_("Give the applicant the reason."))
    application.status = Status.REJECTED
    application.decision_message = reason
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save(update_fields=["status", "decision_message", "decided_at", "decided_by", "updated_at"])
    _event(application, actor=actor, kind=Kind.REJECTED, message=reason)
    log(instance=application, action=LOG_REJECT, user=actor)
    send_application_rejected(application)
    return application


@locked_transaction()
def application_approve(*, application: ExpertApplication, actor) -> ExpertProfile:
    """Approve: the expert's profile, offerings, draft page (in moderation), role and verification record.

    All of it or nothing: any refusal or error rolls the whole approval back.
    """
    _require_reviewer(actor)
    application = _lock(application)
    _require_held(application, actor)
    documents = list(application.documents.all())
    if any(document.check_status == ApplicationDocument.CheckStatus.PENDING for document in documents):
        raise ReviewRefused(_("Check every document (verified, expired or unreadable) before approving."))
    if not any(
        document.kind == ApplicationDocument.Kind.IDENTITY
        and document.check_status == ApplicationDocument.CheckStatus.VERIFIED
        for document in documents
    ):
        raise ReviewRefused(
            _("Verify an identity document before approving; if there is none, request changes."), code="identity"
        )
    profile = approval_create_expert(application=application, actor=actor, documents=documents)
    application.status = Status.APPROVED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_message = ""
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_message", "updated_at"])
    _event(application, actor=actor, kind=Kind.APPROVED)
    log(instance=application, action=LOG_APPROVE, user=actor, data={"profile": profile.pk})
    send_application_approved(application)
    return profile
