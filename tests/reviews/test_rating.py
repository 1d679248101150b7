"""/bookings/<id>/rate/: only the session's learner, only once it is completed, within 14 days, 1–5 stars."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from reviews.errors import ReviewError
from reviews.models import SessionReview
from reviews.services import review_submit
from tests.builders import booking_in_state
from tests.factories import ExpertUserFactory, UserFactory

from .helpers import completed_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(learner, ada):
    return completed_session(learner=learner, expert_profile=ada)


def rate_url(booking) -> str:
    return reverse("booking_rate", kwargs={"pk": booking.pk})


def test_the_learner_rates_a_completed_session_with_labelled_star_radios(client, learner, ada, session):
    client.force_login(learner)
    page = client.get(rate_url(session)).content.decode()
    assert '<legend>Overall <span class="muted">(required)</span></legend>' in page
    assert 'type="radio" name="rating" value="5"' in page and "5 stars — excellent" in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    response = client.post(
        rate_url(session),
        {"rating": "4", "knowledge": "5", "clarity": "", "text": "Clear and patient.", "private_note": "Thanks!"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("learner_dashboard")
    review = SessionReview.objects.get(booking=session)
    assert (review.rating, review.knowledge, review.clarity, review.text) == (4, 5, None, "Clear and patient.")
    assert review.session_minutes == 60 and review.profile_id == ada.pk
    # Not public yet: the expert's figures have not moved.
    assert review.published_at is None
    ada.refresh_from_db()
    assert ada.rating_count == 0


def test_rating_again_changes_the_one_review_and_the_database_refuses_a_second(client, learner, session):
    client.force_login(learner)
    client.post(rate_url(session), {"rating": "2"})
    client.post(rate_url(session), {"rating": "5", "text": "Second thoughts: great."})
    review = SessionReview.objects.get(booking=session)
    assert (review.rating, review.text) == (5, "Second thoughts: great.")
    assert "You have already rated this session" in client.get(rate_url(session)).content.decode()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionReview.objects.create(
            booking=session,
            learner=review.learner,
            profile=review.profile,
            session_minutes=60,
            rating=1,
            publish_after=timezone.now(),
        )


@pytest.mark.parametrize("stars", ["0", "6", "-1", "4.5", "five", ""])
def test_stars_outside_one_to_five_are_refused_with_a_message(client, learner, session, stars):
    client.force_login(learner)
    response = client.post(rate_url(session), {"rating": stars, "knowledge": "3"})
    assert response.status_code == 200
    assert "field--invalid" in response.content.decode()
    assert not SessionReview.objects.exists()


def test_a_sub_rating_out_of_range_is_refused(client, learner, session):
    client.force_login(learner)
    response = client.post(rate_url(session), {"rating": "5", "clarity": "9"})
    assert response.status_code == 200 and not SessionReview.objects.exists()
    with pytest.raises(ReviewError):
        review_submit(booking=session, learner=learner, rating=7)
    assert not SessionReview.objects.exists()


def test_tampered_fields_cannot_pick_the_booking_the_author_or_publication(client, learner, ada, session):
    other = completed_session(learner=UserFactory(), expert_profile=ada)
    client.force_login(learner)
    client.post(
        rate_url(session),
        {
            "rating": "5",
            "booking": other.pk,
            "learner": other.learner_id,
            "profile": 999,
            "published_at": "2020-01-01T00:00:00Z",
            "publish_after": "2020-01-01T00:00:00Z",
        },
    )
    review = SessionReview.objects.get()
    assert (review.booking_id, review.learner_id, review.profile_id) == (session.pk, learner.pk, ada.pk)
    assert review.published_at is None and review.publish_after > timezone.now()


def test_text_longer_than_the_limit_is_refused(client, learner, session):
    client.force_login(learner)
    response = client.post(rate_url(session), {"rating": "5", "text": "x" * 2001})
    assert "at most 2000 characters" in response.content.decode()
    assert not SessionReview.objects.exists()


@pytest.mark.parametrize(
    "status", [Booking.Status.CONFIRMED, Booking.Status.CANCELLED_BY_LEARNER, Booking.Status.NO_SHOW_EXPERT]
)
def test_a_session_that_is_not_completed_cannot_be_rated(client, learner, ada, status):
    booking = booking_in_state(
        learner=learner, expert=ada.user, start=timezone.now() - timedelta(hours=3), status=status
    )
    client.force_login(learner)
    for response in (client.get(rate_url(booking)), client.post(rate_url(booking), {"rating": "5"})):
        assert response.status_code == 302
        assert response["Location"] == reverse("booking_detail", kwargs={"pk": booking.pk})
    messages = [str(m) for m in client.get(reverse("booking_detail", kwargs={"pk": booking.pk})).context["messages"]]
    assert "You can rate this session once it has been completed." in messages
    assert not SessionReview.objects.exists()


def test_after_fourteen_days_the_session_can_no_longer_be_rated_or_changed(client, learner, ada):
    fresh = completed_session(learner=learner, expert_profile=ada, ended_days_ago=13.9)
    stale = completed_session(learner=learner, expert_profile=ada, ended_days_ago=14.1)
    client.force_login(learner)
    assert client.post(rate_url(fresh), {"rating": "3"}).status_code == 302
    response = client.post(rate_url(stale), {"rating": "3"})
    assert response["Location"] == reverse("booking_detail", kwargs={"pk": stale.pk})
    assert list(SessionReview.objects.values_list("booking_id", flat=True)) == [fresh.pk]
    # The written one cannot be changed after its window either.
    later = timezone.now() + timedelta(days=1)
    with pytest.raises(ReviewError, match="can no longer be rated"):
        review_submit(booking=fresh, learner=learner, rating=1, now=later)
    assert SessionReview.objects.get().rating == 3


def test_nobody_but_the_sessions_learner_reaches_the_form(client, learner, ada, session):
    for user in (ada.user, UserFactory(), ExpertUserFactory()):
        client.force_login(user)
        assert client.get(rate_url(session)).status_code == 404
        assert client.post(rate_url(session), {"rating": "1"}).status_code == 404
    client.logout()
    assert client.post(rate_url(session), {"rating": "1"})["Location"].startswith("/accounts/login/")
    with pytest.raises(ReviewError):
        review_submit(booking=session, learner=ada.user, rating=1)
    assert not SessionReview.objects.exists()
    client.force_login(learner)
    assert client.put(rate_url(session)).status_code == 405
