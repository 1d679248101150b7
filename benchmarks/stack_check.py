"""After a load run on the stack: no double booking, emails exactly once, reminders handled once.

    .venv/bin/python -m benchmarks.stack_check SINCE_ISO WORKER_LOG_EXCERPT...

(benchmarks/stack_load.sh runs it with the production environment of the stack and the part of
each worker's log written during the run.) Prints one line per check and exits 1 if any fails.
"""

from __future__ import annotations

import collections
import re
import sys
from datetime import datetime, timedelta

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bookings.models import Booking  # noqa: E402
from bookings.models.reminders import Reminder  # noqa: E402
from core.models import OutboxMessage  # noqa: E402

OVERLAPS = """
SELECT count(*) FROM bookings_booking a JOIN bookings_booking b
  ON a.expert_id = b.expert_id AND a.id < b.id
 WHERE a.status IN ('held', 'confirmed') AND b.status IN ('held', 'confirmed')
   AND a.start < b."end" AND b.start < a."end"
"""
EMAIL = re.compile(r"^Subject: (?P<subject>.*)\n(?:.*\n){0,6}?To: (?P<to>.*)$", re.MULTILINE)


def emails(paths: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in paths:
        text = open(path, encoding="utf-8", errors="replace").read()  # noqa: SIM115
        found += [(m["to"].strip(), m["subject"].strip()) for m in EMAIL.finditer(text)]
    return found


def main() -> int:
    since = datetime.fromisoformat(sys.argv[1])
    sent = emails(sys.argv[2:])
    failures = 0

    def check(ok: bool, line: str) -> None:
        nonlocal failures
        failures += not ok
        print(("ok   " if ok else "FAIL ") + line)

    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        overlaps = cursor.fetchone()[0]
    check(overlaps == 0, f"double bookings (held/confirmed overlapping, same expert): {overlaps}")

    made = Booking.objects.filter(created_at__gte=since, learner__email__startswith="load-learner-")
    # Confirmed during the run: a payment cut short by a killed web process earlier is confirmed
    # later by its outbox follow-up, and its emails go out then.
    confirmed = Booking.objects.filter(
        updated_at__gte=since, learner__email__startswith="load-learner-", status=Booking.Status.CONFIRMED
    ).count()
    confirmations = [e for e in sent if e[1].startswith("Session confirmed")]
    check(
        len(confirmations) == 2 * confirmed,
        f"confirmation emails: {len(confirmations)} for {confirmed} bookings confirmed (2 each expected)",
    )
    duplicates = [key for key, n in collections.Counter(sent).items() if n > 1]
    # Two sessions of one learner at different times have different subjects: any repeat is a double send.
    check(not duplicates, f"emails sent twice (same recipient and subject): {len(duplicates)} {duplicates[:3]}")

    settled = timezone.now() - timedelta(minutes=1)
    due = Reminder.objects.filter(booking__in=made, channel="email", due_at__lte=settled)
    unsent = due.filter(status=Reminder.Status.PLANNED).count()
    sent_reminders = Reminder.objects.filter(booking__in=made, channel="email", status=Reminder.Status.SENT).count()
    reminder_mails = [e for e in sent if e[1].startswith(("Reminder:", "Your session starts"))]
    check(unsent == 0, f"reminders due before {settled:%H:%M} still unsent: {unsent} of {due.count()}")
    check(
        len(reminder_mails) == 2 * sent_reminders,
        f"reminder emails: {len(reminder_mails)} for {sent_reminders} sent reminders (learner and expert each)",
    )
    stuck = OutboxMessage.objects.filter(created_at__gte=since, status=OutboxMessage.Status.FAILED).count()
    check(stuck == 0, f"outbox messages failed for good since the start: {stuck}")
    print(
        f"info bookings made: {made.count()}, paid: {confirmed}, held: "
        f"{made.filter(status=Booking.Status.HELD).count()}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
