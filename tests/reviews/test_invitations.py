"""After completion the learner is invited (dashboard and email) to rate the session, and reminded exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import outbox_drain
from reviews.services import review_submit, reviews_invite_due
from tests.factories import UserFactory

from .helpers import completed_session

pytestmark = pytest.mark.django_db


def test_a_just_completed_session_gets_one_invitation_email(learner, ada):
    session = completed_session(learner=learner, expert_profile=ada, ended_days_ago=0.1)
    mail.outbox.clear()
    reviews_invite_due()
    reviews_invite_due()
    outbox_drain()
    (email,) = mail.outbox
    assert email.to == [learner.email] and "Ada Lovelace" in email.subject
    assert f"/bookings/{session.pk}/rate/" in email.body
    assert OutboxMessage.objects.filter(dedupe_key=f"review-invitation-{session.pk}").count() == 1


def test_the_reminder_goes_once_after_three_days_and_never_once_rated(learner, ada):
    unrated = completed_session(learner=learner, expert_profile=ada, ended_days_ago=3.2)
    rated = completed_session(learner=UserFactory(), expert_profile=ada, ended_days_ago=3.2)
    review_submit(booking=rated, learner=rated.learner, rating=4)
    mail.outbox.clear()
    for hours in (0, 1, 5):
        reviews_invite_due(now=timezone.now() + timedelta(hours=hours))
    outbox_drain()
    (email,) = mail.outbox
    assert email.to == [learner.email] and "only reminder" in email.body
    assert f"/bookings/{unrated.pk}/rate/" in email.body


def test_an_invitation_queued_before_the_review_is_not_sent_after_it(learner, ada):
    session = completed_session(learner=learner, expert_profile=ada, ended_days_ago=0.1)
    reviews_invite_due()
    review_submit(booking=session, learner=learner, rating=5)
    mail.outbox.clear()
    outbox_drain()
    assert mail.outbox == []


def test_the_dashboard_invites_to_rate_and_then_offers_to_change(client, learner, ada):
    session = completed_session(learner=learner, expert_profile=ada)
    completed_session(learner=learner, expert_profile=ada, ended_days_ago=20)  # past the window
    client.force_login(learner)
    html = client.get(reverse("learner_dashboard")).content.decode()
    assert html.count("/rate/") == 1 and f"/bookings/{session.pk}/rate/" in html and "Rate your session" in html
    review_submit(booking=session, learner=learner, rating=5)
    assert "Change your review" in client.get(reverse("learner_dashboard")).content.decode()


def test_the_completed_sessions_page_links_its_learner_to_the_rating(client, learner, ada):
    session = completed_session(learner=learner, expert_profile=ada)
    detail = reverse("booking_detail", kwargs={"pk": session.pk})
    client.force_login(learner)
    assert f'href="/bookings/{session.pk}/rate/"' in client.get(detail).content.decode()
    client.force_login(ada.user)
    assert "/rate/" not in client.get(detail).content.decode()
