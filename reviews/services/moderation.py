"""Staff decisions on a review: hide (the author is told why), restore, reply as staff.

Each decision is a ``ModerationDecision`` row written in the same transaction, and hiding or
restoring recomputes the expert's aggregate under the profile's lock.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.locking import locked_transaction
from core.outbox import outbox_enqueue
from notifications.services import email_send

from ..errors import ReviewError
from ..models import REASON_MAX, REPLY_MAX, ModerationDecision, SessionReview
from ..structured_data import expert_reviews_changed
from .publication import profile_lock, rating_aggregate_refresh

Action = ModerationDecision.Action
MODERATE_PERMISSION = "reviews.moderate_sessionreview"
# Wagtail log actions, one per decision (registered in ``reviews.wagtail_hooks``).
LOG_ACTIONS = {action: f"reviews.review.{action}" for action in Action.values}


def _decide(review: SessionReview, *, staff, action: str, reason: str = "") -> None:
    """The decision's record: a row of ours (shown with the review) and Wagtail's audit entry."""
    ModerationDecision.objects.create(review=review, staff=staff, action=action, reason=reason)
    log(instance=review, action=LOG_ACTIONS[action], user=staff, data={"reason": reason[:200]})


def _locked(review_id: int, *, published: bool = False) -> SessionReview:
    """The review under its row lock. Hiding works before publication too (a flagged review then never
    goes public); a staff reply needs a published review to stand under."""
    review = SessionReview.objects.select_for_update().filter(pk=review_id).first()
    if review is None or (published and review.published_at is None):
        raise ReviewError(_("Only published reviews can be answered."), code="not_published")
    return review


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Please give a reason."), code="reason_required")
    if len(reason) > REASON_MAX:
        raise ReviewError(_("Reasons are at most %(n)s characters.") % {"n": REASON_MAX}, code="reason_too_long")
    return reason


def _resolve(review: SessionReview, now: datetime) -> None:
    """A decision answers the open reports and takes the review out of the queue."""
    review.reports.filter(resolved_at__isnull=True).update(resolved_at=now)
    SessionReview.objects.filter(pk=review.pk).update(needs_moderation=False)
    review.needs_moderation = False


def review_hide(*, review: SessionReview, staff, reason: str, now: datetime | None = None) -> SessionReview:
    now = now or timezone.now()
    reason = _reason(reason)
    with locked_transaction():
        profile_lock(profile_id=review.profile_id)
        locked = _locked(review.pk)
        if locked.hidden_at is not None:
            raise ReviewError(_("This review is already hidden."), code="already_hidden")
        locked.hidden_at = now
        locked.hidden_reason = reason
        locked.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
        rating_aggregate_refresh(profile_id=locked.profile_id)
        _decide(locked, staff=staff, action=Action.HIDE, reason=reason)
        _resolve(locked, now)
        count = locked.decisions.filter(action=Action.HIDE).count()
        outbox_enqueue(
            app_label="reviews",
            handler="reviews.tasks.send_review_hidden_email",
            payload={"review_id": locked.pk},
            dedupe_key=f"review-{locked.pk}-hidden-{count}",
        )
        return locked


def review_restore(*, review: SessionReview, staff, reason: str = "", now: datetime | None = None) -> SessionReview:
    now = now or timezone.now()
    with locked_transaction():
        profile_lock(profile_id=review.profile_id)
        locked = _locked(review.pk)
        if locked.hidden_at is None:
            raise ReviewError(_("This review is not hidden."), code="not_hidden")
        locked.hidden_at = None
        locked.hidden_reason = ""
        locked.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
        rating_aggregate_refresh(profile_id=locked.profile_id)
        _decide(locked, staff=staff, action=Action.RESTORE, reason=reason.strip())
        _resolve(locked, now)
        return locked


def review_dismiss(*, review: SessionReview, staff, reason: str = "", now: datetime | None = None) -> SessionReview:
    """Keep the review as it is: its reports are answered and it leaves the queue."""
    now = now or timezone.now()
    with locked_transaction():
        locked = _locked(review.pk)
        _decide(locked, staff=staff, action=Action.DISMISS, reason=reason.strip())
        _resolve(locked, now)
        return locked


def review_staff_reply(*, review: SessionReview, staff, text: str, now: datetime | None = None) -> SessionReview:
    """TapTime's public answer under a review (replaces the expert's, if any: staff have the last word)."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text or len(text) > REPLY_MAX:
        raise ReviewError(_("Replies need 1 to %(n)s characters.") % {"n": REPLY_MAX}, code="reply_invalid")
    with locked_transaction():
        locked = _locked(review.pk, published=True)
        locked.reply, locked.replied_at, locked.reply_by_staff = text, max(now, locked.published_at), True
        locked.save(update_fields=["reply", "replied_at", "reply_by_staff", "updated_at"])
        expert_reviews_changed(profile_id=locked.profile_id)
        _decide(locked, staff=staff, action=Action.REPLY, reason=text)
        return locked


def review_hidden_email_send(*, review_id: int) -> int:
    """Outbox handler: tell the author their review was hidden and why; nothing if it was restored meanwhile."""
    review = SessionReview.objects.select_related("learner", "profile__user").filter(pk=review_id).first()
    if review is None or review.hidden_at is None:
        return 0
    email_send(
        to=review.learner.email,
        template="review_hidden",
        context={"user": review.learner, "expert_name": str(review.profile.user), "reason": review.hidden_reason},
        language=review.learner.preferred_language,
    )
    return 1
