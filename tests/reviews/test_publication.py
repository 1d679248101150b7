"""Reviews go public after the delay or at the learner's next completed session with the expert, and the
expert's aggregate follows the public reviews exactly (publish, edit, hide, restore)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from core.outbox import outbox_drain
from marketplace.models import ExpertProfile
from reviews.errors import ReviewError
from reviews.models import ModerationDecision, SessionReview
from reviews.services import review_hide, review_restore, review_staff_reply, review_submit, reviews_publish_due
from tests.factories import UserFactory

from .helpers import completed_session, published_review

pytestmark = pytest.mark.django_db


def figures(profile) -> tuple[Decimal, int]:
    profile = ExpertProfile.objects.get(pk=profile.pk)
    return profile.rating_avg, profile.rating_count


def test_a_review_stays_private_until_the_delay_is_over_then_counts(learner, ada, settings):
    settings.REVIEW_PUBLISH_DELAY_DAYS = 3
    now = timezone.now()
    session = completed_session(learner=learner, expert_profile=ada)
    review = review_submit(booking=session, learner=learner, rating=4, now=now)
    assert reviews_publish_due(now=now + timedelta(days=2, hours=23)) == 0
    assert figures(ada) == (Decimal("0.00"), 0)
    assert reviews_publish_due(now=now + timedelta(days=3)) == 1
    review.refresh_from_db()
    assert review.published_at == now + timedelta(days=3)
    assert figures(ada) == (Decimal("4.00"), 1)
    # Idempotent: a second run publishes nothing and leaves the figures.
    assert reviews_publish_due(now=now + timedelta(days=4)) == 0
    assert figures(ada) == (Decimal("4.00"), 1)


def test_the_learners_next_completed_session_with_the_expert_publishes_at_once(learner, ada):
    now = timezone.now()
    first = completed_session(learner=learner, expert_profile=ada, ended_days_ago=2)
    review_submit(booking=first, learner=learner, rating=5, now=now)
    # Another learner's session, or a session with someone else, changes nothing.
    completed_session(learner=UserFactory(), expert_profile=ada, ended_days_ago=0.5)
    assert reviews_publish_due(now=now) == 0
    completed_session(learner=learner, expert_profile=ada, ended_days_ago=0.5)
    assert reviews_publish_due(now=now) == 1
    assert figures(ada) == (Decimal("5.00"), 1)


def test_the_average_is_exact_and_rounds_half_up(learner, ada):
    for rating in (5, 4, 4):
        published_review(learner=UserFactory(), expert_profile=ada, rating=rating)
    assert figures(ada) == (Decimal("4.33"), 3)
    published_review(learner=UserFactory(), expert_profile=ada, rating=4)
    published_review(learner=UserFactory(), expert_profile=ada, rating=4)
    published_review(learner=UserFactory(), expert_profile=ada, rating=4)
    published_review(learner=UserFactory(), expert_profile=ada, rating=4)
    published_review(learner=UserFactory(), expert_profile=ada, rating=5)
    # 34 / 8 = 4.25 exactly
    assert figures(ada) == (Decimal("4.25"), 8)


def test_changing_a_published_review_updates_the_aggregate(learner, ada):
    review = published_review(learner=learner, expert_profile=ada, rating=5)
    review_submit(booking=review.booking, learner=learner, rating=2)
    assert figures(ada) == (Decimal("2.00"), 1)


def test_hiding_and_restoring_move_the_aggregate_and_are_logged_and_the_author_is_told(learner, ada, staff_user):
    kept = published_review(learner=UserFactory(), expert_profile=ada, rating=5)
    hidden = published_review(learner=learner, expert_profile=ada, rating=1, text="Call me on +49 30 1234567")
    assert hidden.flags == "phone" and kept.flags == ""
    assert figures(ada) == (Decimal("3.00"), 2)
    with pytest.raises(ReviewError, match="reason"):
        review_hide(review=hidden, staff=staff_user, reason="  ")
    mail.outbox.clear()
    review_hide(review=hidden, staff=staff_user, reason="Contact details are not allowed.")
    assert figures(ada) == (Decimal("5.00"), 1)
    outbox_drain()
    (email,) = mail.outbox
    assert email.to == [learner.email] and "Contact details are not allowed." in email.body
    with pytest.raises(ReviewError, match="already hidden"):
        review_hide(review=hidden, staff=staff_user, reason="again")
    review_restore(review=hidden, staff=staff_user)
    assert figures(ada) == (Decimal("3.00"), 2)
    review_staff_reply(review=kept, staff=staff_user, text="Thank you for the kind words.")
    kept.refresh_from_db()
    assert kept.reply_by_staff and kept.reply == "Thank you for the kind words."
    actions = list(ModerationDecision.objects.order_by("pk").values_list("action", "staff_id"))
    assert actions == [("hide", staff_user.pk), ("restore", staff_user.pk), ("reply", staff_user.pk)]


def test_a_flagged_review_hidden_before_publication_never_goes_public(learner, ada, staff_user):
    booking = completed_session(learner=learner, expert_profile=ada)
    review = review_submit(booking=booking, learner=learner, rating=1, text="Mail me: a@b.example")
    assert review.needs_moderation and review.flags == "email"
    review_hide(review=review, staff=staff_user, reason="Contact details.")
    assert reviews_publish_due(now=timezone.now() + timedelta(days=30)) == 1
    review.refresh_from_db()
    assert not review.is_public and not review.needs_moderation
    assert figures(ada) == (Decimal("0.00"), 0)
    with pytest.raises(ReviewError, match="published"):
        review_staff_reply(
            review=SessionReview.objects.create(
                booking=completed_session(learner=UserFactory(), expert_profile=ada),
                learner=learner,
                profile=ada,
                session_minutes=60,
                rating=3,
                publish_after=timezone.now(),
            ),
            staff=staff_user,
            text="Too early",
        )


def test_links_emails_and_listed_words_are_flagged_not_blocked(learner, ada, settings):
    settings.REVIEW_FLAG_WORDS = ["venmo"]
    cases = [
        ("See www.example.com", "link"),
        ("Write to ada@example.org", "email"),
        ("Pay me on Venmo instead", "word"),
        ("Great session, 10 out of 10, 2024 was my year", ""),
    ]
    for text, flags in cases:
        booking = completed_session(learner=UserFactory(), expert_profile=ada)
        review = review_submit(booking=booking, learner=booking.learner, rating=4, text=text)
        assert review.flags == flags, text
