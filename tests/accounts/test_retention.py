"""Retention jobs (core.schedules): each deletes what is past its period in settings, and nothing else."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from djstripe.models import WebhookEventTrigger
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Revision

from accounts.models import User
from accounts.privacy_services import sessions_purge, unverified_accounts_purge
from billing.models import Payment
from billing.services.retention import webhook_payloads_purge
from bookings.models import Booking
from bookings.services.holds import booking_expired_holds_purge
from cms_pages.services import form_submissions_purge, page_revisions_prune
from core.schedules import SCHEDULES
from tests.builders import bookable_expert, booking_in_state
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_retention_job_is_scheduled():
    funcs = {job.func for job in SCHEDULES}
    assert {
        "accounts.tasks.privacy_erasures_run_due",
        "accounts.tasks.privacy_exports_purge",
        "accounts.tasks.purge_expired_sessions",
        "accounts.tasks.purge_unverified_accounts",
        "bookings.tasks.purge_expired_holds",
        "billing.tasks.purge_webhook_payloads",
        "cms_pages.tasks.purge_form_submissions",
        "cms_pages.tasks.prune_page_revisions",
    } <= funcs


def test_old_expired_holds_go_but_recent_ones_and_ones_with_payments_stay(learner, settings):
    settings.RETENTION_EXPIRED_HOLD_DAYS = 90
    expert = bookable_expert().profile.user
    now = timezone.now()
    old = booking_in_state(learner=learner, expert=expert, start=now - timedelta(days=100), status="expired")
    paid_attempt = booking_in_state(learner=learner, expert=expert, start=now - timedelta(days=101), status="expired")
    recent = booking_in_state(learner=learner, expert=expert, start=now - timedelta(days=10), status="expired")
    done = booking_in_state(learner=learner, expert=expert, start=now - timedelta(days=102), status="completed")
    Payment.objects.create(
        booking=paid_attempt,
        reference=f"booking-{paid_attempt.pk}",
        payer=learner,
        payee=expert,
        amount_minor=100,
        currency="EUR",
        commission_rate_bp=0,
        status="failed",
        idempotency_key="x",
    )
    Booking.objects.filter(pk__in=[old.pk, paid_attempt.pk, done.pk]).update(updated_at=now - timedelta(days=100))
    assert booking_expired_holds_purge(now=now) == 1
    assert set(Booking.objects.values_list("pk", flat=True)) == {paid_attempt.pk, recent.pk, done.pk}


def test_old_stripe_webhook_payloads_go(settings):
    settings.RETENTION_WEBHOOK_PAYLOAD_DAYS = 90
    old = WebhookEventTrigger.objects.create(remote_ip="127.0.0.1", headers={}, body="{}")
    new = WebhookEventTrigger.objects.create(remote_ip="127.0.0.1", headers={}, body="{}")
    WebhookEventTrigger.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=91))
    assert webhook_payloads_purge() == 1
    assert list(WebhookEventTrigger.objects.values_list("pk", flat=True)) == [new.pk]


def test_old_form_submissions_go(site_tree, settings):
    settings.RETENTION_FORM_SUBMISSION_DAYS = 365
    page = site_tree["contact"]
    old = FormSubmission.objects.create(page=page, form_data={"your_name": "Old"})
    new = FormSubmission.objects.create(page=page, form_data={"your_name": "New"})
    FormSubmission.objects.filter(pk=old.pk).update(submit_time=timezone.now() - timedelta(days=366))
    assert form_submissions_purge() == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [new.pk]


def test_expired_sessions_go():
    live = SessionStore()
    live["x"] = 1
    live.create()
    old = SessionStore()
    old["x"] = 2
    old.create()
    Session.objects.filter(session_key=old.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    sessions_purge()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_only_the_newest_revisions_are_kept_and_the_live_one_never_goes(site_tree):
    page = site_tree["about"]
    page.refresh_from_db()
    live_revision_id = page.live_revision_id
    for number in range(6):
        page.title = f"About v{number}"
        page.save_revision()
    page.refresh_from_db()
    assert Revision.objects.filter(object_id=str(page.pk)).count() == 7
    deleted = page_revisions_prune(keep=3)
    remaining = set(Revision.objects.filter(object_id=str(page.pk)).values_list("pk", flat=True))
    assert deleted == 3 and len(remaining) == 4
    assert live_revision_id in remaining and page.latest_revision_id in remaining
    assert page_revisions_prune(keep=3) == 0  # a second run finds nothing


def test_unverified_accounts_that_never_signed_in_go(settings):
    settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    stale = UserFactory(email="stale@example.com")
    EmailAddress.objects.filter(user=stale).update(verified=False)
    verified = UserFactory(email="ok@example.com")
    used = UserFactory(email="used@example.com", last_login=old)
    EmailAddress.objects.filter(user=used).update(verified=False)
    fresh = UserFactory(email="fresh@example.com")
    EmailAddress.objects.filter(user=fresh).update(verified=False)
    User.objects.filter(pk__in=[stale.pk, verified.pk, used.pk]).update(date_joined=old)
    assert unverified_accounts_purge() == 1
    assert not User.objects.filter(pk=stale.pk).exists()
    assert User.objects.filter(pk__in=[verified.pk, used.pk, fresh.pk]).count() == 3


def test_an_unverified_account_holding_records_is_kept(settings, learner):
    settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS = 30
    expert = bookable_expert().profile.user
    EmailAddress.objects.filter(user=learner).update(verified=False)
    booking_in_state(learner=learner, expert=expert, start=timezone.now() - timedelta(days=40))
    User.objects.filter(pk=learner.pk).update(date_joined=timezone.now() - timedelta(days=60))
    unverified_accounts_purge()
    assert User.objects.filter(pk=learner.pk).exists()
