"""The review queue answers any query string, and the review screen any POST, without a 500 or a change."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from marketplace.models import ApplicationDocument, ApplicationEvent, ExpertApplication
from tests.marketplace.review_builders import make_application, make_reviewer
from tests.strategies import anything, numeric_text, view_settings

pytestmark = pytest.mark.django_db

QUEUE_FIELDS = ("status", "category", "age", "reviewer", "order", "p")
POST_FIELDS = ("document", "check_status")


@pytest.fixture
def reviewing(client):
    reviewer = make_reviewer()
    application = make_application()
    client.force_login(reviewer)
    client.post(f"/admin/applications/{application.pk}/", {"action": "claim"})
    return application


@view_settings
@given(query=st.fixed_dictionaries({}, optional=dict.fromkeys(QUEUE_FIELDS, numeric_text | anything)))
@example(query={"p": str(10**30), "age": "1e400", "category": "-1", "reviewer": "9" * 5000})
def test_any_query_string_shows_the_queue(client, reviewing, query):
    response = client.get("/admin/applications/", query)
    assert response.status_code == 200


@view_settings
@given(
    action=st.sampled_from(["check", "approve", "claim", "take_over", "nonsense", ""]),
    data=st.fixed_dictionaries({}, optional=dict.fromkeys(POST_FIELDS, numeric_text | anything)),
)
@example(action="check", data={"document": str(2**70), "check_status": "verified"})
def test_any_post_to_the_review_screen_is_answered_and_changes_nothing(client, reviewing, action, data):
    before = ApplicationEvent.objects.count()
    response = client.post(f"/admin/applications/{reviewing.pk}/", {"action": action, **data})
    assert response.status_code in (302, 400)
    application = ExpertApplication.objects.get(pk=reviewing.pk)
    assert application.status == ExpertApplication.Status.IN_REVIEW
    # Random text is never a valid check ("verified", "expired" or "unreadable"): nothing is written.
    assert not ApplicationDocument.objects.exclude(check_status="pending").exists()
    assert ApplicationEvent.objects.count() == before
