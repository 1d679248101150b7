"""Every periodic job in one list, kept in step with django-q2's schedules after each migrate.

Renaming or retiming a job is a change to ``SCHEDULES`` alone: ``schedules_sync``
runs on ``post_migrate`` (so ``make run``, deploys and the test database all get
it) and makes the ``Schedule`` rows match the list: it creates missing ones,
corrects the function or interval of changed ones and deletes the ones this list
created that are no longer in it. Schedules someone added by hand in the admin
(any name outside ``SCHEDULE_PREFIX``) are left alone.

Each ``func`` is the dotted path of a task that takes no arguments. Only strings
name the tasks here: the kernel imports no project app. Import this module
once apps are loaded (``CoreConfig.ready`` does).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_q.models import Schedule

SCHEDULE_PREFIX = "taptime: "


@dataclass(frozen=True)
class PeriodicJob:
    name: str  # unique among our schedules; shown in the admin as "taptime: <name>"
    func: str  # dotted path of a django-q2 task without arguments
    minutes: int  # run every this many minutes

    @property
    def schedule_name(self) -> str:
        return f"{SCHEDULE_PREFIX}{self.name}"


SCHEDULES: tuple[PeriodicJob, ...] = (
    # Work that must happen after a change (emails, refunds, webhook follow-ups); also nudged on commit.
    PeriodicJob("drain the outbox", "core.tasks.outbox_drain_due", minutes=1),
    # Delivered outbox messages are kept OUTBOX_KEEP_DAYS for their dedupe keys, then forgotten.
    PeriodicJob("purge delivered outbox messages", "core.tasks.outbox_purge_done", minutes=24 * 60),
    # Wagtail's go-live and expiry times for pages; its command is idempotent.
    PeriodicJob("publish scheduled pages", "cms_pages.tasks.publish_scheduled_pages", minutes=1),
    # Unpaid holds give their time back as soon as they lapse.
    # The API's Idempotency-Key answers are kept IDEMPOTENCY_KEY_HOURS, then forgotten.
    PeriodicJob("prune API idempotency keys", "api.tasks.prune_idempotency_records", minutes=60),
    # Outgoing webhooks that are due (first tries are also nudged on commit; retries back off).
    PeriodicJob("deliver webhooks", "api.tasks.deliver_due_webhooks", minutes=1),
    PeriodicJob("expire unpaid holds", "bookings.tasks.expire_holds", minutes=1),
    # Session reminders 24 hours and 1 hour before, each sent once (reads only the due window).
    PeriodicJob("send session reminders", "bookings.tasks.send_due_reminders", minutes=5),
    # Staff announcements marked "also email it", in batches, once per person (notifications.announcements).
    PeriodicJob("email announcements", "notifications.tasks.send_due_announcements", minutes=5),
    # Confirmed sessions that have ended become "completed".
    PeriodicJob("complete past sessions", "bookings.tasks.complete_past_sessions", minutes=15),
    # Uncontested no-show reports are applied once their report window has closed (contested ones wait for staff).
    PeriodicJob("apply session reports", "bookings.tasks.apply_session_reports", minutes=15),
    # Daily: session recordings past RECORDING_RETENTION_DAYS are deleted, file and row.
    PeriodicJob("delete expired recordings", "bookings.tasks.purge_expired_recordings", minutes=24 * 60),
    # Reviews whose delay is over, or whose learner completed the next session with the expert, go public.
    PeriodicJob("publish due reviews", "reviews.tasks.publish_due_reviews", minutes=15),
    # Learners of just-completed sessions are invited to rate them, and reminded once after three days.
    PeriodicJob("invite learners to rate sessions", "reviews.tasks.invite_to_rate", minutes=60),
    # Paid PaymentIntents that no payment owns (a duplicate charge) are refunded.
    PeriodicJob("refund orphaned payments", "billing.tasks.reconcile_payment_intents", minutes=60),
    # Pending earnings of settled sessions past the hold period become available (ledger only, once each).
    PeriodicJob("release held earnings", "billing.tasks.release_earnings", minutes=60),
    # Daily: packages expiring within 7 days with credits left email their learner (once each).
    PeriodicJob("remind learners of expiring packages", "billing.tasks.remind_expiring_packages", minutes=24 * 60),
    # Hourly: unused credits of expired packages are refunded pro rata or lapse (PlatformSettings.expired_credits).
    PeriodicJob("expire package credits", "billing.tasks.expire_package_credits", minutes=60),
    # Nightly: the ledger balances and every paid payment is posted (errors are logged for alerting).
    PeriodicJob("reconcile the ledger", "billing.tasks.reconcile_ledger", minutes=24 * 60),
    # Busy times from experts' imported ICS calendars (one task per calendar; conditional requests).
    PeriodicJob("sync imported calendars", "bookings.tasks.sync_expert_calendars", minutes=15),
    # Busy times from experts' connected Google and Outlook accounts (one task per connection).
    PeriodicJob("sync connected calendars", "bookings.tasks.sync_connected_calendars_busy", minutes=15),
    # Next free times the clock has overtaken, or nobody refreshed for an hour.
    PeriodicJob("refresh stale next free times", "bookings.tasks.refresh_stale_next_available", minutes=15),
    # Daily: experts hear 30 days ahead (once per credential and date) that a checked credential expires.
    PeriodicJob(
        "remind experts of expiring credentials", "marketplace.tasks.remind_expiring_credentials", minutes=24 * 60
    ),
    # Expert pages published while the worker was down, or embedded by an older model (publishing also queues one).
    PeriodicJob("embed expert pages for recommendations", "learning.tasks.backfill_expert_embeddings", minutes=60),
    # The onboarding email series (learning.onboarding_emails): each step once per person, skipped when done.
    PeriodicJob("send onboarding emails", "learning.tasks.send_onboarding_emails", minutes=60),
    # Privacy (docs/privacy.md): erasures whose grace period is over, then retention, each period in settings.
    PeriodicJob("erase accounts after their grace period", "accounts.tasks.privacy_erasures_run_due", minutes=60),
    PeriodicJob("delete expired data exports", "accounts.tasks.privacy_exports_purge", minutes=60),
    PeriodicJob("delete expired sessions", "accounts.tasks.purge_expired_sessions", minutes=24 * 60),
    PeriodicJob("delete unverified unused accounts", "accounts.tasks.purge_unverified_accounts", minutes=24 * 60),
    PeriodicJob("delete old expired holds", "bookings.tasks.purge_expired_holds", minutes=24 * 60),
    PeriodicJob("delete old Stripe webhook payloads", "billing.tasks.purge_webhook_payloads", minutes=24 * 60),
    PeriodicJob("delete old form submissions", "cms_pages.tasks.purge_form_submissions", minutes=24 * 60),
    PeriodicJob("prune old page revisions", "cms_pages.tasks.prune_page_revisions", minutes=24 * 60),
    # The statistics' stored daily figures: the last weeks recounted (outcomes settle late); today is live.
    PeriodicJob("recount daily statistics", "insights.tasks.refresh_daily_figures", minutes=60),
    PeriodicJob("delete old funnel events", "insights.tasks.purge_funnel_events", minutes=24 * 60),
)


def schedules_sync(jobs: tuple[PeriodicJob, ...] = SCHEDULES) -> dict[str, int]:
    """Make django-q2's schedules match ``jobs``; returns how many were created, updated and deleted."""
    counts = {"created": 0, "updated": 0, "deleted": 0}
    wanted = {job.schedule_name: job for job in jobs}
    with transaction.atomic():
        existing = {schedule.name: schedule for schedule in Schedule.objects.filter(name__startswith=SCHEDULE_PREFIX)}
        for name, job in wanted.items():
            schedule = existing.get(name)
            if schedule is None:
                Schedule.objects.create(
                    name=name, func=job.func, schedule_type=Schedule.MINUTES, minutes=job.minutes, repeats=-1
                )
                counts["created"] += 1
            elif (schedule.func, schedule.schedule_type, schedule.minutes, schedule.repeats) != (
                job.func,
                Schedule.MINUTES,
                job.minutes,
                -1,
            ):
                schedule.func, schedule.schedule_type, schedule.minutes, schedule.repeats = (
                    job.func,
                    Schedule.MINUTES,
                    job.minutes,
                    -1,
                )
                schedule.save(update_fields=["func", "schedule_type", "minutes", "repeats"])
                counts["updated"] += 1
        stale = [schedule.pk for name, schedule in existing.items() if name not in wanted]
        if stale:
            counts["deleted"] = Schedule.objects.filter(pk__in=stale).delete()[0]
    return counts


def schedules_sync_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver: sync once per migrate, when django-q2's own tables are in place."""
    if getattr(sender, "label", None) != "django_q" or using != "default":
        return
    schedules_sync()
