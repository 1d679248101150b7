"""Reviews become public after a delay, or sooner when the learner's next session with the expert completes.

The expert's ``rating_avg`` / ``rating_count`` are recomputed from the public reviews under the
profile's row lock, in the transaction that publishes, hides or restores: two jobs or a job and a
moderator serialise on the lock, and the figures can never drift from the reviews (an increment
could, after a hide racing a publish). Browse keeps reading two columns of the row it already loads.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from bookings.models import Booking
from core.locking import locked_transaction
from marketplace.models import ExpertProfile

from ..models import SessionReview
from ..signals import reviews_published
from ..structured_data import expert_reviews_changed

CENT = Decimal("0.01")


def profile_lock(*, profile_id: int) -> None:
    """Take the expert profile's row lock: every change to the public reviews of one expert queues here,
    so each recomputation sees the others' committed reviews (``REVIEW_AGGREGATE_LOCKING``)."""
    if settings.REVIEW_AGGREGATE_LOCKING:
        ExpertProfile.objects.select_for_update().filter(pk=profile_id).first()


def rating_aggregate_refresh(*, profile_id: int) -> tuple[Decimal, int]:
    """Recompute the profile's aggregate from its public reviews. The caller holds the profile's row lock."""
    totals = SessionReview.objects.public().filter(profile_id=profile_id).aggregate(stars=Sum("rating"), n=Count("id"))
    count = totals["n"] or 0
    average = (Decimal(totals["stars"]) / count).quantize(CENT, rounding=ROUND_HALF_UP) if count else Decimal(0)
    ExpertProfile.objects.filter(pk=profile_id).update(rating_avg=average, rating_count=count)
    expert_reviews_changed(profile_id=profile_id)
    return average, count


def _due(now: datetime):
    """Unpublished reviews whose delay is over or whose learner has since completed another session
    with the same expert. Reads only the unpublished rows (the partial index ``review_publish_due``)."""
    later_session = Booking.objects.filter(
        learner_id=OuterRef("learner_id"),
        expert_id=OuterRef("booking__expert_id"),
        status=Booking.Status.COMPLETED,
        start__gt=OuterRef("booking__start"),
    )
    return SessionReview.objects.filter(published_at__isnull=True).filter(
        Q(publish_after__lte=now) | Exists(later_session)
    )


def reviews_publish_due(*, now: datetime | None = None) -> int:
    """Publish every due review (the periodic job); one transaction per expert. Returns how many."""
    now = now or timezone.now()
    by_profile: dict[int, list[int]] = defaultdict(list)
    for pk, profile_id in _due(now).values_list("pk", "profile_id"):
        by_profile[profile_id].append(pk)
    published = 0
    for profile_id, ids in sorted(by_profile.items()):
        with locked_transaction():
            profile_lock(profile_id=profile_id)
            newly = SessionReview.objects.filter(pk__in=ids, published_at__isnull=True)
            public = list(newly.filter(hidden_at__isnull=True).values_list("pk", flat=True))
            published += newly.update(published_at=now)
            rating_aggregate_refresh(profile_id=profile_id)
            if public:
                reviews_published.send(
                    sender=SessionReview,
                    reviews=list(SessionReview.objects.filter(pk__in=public).select_related("profile").order_by("pk")),
                )
    return published
