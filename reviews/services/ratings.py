"""The learner writes (and, for a while, changes) the one review of a completed session."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Booking
from core.locking import locked_transaction
from core.text_flags import text_flags
from marketplace.models import ExpertProfile

from ..errors import ReviewError
from ..models import SessionReview
from .publication import profile_lock, rating_aggregate_refresh


def review_flags(*texts: str) -> str:
    """Why these texts go to the moderation queue ("link,email,phone,word"), or "" when nothing is found.

    The checks themselves are ``core.text_flags`` (shared with messages); reviews use the word list
    ``REVIEW_FLAG_WORDS``. Nothing is blocked on these grounds.
    """
    return text_flags(*texts, words=settings.REVIEW_FLAG_WORDS)


def review_writable_check(*, booking: Booking, user, now: datetime) -> None:
    """Raise ``ReviewError`` unless ``user`` may write or change the review of ``booking`` now."""
    if booking.learner_id != user.pk:
        raise ReviewError(_("Only the learner of a session can rate it."), code="not_learner")
    if booking.status != Booking.Status.COMPLETED:
        raise ReviewError(_("You can rate this session once it has been completed."), code="not_completed")
    if now > booking.end + timedelta(days=settings.REVIEW_EDIT_DAYS):
        raise ReviewError(
            _("Sessions can be rated for %(days)s days after they end; this one can no longer be rated.")
            % {"days": settings.REVIEW_EDIT_DAYS},
            code="window_closed",
        )


def review_submit(
    *,
    booking: Booking,
    learner,
    rating: int,
    knowledge: int | None = None,
    clarity: int | None = None,
    preparation: int | None = None,
    text: str = "",
    private_note: str = "",
    now: datetime | None = None,
) -> SessionReview:
    """Write the booking's review, or change it while the window is open; one row per booking.

    The booking's row lock orders two submissions of the same booking (two tabs): the second one
    finds the first's row and changes it. A published review that changes updates the expert's
    aggregate in the same transaction, under the profile's lock.
    """
    now = now or timezone.now()
    values = {"rating": rating, "knowledge": knowledge, "clarity": clarity, "preparation": preparation}
    for value in values.values():
        if value is not None and not 1 <= int(value) <= 5:
            raise ReviewError(_("Ratings go from 1 to 5 stars."), code="out_of_range")
    if rating is None:
        raise ReviewError(_("Please choose an overall rating."), code="rating_required")
    try:
        with locked_transaction():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            review_writable_check(booking=locked, user=learner, now=now)
            review = SessionReview.objects.filter(booking=locked).first()
            if review is None:
                profile_id = ExpertProfile.objects.filter(user_id=locked.expert_id).values_list("pk", flat=True).get()
                review = SessionReview(
                    booking=locked,
                    learner_id=locked.learner_id,
                    profile_id=profile_id,
                    session_minutes=locked.duration_minutes,
                    publish_after=now + timedelta(days=settings.REVIEW_PUBLISH_DELAY_DAYS),
                )
            for name, value in values.items():
                setattr(review, name, value)
            review.text = text.strip()
            review.private_note = private_note.strip()
            flags = review_flags(review.text, review.private_note)
            if flags and flags != review.flags:
                review.needs_moderation = True
            review.flags = flags
            review.save()
            if review.is_public:
                profile_lock(profile_id=review.profile_id)
                rating_aggregate_refresh(profile_id=review.profile_id)
            return review
    except IntegrityError:
        raise ReviewError(_("This session already has a review."), code="duplicate") from None
