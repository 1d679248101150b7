"""Make the run's reminders due now and queue the reminder job several times at once.

    .venv/bin/python -m benchmarks.stack_reminders SINCE_ISO   (benchmarks/stack_load.sh runs it)

The sessions a load run books start days ahead, so none of their reminders would come due
within a run. This moves the due time of the email reminders of up to 40 bookings paid
during the run to one minute ago (as if the clock had moved on) and queues
``bookings.tasks.send_due_reminders`` six times through the Redis broker, so the two worker
clusters run it concurrently. ``stack_check`` then counts the emails: one per reminder and
recipient, none twice.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

import django

django.setup()

from django.utils import timezone  # noqa: E402
from django_q.tasks import async_task  # noqa: E402

from bookings.models import Booking  # noqa: E402
from bookings.models.reminders import Reminder  # noqa: E402

JOBS = 6


def main() -> None:
    since = datetime.fromisoformat(sys.argv[1])
    paid = Booking.objects.filter(
        created_at__gte=since, learner__email__startswith="load-learner-", status=Booking.Status.CONFIRMED
    ).values_list("id", flat=True)[:40]
    reminders = Reminder.objects.filter(
        booking_id__in=list(paid), channel=Reminder.Channel.EMAIL, status=Reminder.Status.PLANNED, kind="24h"
    )
    moved = reminders.update(due_at=timezone.now() - timedelta(minutes=1))
    for _ in range(JOBS):
        async_task("bookings.tasks.send_due_reminders")
    print(f"stack_reminders: {moved} reminders made due; the reminder job queued {JOBS} times")


if __name__ == "__main__":
    main()
