"""Reviews' part of a person's data: reviews they gave, reviews of their sessions as an expert
(with their replies), and reports they made (registered in ``ready``).

Erasure keeps the star ratings (the expert's average stays true) and removes every text the
person wrote: review text and private note, replies, report reasons.
"""

from __future__ import annotations

from typing import Any

from accounts import privacy

from .models import ReviewReport, SessionReview
from .structured_data import expert_reviews_changed

_FIELDS = (
    "id",
    "booking_id",
    "rating",
    "knowledge",
    "clarity",
    "preparation",
    "text",
    "created_at",
    "published_at",
    "hidden_at",
    "reply",
    "replied_at",
)


def export(*, user) -> dict[str, Any]:
    return {
        "reviews_given": SessionReview.objects.filter(learner=user).values(*_FIELDS, "private_note").iterator(),
        "reviews_received": SessionReview.objects.filter(profile__user=user, published_at__isnull=False)
        .values(*_FIELDS)
        .iterator(),
        "review_reports": ReviewReport.objects.filter(reporter=user)
        .values("review_id", "reason", "created_at", "resolved_at")
        .iterator(),
    }


def erase(*, user, pseudonym: str) -> None:
    # The expert pages' cached review sections show the learner's first name and text: retire them.
    for profile_id in set(SessionReview.objects.filter(learner=user).values_list("profile_id", flat=True)):
        expert_reviews_changed(profile_id=profile_id)
    SessionReview.objects.filter(learner=user).update(text="", private_note="")
    SessionReview.objects.filter(profile__user=user).exclude(reply="").update(reply="")
    ReviewReport.objects.filter(reporter=user).update(reason="")


def register() -> None:
    privacy.register("reviews", export=export, erase=erase, models=[SessionReview, ReviewReport])
