"""The expert page: rating summary, recent reviews with first name and session length, pages of older ones,
and structured data from public reviews only; a constant number of queries however many reviews exist."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from bookings.models import Booking
from reviews.models import SessionReview
from reviews.services import rating_aggregate_refresh, review_submit
from reviews.services.moderation import review_hide, review_restore, review_staff_reply
from reviews.services.replies import review_reply
from reviews.structured_data import expert_reviews_changed
from tests.factories import UserFactory
from tests.marketplace.test_structured_data import by_type, expert_graph

from .helpers import completed_session, published_review

pytestmark = pytest.mark.django_db

URL = "/experts/ada-lovelace/"


def test_an_expert_without_public_reviews_shows_no_rating_anywhere(client, learner, ada):
    # A written review that is not published yet counts nowhere.
    review_submit(booking=completed_session(learner=learner, expert_profile=ada), learner=learner, rating=5)
    html = client.get(URL).content.decode()
    assert "No reviews yet." in html and "out of 5" not in html
    service = by_type(expert_graph(html)["@graph"])["Service"]
    assert "aggregateRating" not in service and "review" not in service
    assert "out of 5" not in client.get("/experts/").content.decode()


def test_the_page_shows_summary_distribution_and_reviews_but_never_the_private_note(client, ada):
    published_review(learner=UserFactory(full_name="Grace Hopper"), expert_profile=ada, rating=5, text="Superb.")
    published_review(
        learner=UserFactory(full_name="Alan Turing"),
        expert_profile=ada,
        rating=4,
        text="<script>alert(1)</script> good",
        private_note="My phone is secret",
        knowledge=5,
    )
    html = client.get(URL).content.decode()
    assert "4.5 out of 5 from 2 reviews" in html
    assert "Grace" in html and "Hopper" not in html and "60-minute session" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; good" in html and "<script>alert(1)" not in html
    assert "My phone is secret" not in html
    assert "Knowledge 5/5" in html
    service = by_type(expert_graph(html)["@graph"])["Service"]
    assert service["aggregateRating"]["ratingValue"] == "4.50" and service["aggregateRating"]["ratingCount"] == 2
    assert sorted(item["reviewRating"]["ratingValue"] for item in service["review"]) == [4, 5]
    assert {item["author"]["name"] for item in service["review"]} == {"Grace", "Alan"}
    # The browse card shows the real aggregate.
    assert "4.5 (2 ratings)" in client.get("/experts/").content.decode()


def _bulk_reviews(profile, count: int) -> None:
    """``count`` completed sessions with published reviews, written in bulk (the 5,000-review data)."""
    learner = UserFactory()
    now = timezone.now()
    bookings = Booking.objects.bulk_create(
        Booking(
            learner=learner,
            expert=profile.user,
            start=now - timedelta(days=30, hours=2 * n),
            end=now - timedelta(days=30, hours=2 * n - 1),
            status=Booking.Status.COMPLETED,
            amount_minor=8000,
            currency="EUR",
        )
        for n in range(count)
    )
    SessionReview.objects.bulk_create(
        SessionReview(
            booking=booking,
            learner=learner,
            profile=profile,
            session_minutes=60,
            rating=1 + n % 5,
            text=f"Review number {n}",
            publish_after=now,
            published_at=now - timedelta(minutes=n),
        )
        for n, booking in enumerate(bookings)
    )
    rating_aggregate_refresh(profile_id=profile.pk)


def test_older_reviews_are_paginated(client, ada):
    _bulk_reviews(ada, 25)
    first = client.get(URL).content.decode()
    assert "Review number 0<" in first and "Review number 10<" not in first
    assert 'href="?reviews=2"' in first
    second = client.get(URL + "?reviews=2").content.decode()
    assert "Review number 10<" in second and "Review number 0<" not in second
    # Structured data lists the newest reviews only, on the first page.
    assert "review" not in by_type(expert_graph(second)["@graph"])["Service"]
    # A page past the end or a bad number shows the last or first page, never an error.
    assert client.get(URL + "?reviews=999").status_code == 200
    assert client.get(URL + "?reviews=abc").status_code == 200


def test_the_query_count_does_not_grow_with_reviews(client, ada, django_assert_num_queries):
    _bulk_reviews(ada, 12)
    client.get(URL)  # warms Wagtail's site and page caches
    expert_reviews_changed(profile_id=ada.pk)
    # 15: the free times no longer run on the bare page (they come from bookings' slot fragment); the
    # packages on offer are one query.
    with django_assert_num_queries(15) as rendered:
        client.get(URL)
    # A second visitor gets the section from the cache: the summary and the page of reviews are not read.
    with django_assert_num_queries(13):
        client.get(URL)
    _bulk_reviews(ada, 5000)
    with django_assert_num_queries(len(rendered.captured_queries)):
        html = client.get(URL).content.decode()
    assert "from 5012 reviews" in html
    with django_assert_num_queries(len(rendered.captured_queries)):
        client.get(URL + "?reviews=300")
    with django_assert_num_queries(13):
        assert "from 5012 reviews" in client.get(URL + "?reviews=300").content.decode()


def _section_keys() -> set[str]:
    return {key for key in cache._cache if ":reviews:section:" in key}  # LocMemCache's store, in tests only


def test_every_public_change_reaches_the_next_visitor_at_once(client, ada, learner, staff_user):
    first = published_review(learner=UserFactory(full_name="Grace Hopper"), expert_profile=ada, rating=5, text="One")
    assert "5.0 out of 5 from 1 review" in client.get(URL).content.decode()
    assert "5.0 out of 5 from 1 review" in client.get(URL).content.decode()  # from the cache

    published_review(learner=learner, expert_profile=ada, rating=3, text="Two")
    assert "4.0 out of 5 from 2 reviews" in client.get(URL).content.decode()

    review_reply(review=first, expert=ada.user, text="Thank you, Grace.")
    assert "Thank you, Grace." in client.get(URL).content.decode()

    review_hide(review=first, staff=staff_user, reason="Off topic.")
    html = client.get(URL).content.decode()
    assert "3.0 out of 5 from 1 review" in html and "Thank you, Grace." not in html

    review_restore(review=first, staff=staff_user, reason="Fine after all.")
    review_staff_reply(review=first, staff=staff_user, text="TapTime thanks you.")
    html = client.get(URL).content.decode()
    assert "4.0 out of 5 from 2 reviews" in html and "TapTime thanks you." in html


def test_the_cached_section_follows_the_language_and_a_page_number_cannot_mint_keys(client, ada):
    _bulk_reviews(ada, 25)
    cache.clear()
    client.get(URL)
    client.get("/es" + URL)
    assert len(_section_keys()) == 2
    for raw in ("2", "3", "999", "999999999", "-4", "abc", "2.5"):
        assert client.get(URL + f"?reviews={raw}").status_code == 200
    # Page 3 is the last of 25 reviews: every number past it, and every non-number, lands on a page
    # that exists, so the cache holds at most one entry per real page and language.
    assert len(_section_keys()) == 4
