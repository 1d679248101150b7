"""A newly approved expert: the "almost live" checklist, profile strength, preview and publishing."""

from datetime import time

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from bookings.services import weekly_hours_replace
from core.outbox import outbox_drain
from marketplace.models import ExpertPage, ExpertProfile, ExpertVerification
from marketplace.selectors.completeness import application_completeness
from marketplace.services import expert_page_submit_changes
from marketplace.services.application_review import (
    application_approve,
    application_claim,
    application_document_check,
)
from tests.marketplace.review_builders import make_application, make_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(expert_index, django_capture_on_commit_callbacks):
    """An application approved through the services: the new expert's profile."""
    reviewer = make_reviewer()
    application = make_application()
    application_claim(application=application, actor=reviewer)
    for document in application.documents.all():
        application_document_check(
            application=application, document_id=document.pk, actor=reviewer, check_status="verified"
        )
    with django_capture_on_commit_callbacks(execute=True):
        profile = application_approve(application=application, actor=reviewer)
    return profile


def set_hours(profile, capture):
    with capture(execute=True):
        weekly_hours_replace(profile=profile, windows=[(day, time(9), time(17)) for day in range(7)])
    profile.refresh_from_db()
    assert profile.next_available_at is not None


def test_the_approval_email_leads_to_the_checklist(approved, client):
    outbox_drain()
    assert any(approved.user.email in message.to for message in mail.outbox)
    client.force_login(approved.user)
    html = client.get("/expert/").content.decode()
    assert "Almost live" in html
    assert "Set your weekly hours" in html and 'href="/expert/availability/"' in html
    assert "Connect payouts" in html and "Coming soon" in html
    assert 'href="/expert/profile/preview/"' in html
    assert "Publish my page" not in html  # no hours yet


def test_profile_strength_names_what_is_missing_with_links(approved, client):
    client.force_login(approved.user)
    response = client.get("/expert/")
    completeness = response.context["completeness"]
    missing = {item.key: item.url for item in completeness.missing}
    # The application had a photo, a long bio, two lengths, a package and two languages.
    assert set(missing) == {"availability"}
    assert missing["availability"] == "/expert/availability/"
    assert completeness.score == 83
    assert "83% complete" in response.content.decode()


def test_with_hours_set_the_expert_publishes_and_learners_find_the_page(
    approved, client, django_capture_on_commit_callbacks
):
    set_hours(approved, django_capture_on_commit_callbacks)
    client.force_login(approved.user)
    html = client.get("/expert/").content.decode()
    assert "Publish my page" in html
    response = client.post("/expert/publish/", follow=True)
    assert "Your page is live" in response.content.decode()
    page = ExpertPage.objects.get(profile=approved)
    assert page.live and not page.has_unpublished_changes
    assert "Almost live" not in client.get("/expert/").content.decode()

    client.logout()
    public = client.get(page.url)
    html = public.content.decode()
    assert public.status_code == 200
    assert "Verified by TapTime" in html and "Identity checked" in html
    assert "Credential checked: AWS Data Engineer" in html
    assert "/join/documents/" not in html  # never the documents themselves


def test_publishing_before_the_hours_is_refused(approved, client):
    client.force_login(approved.user)
    response = client.post("/expert/publish/", follow=True)
    assert "Set your weekly hours first" in response.content.decode()
    assert not ExpertPage.objects.get(profile=approved).live


def test_after_editing_the_draft_a_moderator_publishes_it(approved, client, django_capture_on_commit_callbacks):
    set_hours(approved, django_capture_on_commit_callbacks)
    expert_page_submit_changes(profile=approved, user=approved.user, changes={"headline": "Unreviewed words"})
    client.force_login(approved.user)
    html = client.get("/expert/").content.decode()
    assert "Publish my page" not in html and "waiting for a moderator" in html
    response = client.post("/expert/publish/", follow=True)
    assert "waiting for a moderator" in response.content.decode()
    assert not ExpertPage.objects.get(profile=approved).live


def test_publish_takes_only_a_post(approved, client):
    client.force_login(approved.user)
    assert client.get("/expert/publish/").status_code == 405


class TestPreview:
    def test_the_expert_previews_the_draft_page(self, approved, client):
        client.force_login(approved.user)
        response = client.get("/expert/profile/preview/")
        assert response.status_code == 200
        assert approved.pages.get().headline in response.content.decode()
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"

    def test_nobody_else_previews_it(self, approved, client, learner):
        assert client.get("/expert/profile/preview/")["Location"].startswith("/accounts/login/")
        client.force_login(learner)
        assert client.get("/expert/profile/preview/").status_code == 403


def test_an_expired_credential_drops_off_the_public_record(approved, client, django_capture_on_commit_callbacks):
    set_hours(approved, django_capture_on_commit_callbacks)
    client.force_login(approved.user)
    client.post("/expert/publish/")
    client.logout()
    page = ExpertPage.objects.get(profile=approved)
    ExpertVerification.objects.filter(profile=approved, kind="credential").update(expires_on="2020-01-01")
    html = client.get(page.url).content.decode()
    assert "Identity checked" in html and "AWS Data Engineer" not in html


def test_the_application_hints_use_the_same_rules(expert_index):
    application = make_application(bio="Short.", photo=False, offer={"currency": "EUR", "sessions": []})
    hints = application_completeness(application=application, urls={"photo": "/join/apply/about/"})
    assert {item.key for item in hints.missing} == {"photo", "bio", "sessions", "package"}
    assert next(item for item in hints.items if item.key == "photo").url == "/join/apply/about/"
    assert "availability" not in {item.key for item in hints.items}
    assert not ExpertProfile.objects.exists()


def test_staff_can_publish_the_new_page_from_wagtails_moderation(approved, client, staff_user):
    page = ExpertPage.objects.get(profile=approved)
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    client.force_login(staff_user)
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "Welcome"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    client.force_login(approved.user)
    assert "Almost live" not in client.get("/expert/").content.decode()


def test_the_new_expert_is_not_told_their_own_changes_wait(approved, client):
    client.force_login(approved.user)
    html = client.get("/expert/").content.decode()
    assert "Almost live" in html and "Your latest changes are waiting for review" not in html
