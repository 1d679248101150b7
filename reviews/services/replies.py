"""The expert answers a published review once, publicly, or reports it to moderation."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import locked_transaction

from ..errors import ReviewError
from ..models import REASON_MAX, REPLY_MAX, ReviewReport, SessionReview
from ..structured_data import expert_reviews_changed


def _experts_public_review(review_id: int, expert) -> SessionReview:
    review = SessionReview.objects.select_for_update().filter(pk=review_id, profile__user=expert).first()
    if review is None or review.published_at is None:
        raise ReviewError(_("This review is not one of your published reviews."), code="not_found")
    return review


def review_reply(*, review: SessionReview, expert, text: str, now: datetime | None = None) -> SessionReview:
    """The expert's one public reply to a published review of theirs; a second reply is refused."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Please write your reply."), code="reply_required")
    if len(text) > REPLY_MAX:
        raise ReviewError(_("Replies are at most %(n)s characters.") % {"n": REPLY_MAX}, code="reply_too_long")
    with locked_transaction():
        locked = _experts_public_review(review.pk, expert)
        if locked.replied_at is not None:
            raise ReviewError(_("You have already replied to this review."), code="already_replied")
        locked.reply = text
        # Never before publication (a constraint): a job on a clock a little ahead must not make this fail.
        locked.replied_at = max(now, locked.published_at)
        locked.reply_by_staff = False
        locked.save(update_fields=["reply", "replied_at", "reply_by_staff", "updated_at"])
        expert_reviews_changed(profile_id=locked.profile_id)
        return locked


def review_report(*, review: SessionReview, reporter, reason: str) -> ReviewReport:
    """The expert reports a published review of theirs: it goes to the moderation queue and stays visible."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Please say why you are reporting this review."), code="reason_required")
    if len(reason) > REASON_MAX:
        raise ReviewError(_("Reasons are at most %(n)s characters.") % {"n": REASON_MAX}, code="reason_too_long")
    try:
        with locked_transaction():
            locked = _experts_public_review(review.pk, reporter)
            report = ReviewReport.objects.create(review=locked, reporter=reporter, reason=reason)
            SessionReview.objects.filter(pk=locked.pk).update(needs_moderation=True)
            return report
    except IntegrityError:
        raise ReviewError(_("You have already reported this review."), code="already_reported") from None
