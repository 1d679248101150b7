"""Completed sessions and published reviews for the review tests, written as the product would leave them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from bookings.models import Booking
from reviews.models import SessionReview
from reviews.services import review_submit, reviews_publish_due
from tests.builders import booking_in_state


def completed_session(*, learner, expert_profile, ended_days_ago: float = 1, minutes: int = 60) -> Booking:
    """A session of ``learner`` with the expert that ended ``ended_days_ago`` days ago (completed by the job)."""
    end = timezone.now() - timedelta(days=ended_days_ago)
    return booking_in_state(
        learner=learner,
        expert=expert_profile.user,
        start=end - timedelta(minutes=minutes),
        minutes=minutes,
        status=Booking.Status.COMPLETED,
    )


def published_review(
    *, learner, expert_profile, rating: int = 5, text: str = "", now: datetime | None = None, **fields
) -> SessionReview:
    """A review written through the service four days ago and published by the job now (after the delay)."""
    now = now or timezone.now()
    booking = completed_session(learner=learner, expert_profile=expert_profile, ended_days_ago=5)
    written = now - timedelta(days=4)
    review = review_submit(booking=booking, learner=learner, rating=rating, text=text, now=written, **fields)
    reviews_publish_due(now=now)
    review.refresh_from_db()
    return review
