"""Experts are warned 30 days before a checked credential drops off their page: once per row and date."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.outbox import outbox_drain
from marketplace.models import ExpertVerification
from marketplace.services.verifications import verification_expiry_email_deliver, verification_expiry_reminders_queue
from marketplace.tasks import remind_expiring_credentials
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(expert_index):
    profile = make_expert(expert_index, name="Ada Lovelace")
    profile.user.preferred_language = "de"
    profile.user.save()
    return profile


def row(profile, *, days, title="AWS Data Engineer", kind="credential"):
    expires_on = None if days is None else timezone.localdate() + timedelta(days=days)
    return ExpertVerification.objects.create(
        profile=profile, kind=kind, title=title, verified_at=timezone.now(), expires_on=expires_on
    )


def test_one_warning_thirty_days_ahead_in_the_experts_language(profile):
    due = row(profile, days=30)
    row(profile, days=31, title="Later")
    row(profile, days=-1, title="Gone")
    row(profile, days=None, kind="identity", title="Identity")
    assert remind_expiring_credentials() == 1
    outbox_drain()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [profile.user.email]
    assert "AWS Data Engineer" in message.subject and "läuft bald ab" in message.subject
    assert "/expert/" in message.body
    due.refresh_from_db()
    assert due.reminded_for_expiry == due.expires_on


def test_reruns_send_nothing_twice_but_a_new_date_is_warned_again(profile):
    due = row(profile, days=10)
    assert verification_expiry_reminders_queue() == 1
    assert verification_expiry_reminders_queue() == 0
    assert verification_expiry_reminders_queue(today=timezone.localdate() + timedelta(days=5)) == 0
    outbox_drain()
    assert len(mail.outbox) == 1
    due.expires_on = due.expires_on + timedelta(days=3)
    due.save()
    assert verification_expiry_reminders_queue() == 1


def test_a_late_message_for_a_changed_date_sends_nothing(profile):
    due = row(profile, days=10)
    assert verification_expiry_email_deliver(verification_id=due.pk, expires_on="2001-01-01") == 0
    assert verification_expiry_email_deliver(verification_id=999999, expires_on=due.expires_on.isoformat()) == 0
    assert mail.outbox == []
