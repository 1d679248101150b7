"""Reviews: real, published reviews behind every rating the demo shows.

The demo learner's older completed session with the demo expert gets a published review (the newer
one stays unrated, so the dashboard invites to rate it); ten more demo experts get one to three
completed sessions with past learners, each with a published review. Ratings are then computed
from those reviews, as the product computes them. Deterministic and idempotent: sessions are keyed
by their goals note, and a re-seed changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from bookings.models import Booking
from marketplace.models import ExpertProfile
from reviews.models import SessionReview
from reviews.services import rating_aggregate_refresh

from .base import Log, Tally
from .bookings import DEMO_SESSIONS, demo_session_bookings

SEED = 1515
PAST_LEARNERS = [("Mara Quint", "mara"), ("Tomas Reyes", "tomas"), ("Ines Okafor", "ines")]
TEXTS = [
    (5, "Clear, patient and well prepared. I left with a plan I could start on the same day."),
    (5, "Exactly the help I needed: we went straight to my problem and solved it."),
    (4, "Very knowledgeable. We ran a little over on one topic, but the notes afterwards made up for it."),
    (4, "Good session with practical examples; I would book again."),
    (3, "Helpful overall, though I had hoped for more time on my own code."),
]


def seed(*, log: Log) -> str:
    tally = Tally()
    _seed_demo_learner_review(tally)
    _seed_past_learner_reviews(tally)
    return tally.summary()


def _review(booking: Booking, profile: ExpertProfile, rating: int, text: str) -> SessionReview:
    published = booking.end + timedelta(days=3)
    return SessionReview.objects.create(
        booking=booking,
        learner_id=booking.learner_id,
        profile=profile,
        session_minutes=booking.duration_minutes,
        rating=rating,
        knowledge=rating,
        text=text,
        publish_after=published,
        published_at=published,
    )


def _seed_demo_learner_review(tally: Tally) -> None:
    oldest_note = DEMO_SESSIONS[0][3]
    booking = demo_session_bookings().filter(goals_note=oldest_note, status=Booking.Status.COMPLETED).first()
    if booking is None:
        return
    if SessionReview.objects.filter(booking=booking).exists():
        tally.add("reviews", False)
        return
    profile = ExpertProfile.objects.get(user_id=booking.expert_id)
    _review(booking, profile, 5, "We reorganised my project's apps in an hour; the import rules finally make sense.")
    rating_aggregate_refresh(profile_id=profile.pk)
    tally.add("reviews", True)


def _past_learners() -> list[User]:
    learners = []
    for name, slug in PAST_LEARNERS:
        email = f"{slug}@learners.taptime.example"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, full_name=name, time_zone="Europe/Madrid", password=None
        )
        learners.append(user)
    return learners


def _seed_past_learner_reviews(tally: Tally) -> None:
    rng = random.Random(SEED)
    profiles = list(
        ExpertProfile.objects.filter(user__email__endswith="@experts.taptime.example")
        .select_related("user")
        .order_by("user__email")[:10]
    )
    if not profiles:
        return
    learners = _past_learners()
    existing = set(
        Booking.objects.filter(goals_note__startswith="Demo reviewed session ").values_list("goals_note", flat=True)
    )
    today = timezone.now().replace(minute=0, second=0, microsecond=0)
    for number, profile in enumerate(profiles):
        count = rng.randint(1, 3)
        draws = [(rng.randint(20, 80), rng.choice(TEXTS)) for _ in range(count)]
        session_type = profile.session_types.filter(is_active=True).order_by("duration_minutes").first()
        if session_type is None:
            continue
        changed = False
        for index, (days_ago, (rating, text)) in enumerate(draws):
            note = f"Demo reviewed session {number}-{index}"
            if note in existing:
                tally.add("reviews", False)
                continue
            start = (today - timedelta(days=days_ago)).replace(hour=10 + index)
            booking = Booking.objects.create(
                learner=learners[index % len(learners)],
                expert=profile.user,
                session_type=session_type,
                start=start,
                end=start + timedelta(minutes=session_type.duration_minutes),
                status=Booking.Status.COMPLETED,
                amount_minor=session_type.price_minor,
                currency=session_type.currency,
                goals_note=note,
                confirmed_at=start - timedelta(days=3),
            )
            _review(booking, profile, rating, text)
            tally.add("reviews", True)
            changed = True
        if changed:
            rating_aggregate_refresh(profile_id=profile.pk)
