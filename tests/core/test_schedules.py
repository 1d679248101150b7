"""Every periodic job is one entry in core.schedules.SCHEDULES, kept in step with django-q2 after migrate."""

import importlib
import inspect

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from core.schedules import SCHEDULE_PREFIX, SCHEDULES, PeriodicJob, schedules_sync

pytestmark = pytest.mark.django_db

EXPECTED = {
    "core.tasks.outbox_drain_due": 1,
    "core.tasks.outbox_purge_done": 24 * 60,
    "cms_pages.tasks.publish_scheduled_pages": 1,
    "api.tasks.prune_idempotency_records": 60,
    "api.tasks.deliver_due_webhooks": 1,
    "bookings.tasks.expire_holds": 1,
    "bookings.tasks.complete_past_sessions": 15,
    "bookings.tasks.apply_session_reports": 15,
    "bookings.tasks.send_due_reminders": 5,
    "notifications.tasks.send_due_announcements": 5,
    "bookings.tasks.refresh_stale_next_available": 15,
    "bookings.tasks.sync_expert_calendars": 15,
    "bookings.tasks.sync_connected_calendars_busy": 15,
    "billing.tasks.release_earnings": 60,
    "billing.tasks.reconcile_payment_intents": 60,
    "billing.tasks.reconcile_ledger": 24 * 60,
    "billing.tasks.remind_expiring_packages": 24 * 60,
    "billing.tasks.expire_package_credits": 60,
    "marketplace.tasks.remind_expiring_credentials": 24 * 60,
    "bookings.tasks.purge_expired_recordings": 24 * 60,
    "reviews.tasks.publish_due_reviews": 15,
    "reviews.tasks.invite_to_rate": 60,
    "learning.tasks.backfill_expert_embeddings": 60,
    "learning.tasks.send_onboarding_emails": 60,
    # Privacy and retention (docs/privacy.md).
    "accounts.tasks.privacy_erasures_run_due": 60,
    "accounts.tasks.privacy_exports_purge": 60,
    "accounts.tasks.purge_expired_sessions": 24 * 60,
    "accounts.tasks.purge_unverified_accounts": 24 * 60,
    "bookings.tasks.purge_expired_holds": 24 * 60,
    "billing.tasks.purge_webhook_payloads": 24 * 60,
    "cms_pages.tasks.purge_form_submissions": 24 * 60,
    "cms_pages.tasks.prune_page_revisions": 24 * 60,
    "insights.tasks.refresh_daily_figures": 60,
    "insights.tasks.purge_funnel_events": 24 * 60,
}


def ours():
    return {s.func: s for s in Schedule.objects.filter(name__startswith=SCHEDULE_PREFIX)}


def test_the_migrated_database_runs_every_job_on_its_interval():
    schedules = ours()
    assert {func: s.minutes for func, s in schedules.items()} == EXPECTED
    assert all((s.schedule_type, s.repeats) == (Schedule.MINUTES, -1) for s in schedules.values())


@pytest.mark.parametrize("job", SCHEDULES, ids=lambda job: job.name)
def test_each_job_names_a_task_that_takes_no_arguments(job):
    module, _, name = job.func.rpartition(".")
    task = getattr(importlib.import_module(module), name)
    assert callable(task) and not inspect.signature(task).parameters


def test_a_second_sync_changes_nothing():
    schedules_sync()
    before = {s.pk: (s.func, s.minutes) for s in ours().values()}
    assert schedules_sync() == {"created": 0, "updated": 0, "deleted": 0}
    assert {s.pk: (s.func, s.minutes) for s in ours().values()} == before


def test_a_changed_list_is_applied_and_hand_made_schedules_are_left_alone():
    Schedule.objects.create(name="someone's own job", func="cms_pages.tasks.publish_scheduled_pages", minutes=5)
    retimed = PeriodicJob("expire unpaid holds", "bookings.tasks.expire_holds", minutes=2)
    renamed = PeriodicJob("publish pages", "cms_pages.tasks.publish_scheduled_pages", minutes=1)
    counts = schedules_sync((retimed, renamed))
    assert counts == {"created": 1, "updated": 1, "deleted": len(SCHEDULES) - 1}
    assert {s.name: s.minutes for s in ours().values()} == {
        "taptime: expire unpaid holds": 2,
        "taptime: publish pages": 1,
    }
    assert Schedule.objects.filter(name="someone's own job").exists()


def test_migrate_puts_a_deleted_schedule_back():
    Schedule.objects.filter(name__startswith=SCHEDULE_PREFIX).delete()
    call_command("migrate", verbosity=0)
    assert {func: s.minutes for func, s in ours().items()} == EXPECTED
