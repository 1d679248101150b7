"""The moderation queue in the Wagtail admin: flagged and reported reviews, hide with a reason, restore,
reply as staff; only for review moderators; every decision in Wagtail's audit log."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from marketplace.models import ExpertProfile
from reviews.models import SessionReview
from reviews.services import review_report
from tests.factories import UserFactory

from .helpers import published_review

pytestmark = pytest.mark.django_db

QUEUE = "/admin/review-moderation/"


@pytest.fixture
def moderator(db):
    user = UserFactory(is_staff=True, email="moderator@example.com")
    user.groups.add(Group.objects.get(name="Review moderators"))
    return user


def decide(review) -> str:
    return reverse("reviews_moderation_decide", kwargs={"pk": review.pk})


def test_the_queue_lists_flagged_and_reported_reviews_only(client, moderator, ada):
    flagged = published_review(learner=UserFactory(), expert_profile=ada, text="Visit www.example.com")
    reported = published_review(learner=UserFactory(), expert_profile=ada, text="Meh.")
    published_review(learner=UserFactory(), expert_profile=ada, text="Lovely and calm.")
    review_report(review=reported, reporter=ada.user, reason="Never attended.")
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert "Visit www.example.com" in html and "Never attended." in html and "Meh." in html
    assert "Lovely and calm." not in html and "Flagged: link" in html
    assert flagged.needs_moderation


def test_a_moderator_hides_with_a_reason_and_restores_exactly(client, moderator, ada):
    kept = published_review(learner=UserFactory(), expert_profile=ada, rating=5)
    bad = published_review(learner=UserFactory(), expert_profile=ada, rating=1, text="Mail x@y.example")
    client.force_login(moderator)
    response = client.post(decide(bad), {"action": "hide", "reason": ""}, follow=True)
    assert "Please give a reason." in response.content.decode()
    assert SessionReview.objects.get(pk=bad.pk).hidden_at is None
    client.post(decide(bad), {"action": "hide", "reason": "Contact details."})
    assert ExpertProfile.objects.values_list("rating_avg", "rating_count").get(pk=ada.pk) == (Decimal("5.00"), 1)
    assert "Mail x@y.example" not in client.get(QUEUE).content.decode()
    assert "Mail x@y.example" in client.get(QUEUE + "?show=hidden").content.decode()
    client.post(decide(bad), {"action": "restore", "reason": "Appeal accepted.", "show": "hidden"})
    assert ExpertProfile.objects.values_list("rating_avg", "rating_count").get(pk=ada.pk) == (Decimal("3.00"), 2)
    client.post(decide(kept), {"action": "reply", "text": "Thanks from TapTime."})
    assert "TapTime replied" in client.get("/experts/ada-lovelace/").content.decode()
    actions = list(ModelLogEntry.objects.filter(object_id=str(bad.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["reviews.review.hide", "reviews.review.restore"]


def test_an_unknown_action_or_review_changes_nothing(client, moderator, ada):
    review = published_review(learner=UserFactory(), expert_profile=ada)
    client.force_login(moderator)
    response = client.post(decide(review), {"action": "delete"}, follow=True)
    assert "Unknown action." in response.content.decode()
    assert (
        client.post(reverse("reviews_moderation_decide", kwargs={"pk": 999_999}), {"action": "hide"}).status_code == 404
    )
    assert client.get(decide(review)).status_code == 405
    assert SessionReview.objects.get().hidden_at is None


def test_staff_without_the_moderators_permission_and_everyone_else_are_refused(client, ada, learner):
    review = published_review(learner=UserFactory(), expert_profile=ada)
    other_staff = UserFactory(is_staff=True)
    other_staff.groups.add(Group.objects.get(name="Expert reviewers"))
    client.force_login(other_staff)
    assert client.get(QUEUE).status_code in (302, 403)
    client.post(decide(review), {"action": "hide", "reason": "No."})
    for user in (learner, ada.user):
        client.force_login(user)
        assert client.get(QUEUE)["Location"].startswith(("/admin/login/", "/accounts/login/"))
        client.post(decide(review), {"action": "hide", "reason": "No."})
    assert SessionReview.objects.get().hidden_at is None


def test_the_queue_keeps_its_query_count(client, moderator, ada, django_assert_num_queries):
    review_report(review=published_review(learner=UserFactory(), expert_profile=ada), reporter=ada.user, reason="x")
    client.force_login(moderator)
    client.get(QUEUE)
    with django_assert_num_queries(16) as small:
        client.get(QUEUE)
    count = len(small.captured_queries)
    for _ in range(5):
        published_review(learner=UserFactory(), expert_profile=ada, text="www.spam.example.com")
    with django_assert_num_queries(count):
        client.get(QUEUE)
