"""GET /api/v1/experts/<slug>/reviews/: public reviews only, never the private note, cursor pages, constant queries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from bookings.models import Booking
from reviews.models import SessionReview
from reviews.services import review_hide, review_reply, review_submit
from tests.builders import booking_in_state
from tests.factories import UserFactory

from .helpers import completed_session, published_review

pytestmark = pytest.mark.django_db

URL = "/api/v1/experts/ada-lovelace/reviews/"


def test_only_public_reviews_without_private_notes(ada, staff_user):
    shown = published_review(
        learner=UserFactory(full_name="Grace Hopper"), expert_profile=ada, rating=4, text="Good.", private_note="secret"
    )
    review_reply(review=shown, expert=ada.user, text="Thank you!")
    hidden = published_review(learner=UserFactory(), expert_profile=ada, rating=1, text="Hidden one")
    review_hide(review=hidden, staff=staff_user, reason="Abuse.")
    booking = completed_session(learner=UserFactory(), expert_profile=ada)
    review_submit(booking=booking, learner=booking.learner, rating=2, text="Not yet")
    response = APIClient().get(URL)
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["rating"] == 4 and item["text"] == "Good." and item["learner_first_name"] == "Grace"
    assert item["reply"]["text"] == "Thank you!" and item["reply"]["by"] == "expert"
    assert "secret" not in response.content.decode() and "private_note" not in item


def test_reviews_come_in_cursor_pages(ada):
    for number in range(5):
        published_review(learner=UserFactory(), expert_profile=ada, text=f"Review {number}")
    client = APIClient()
    first = client.get(URL, {"page_size": 3}).json()
    assert len(first["results"]) == 3 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    texts = [item["text"] for item in first["results"] + second["results"]]
    assert sorted(texts) == [f"Review {n}" for n in range(5)]
    bad = client.get(URL, {"cursor": "nonsense"})
    assert bad.status_code == 404 and bad["Content-Type"] == "application/problem+json"


def test_an_unknown_expert_is_a_problem_404():
    response = APIClient().get("/api/v1/experts/nobody-here/reviews/")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_the_query_count_does_not_grow(ada, django_assert_num_queries):
    published_review(learner=UserFactory(), expert_profile=ada)
    client = APIClient()
    client.get(URL)
    with django_assert_num_queries(3) as small:
        client.get(URL)
    count = len(small.captured_queries)
    for _ in range(8):
        published_review(learner=UserFactory(), expert_profile=ada)
    with django_assert_num_queries(count):
        client.get(URL)


def rating_url(booking) -> str:
    return f"/api/v1/bookings/{booking.pk}/rating/"


def test_the_learner_rates_over_the_api_and_can_change_it(learner, ada):
    session = completed_session(learner=learner, expert_profile=ada)
    client = APIClient()
    client.force_authenticate(learner)
    assert client.get(rating_url(session)).json() == {"review": None}
    answer = client.post(rating_url(session), {"rating": 5, "clarity": 4, "private_note": "Thanks"}, format="json")
    assert answer.status_code == 200
    review = answer.json()["review"]
    assert (review["rating"], review["clarity"], review["private_note"], review["published_at"]) == (
        5,
        4,
        "Thanks",
        None,
    )
    client.post(rating_url(session), {"rating": 3}, format="json")
    assert client.get(rating_url(session)).json()["review"]["rating"] == 3
    assert SessionReview.objects.count() == 1


@pytest.mark.parametrize("body", [{"rating": 6}, {"rating": 0}, {}, {"rating": 4, "knowledge": 9}, {"rating": "x"}])
def test_out_of_range_or_missing_stars_are_a_problem_and_change_nothing(learner, ada, body):
    session = completed_session(learner=learner, expert_profile=ada)
    client = APIClient()
    client.force_authenticate(learner)
    answer = client.post(rating_url(session), body, format="json")
    assert answer.status_code in (400, 422) and answer["Content-Type"] == "application/problem+json"
    assert not SessionReview.objects.exists()


def test_a_session_not_completed_or_past_the_window_is_not_ratable(learner, ada):
    upcoming = booking_in_state(
        learner=learner, expert=ada.user, start=timezone.now() + timedelta(days=2), status=Booking.Status.CONFIRMED
    )
    stale = completed_session(learner=learner, expert_profile=ada, ended_days_ago=15)
    client = APIClient()
    client.force_authenticate(learner)
    for booking in (upcoming, stale):
        answer = client.post(rating_url(booking), {"rating": 5}, format="json")
        assert answer.status_code == 409 and answer.json()["code"] == "not_ratable", answer.json()
    assert not SessionReview.objects.exists()


def test_nobody_else_rates_the_session_over_the_api(learner, ada):
    session = completed_session(learner=learner, expert_profile=ada)
    for user in (ada.user, UserFactory()):
        client = APIClient()
        client.force_authenticate(user)
        assert client.post(rating_url(session), {"rating": 1}, format="json").status_code == 404
    assert APIClient().post(rating_url(session), {"rating": 1}, format="json").status_code == 401
    assert not SessionReview.objects.exists()
