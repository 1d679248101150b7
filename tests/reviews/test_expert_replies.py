"""/expert/reviews/: the expert sees published reviews (with the private note), replies once, reports with a reason."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import ReviewReport, SessionReview
from reviews.services import review_reply, review_submit
from tests.factories import ExpertUserFactory, UserFactory

from .helpers import completed_session, published_review

pytestmark = pytest.mark.django_db

LIST = "/expert/reviews/"


@pytest.fixture
def review(learner, ada):
    return published_review(learner=learner, expert_profile=ada, rating=3, text="Okay.", private_note="Be on time.")


def reply_url(review) -> str:
    return reverse("expert_review_reply", kwargs={"pk": review.pk})


def report_url(review) -> str:
    return reverse("expert_review_report", kwargs={"pk": review.pk})


def test_the_expert_sees_published_reviews_with_the_private_note_but_not_unpublished_ones(client, learner, ada, review):
    pending = completed_session(learner=UserFactory(), expert_profile=ada)
    review_submit(booking=pending, learner=pending.learner, rating=1, text="Not yet public")
    client.force_login(ada.user)
    html = client.get(LIST).content.decode()
    assert "Okay." in html and "Be on time." in html
    assert "Not yet public" not in html


def test_an_expert_without_reviews_sees_the_empty_state(client, expert_user):
    client.force_login(expert_user)
    assert "No published reviews yet." in client.get(LIST).content.decode()


def test_the_expert_replies_once_publicly(client, ada, review):
    client.force_login(ada.user)
    client.post(reply_url(review), {"text": "Thanks, <b>noted</b>."})
    response = client.post(reply_url(review), {"text": "A second reply."}, follow=True)
    assert "You have already replied to this review." in response.content.decode()
    review.refresh_from_db()
    assert review.reply == "Thanks, <b>noted</b>." and not review.reply_by_staff
    page = client.get("/experts/ada-lovelace/").content.decode()
    assert "The expert replied" in page and "Thanks, &lt;b&gt;noted&lt;/b&gt;." in page


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
def test_an_empty_or_oversized_reply_is_refused(client, ada, review, text):
    client.force_login(ada.user)
    response = client.post(reply_url(review), {"text": text}, follow=True)
    assert response.status_code == 200 and response.context["messages"]
    review.refresh_from_db()
    assert review.reply == "" and review.replied_at is None


def test_a_report_needs_a_reason_goes_to_moderation_and_hides_nothing(client, ada, review):
    client.force_login(ada.user)
    response = client.post(report_url(review), {"reason": "  "}, follow=True)
    assert "Please say why you are reporting this review." in response.content.decode()
    assert not ReviewReport.objects.exists()
    client.post(report_url(review), {"reason": "The learner never attended."})
    (report,) = ReviewReport.objects.all()
    assert (report.review_id, report.reporter_id, report.reason) == (
        review.pk,
        ada.user_id,
        "The learner never attended.",
    )
    assert SessionReview.objects.get().is_public
    response = client.post(report_url(review), {"reason": "Again."}, follow=True)
    assert "You have already reported this review." in response.content.decode()
    assert ReviewReport.objects.count() == 1


def test_other_experts_and_learners_cannot_reply_to_or_report_a_review(client, learner, review):
    for user, expected in ((ExpertUserFactory(), 404), (learner, 403)):
        client.force_login(user)
        assert client.post(reply_url(review), {"text": "Hijack"}).status_code == expected
        assert client.post(report_url(review), {"reason": "Hijack"}).status_code == expected
    client.logout()
    assert client.post(reply_url(review), {"text": "Hijack"})["Location"].startswith("/accounts/login/")
    assert client.get(reply_url(review)).status_code == 405
    review.refresh_from_db()
    assert review.reply == "" and not ReviewReport.objects.exists()


def test_an_unpublished_review_cannot_be_replied_to(client, ada):
    booking = completed_session(learner=UserFactory(), expert_profile=ada)
    pending = review_submit(booking=booking, learner=booking.learner, rating=2)
    client.force_login(ada.user)
    assert client.post(reply_url(pending), {"text": "Early"}).status_code == 404


def test_the_list_keeps_its_query_count_as_reviews_grow(client, ada, django_assert_num_queries):
    published_review(learner=UserFactory(), expert_profile=ada)
    client.force_login(ada.user)
    client.get(LIST)
    # Six: the five of the list and the header's unread-messages badge (one query on signed-in pages).
    with django_assert_num_queries(6) as small:
        client.get(LIST)
    count = len(small.captured_queries)
    for _ in range(6):
        published_review(learner=UserFactory(), expert_profile=ada, text="More")
    with django_assert_num_queries(count):
        client.get(LIST)


def test_a_reply_to_a_review_published_by_a_clock_slightly_ahead_still_goes_through(ada, learner):
    review = published_review(learner=learner, expert_profile=ada, now=timezone.now() + timedelta(seconds=30))
    replied = review_reply(review=review, expert=ada.user, text="Thanks!")
    assert replied.replied_at == review.published_at
