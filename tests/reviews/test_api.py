"""GET /api/v1/experts/<slug>/reviews/: public reviews only, never the private note, cursor pages, constant queries."""

import pytest
from rest_framework.test import APIClient

from reviews.services import review_hide, review_reply, review_submit
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
