"""Helpers for tests that need work committed outside the test's own transaction."""

import threading

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models import Q
from wagtail.models import ModelLogEntry

from billing.models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment, Receipt
from bookings.models import Booking
from core.models import OutboxMessage


def in_own_connection(function, *, timeout: float = 120):
    """Run ``function`` in a thread, hence on its own database connection, outside the
    test's transaction: what it writes is committed, so other threads (a live server's
    included) see it. Its exception is re-raised here; a run past ``timeout`` fails."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"{function!r} did not finish within {timeout} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def delete_committed(*, bookings=(), users=()) -> None:
    """Delete what a committed-data test made: its bookings with their payments, outbox messages and
    ledger rows, then its users. The ledger is append-only (a trigger refuses UPDATE and DELETE);
    this cleanup alone bypasses it, the way a replica applies rows, inside its own transaction."""
    booking_ids = [booking.pk for booking in bookings]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        payments = list(Payment.objects.filter(booking_id__in=booking_ids).values_list("pk", flat=True))
        touched = LedgerEntry.objects.filter(account__owner__in=users).values_list("transaction_id", flat=True)
        references = Q(reference__in=[f"payment-{pk}" for pk in payments])
        for pk in payments:
            references |= Q(reference__startswith=f"payment-{pk}:")
        transactions = LedgerTransaction.objects.filter(references | Q(pk__in=list(touched)))
        Receipt.objects.filter(Q(payment_id__in=payments) | Q(posting__in=transactions)).delete()
        LedgerEntry.objects.filter(transaction__in=transactions).delete()
        transactions.delete()
        LedgerAccount.objects.filter(owner__in=users).delete()
        keys = Q(dedupe_key__in=[])
        for pk in booking_ids:
            keys |= Q(dedupe_key__startswith=f"booking-{pk}-")
        for pk in payments:
            keys |= Q(dedupe_key__startswith=f"payment-{pk}-") | Q(dedupe_key__startswith=f"receipt-payment-{pk}")
        OutboxMessage.objects.filter(keys).delete()
        Payment.objects.filter(pk__in=payments).delete()
        # Audit entries by these users or about these bookings (Wagtail keeps them when a row goes).
        ModelLogEntry.objects.filter(
            Q(user__in=users)
            | Q(content_type=ContentType.objects.get_for_model(Booking), object_id__in=[str(pk) for pk in booking_ids])
        ).delete()
        Booking.objects.filter(Q(pk__in=booking_ids) | Q(learner__in=users) | Q(expert__in=users)).delete()
        for user in users:
            profile = getattr(user, "expert_profile", None)
            if profile is not None:
                profile.delete()
            user.emailaddress_set.all().delete()
            user.delete()
