"""The applicant's emails: written to the outbox with the change, once per occurrence, in their language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import outbox_drain
from marketplace.models import ApplicationEvent, ExpertApplication
from marketplace.services.application_emails import (
    application_email_deliver,
    send_application_approved,
    send_application_rejected,
    send_application_submitted,
    send_changes_requested,
)
from tests.factories import UserFactory
from tests.marketplace.application_factories import make_application

pytestmark = pytest.mark.django_db

Status = ExpertApplication.Status
Kind = ApplicationEvent.Kind


def decide(application, status, kind, message=""):
    """What the staff side does: change the state, log the event, then call the email function."""
    ExpertApplication.objects.filter(pk=application.pk).update(
        status=status, decision_message=message, decided_at=timezone.now()
    )
    application.refresh_from_db()
    ApplicationEvent.objects.create(application=application, kind=kind, message=message)


def test_each_decision_sends_its_email_with_the_message_and_links(settings):
    settings.BASE_URL = "https://taptime.example"
    application = make_application(UserFactory(full_name="Ada Lovelace"), status=Status.SUBMITTED)
    mail.outbox.clear()
    decide(application, Status.CHANGES_REQUESTED, Kind.CHANGES_REQUESTED, "Please add your diploma.")
    send_changes_requested(application)
    outbox_drain()
    assert "Please add your diploma." in mail.outbox[-1].body
    assert "https://taptime.example/join/application/" in mail.outbox[-1].body
    decide(application, Status.REJECTED, Kind.REJECTED, "Not enough experience yet.")
    send_application_rejected(application)
    outbox_drain()
    expected = (timezone.localdate() + timedelta(days=30)).strftime("%B")
    assert "Not enough experience yet." in mail.outbox[-1].body and expected in mail.outbox[-1].body
    assert len(mail.outbox) == 2


def test_approval_links_to_the_expert_area():
    application = make_application(UserFactory(), status=Status.IN_REVIEW)
    mail.outbox.clear()
    decide(application, Status.APPROVED, Kind.APPROVED)
    send_application_approved(application)
    outbox_drain()
    assert "/expert/" in mail.outbox[0].body and "approved" in mail.outbox[0].subject


def test_a_second_change_request_is_a_second_email_but_a_repeat_call_is_not():
    application = make_application(UserFactory(), status=Status.SUBMITTED)
    for _round in range(2):
        decide(application, Status.CHANGES_REQUESTED, Kind.CHANGES_REQUESTED, "More please.")
        send_changes_requested(application)
        send_changes_requested(application)  # the same occurrence: deduplicated
    assert OutboxMessage.objects.filter(handler__endswith="application_email_deliver").count() == 2


def test_a_late_job_sends_nothing_once_the_application_moved_on():
    application = make_application(UserFactory(), status=Status.IN_REVIEW)
    decide(application, Status.APPROVED, Kind.APPROVED)
    ExpertApplication.objects.filter(pk=application.pk).update(status=Status.REJECTED)
    mail.outbox.clear()
    assert application_email_deliver(application_id=application.pk, template="application_approved") == 0
    assert application_email_deliver(application_id=999_999, template="application_approved") == 0
    assert application_email_deliver(application_id=application.pk, template="unknown") == 0
    assert mail.outbox == []


def test_the_email_speaks_the_applicants_language():
    application = make_application(UserFactory(preferred_language="de"), status=Status.SUBMITTED)
    mail.outbox.clear()
    send_application_submitted(application)
    outbox_drain()
    assert mail.outbox[0].subject != "We received your expert application"
    assert "Hallo" in mail.outbox[0].body or "Hi" not in mail.outbox[0].body
