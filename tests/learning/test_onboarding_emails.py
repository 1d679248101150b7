"""The onboarding email series: due times, skip-when-done, once per person, consent and unsubscribe."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from bookings.models import Booking, WeeklyHours
from learning.embedding_services import expert_embeddings_backfill
from learning.models import OnboardingEmail
from learning.onboarding_emails import STEPS, onboarding_email_step_run, onboarding_emails_send_due
from learning.services import goal_create
from learning.tasks import send_onboarding_emails
from marketplace.models import ExpertPage
from notifications.marketing import marketing_opt_in_set
from tests.builders import booking_in_state
from tests.factories import UserFactory
from tests.marketplace.factories import add_package, make_expert

pytestmark = pytest.mark.django_db


def _joined(user, days):
    user.date_joined = timezone.now() - timedelta(days=days, minutes=1)
    user.save(update_fields=["date_joined"])
    return user


def _steps(user):
    return dict(OnboardingEmail.objects.filter(user=user).values_list("step", "outcome"))


def test_a_learner_hears_on_day_two_with_recommendations_and_on_day_seven_once(learner):
    marketing_opt_in_set(user=learner, opted_in=True)
    _joined(learner, 1)
    assert onboarding_emails_send_due() == {}
    _joined(learner, 2)
    assert onboarding_emails_send_due() == {"sent": 1}
    message = mail.outbox[-1]
    assert message.to == [learner.email] and message.subject == "Find the right expert for your goals"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/accounts/unsubscribe/")
    assert "Tell us your goals" in message.body  # no goals yet: no recommendations to show
    assert onboarding_emails_send_due() == {}  # once only
    _joined(learner, 7)
    assert send_onboarding_emails() == {"sent": 1}
    assert mail.outbox[-1].subject == "Ready for your first session?"
    assert _steps(learner) == {"learner_find_expert": "sent", "learner_first_booking": "sent"}
    assert len(mail.outbox) == 2


def test_the_day_two_email_lists_the_learners_recommendations(learner, expert_index):
    make_expert(expert_index, name="Carl", headline="Italian cooking: fresh pasta and sauces")
    expert_embeddings_backfill()
    goal_create(learner=learner, title="Cook pasta at home", target_date=None)
    marketing_opt_in_set(user=learner, opted_in=True)
    _joined(learner, 3)
    onboarding_emails_send_due()
    body = mail.outbox[-1].body
    assert "Carl: Italian cooking" in body and "/experts/carl/" in body


def test_a_learner_who_booked_is_skipped_and_no_email_goes_out(learner, expert_user):
    marketing_opt_in_set(user=learner, opted_in=True)
    _joined(learner, 8)
    booking_in_state(learner=learner, expert=expert_user, start=timezone.now() + timedelta(days=2))
    assert onboarding_emails_send_due() == {"skipped": 2}
    assert mail.outbox == []


def test_without_consent_nothing_is_sent_and_the_step_is_not_retried(learner):
    _joined(learner, 8)
    assert onboarding_emails_send_due() == {"no_consent": 2}
    marketing_opt_in_set(user=learner, opted_in=True)
    assert onboarding_emails_send_due() == {}
    assert mail.outbox == []


def test_after_unsubscribing_the_next_step_is_not_sent(client, learner):
    marketing_opt_in_set(user=learner, opted_in=True)
    _joined(learner, 2)
    onboarding_emails_send_due()
    path = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    _joined(learner, 7)
    assert onboarding_emails_send_due() == {"no_consent": 1}
    assert len(mail.outbox) == 1


def test_the_email_is_in_the_learners_language(learner):
    learner.preferred_language = "de"
    learner.save(update_fields=["preferred_language"])
    marketing_opt_in_set(user=learner, opted_in=True)
    _joined(learner, 7)
    onboarding_emails_send_due()
    # Strings already in the German catalogue; the new ones are translated at merge time.
    assert len(mail.outbox) == 2
    assert all("Hallo Lena," in message.body and "Dein TapTime-Team" in message.body for message in mail.outbox)


def test_old_accounts_staff_and_inactive_users_are_left_alone(learner):
    marketing_opt_in_set(user=learner, opted_in=True)
    _joined(learner, 31)
    staff = _joined(UserFactory(email="staff@example.com", is_staff=True), 3)
    marketing_opt_in_set(user=staff, opted_in=True)
    assert onboarding_emails_send_due() == {}


def test_a_step_runs_once_even_when_two_workers_race(learner):
    marketing_opt_in_set(user=learner, opted_in=True)
    step = STEPS[0]
    assert onboarding_email_step_run(step=step, user=learner) == "sent"
    assert onboarding_email_step_run(step=step, user=learner) == ""
    with pytest.raises(IntegrityError):
        OnboardingEmail.objects.create(user=learner, step=step.name, outcome="sent")
    assert len(mail.outbox) == 1


def test_a_new_expert_is_asked_for_hours_package_and_sharing_each_until_done(expert_index):
    profile = make_expert(expert_index, name="Nina", headline="Python", prices={60: "80"})
    expert = profile.user
    marketing_opt_in_set(user=expert, opted_in=True)
    ExpertPage.objects.filter(profile=profile).update(first_published_at=timezone.now() - timedelta(days=1))
    assert onboarding_emails_send_due() == {"sent": 1}
    assert mail.outbox[-1].subject == "Set your hours so learners can book you"
    WeeklyHours.objects.create(profile=profile, weekday=1, start=time(9), end=time(12))
    add_package(profile)
    ExpertPage.objects.filter(profile=profile).update(first_published_at=timezone.now() - timedelta(days=5))
    assert onboarding_emails_send_due() == {"skipped": 1, "sent": 1}
    assert mail.outbox[-1].subject == "Share your TapTime page"
    assert "/experts/nina/" in mail.outbox[-1].body
    assert _steps(expert) == {"expert_set_hours": "sent", "expert_add_package": "skipped", "expert_share_page": "sent"}
    assert not Booking.objects.exists()
