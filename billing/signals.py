"""Signals billing sends after a payment changes state (always after commit).

Billing's own follow-ups (confirm the booking, release the hold) do not
listen to these: they are outbox messages written in the same transaction
(``billing.services.payments``), which a crash cannot lose. Other apps may
listen. Each is sent once per payment and state: the transition guard
in ``billing.services.payments`` sends it only when the state actually changes.
"""

from django.dispatch import Signal

# kwargs: payment
payment_succeeded = Signal()
payment_failed = Signal()
payment_refunded = Signal()

# kwargs: withdrawal. Sent inside the transaction that records a withdrawal as paid out (the Connect
# transfer was made), so a receiver's rows exist exactly when that commit did.
withdrawal_paid = Signal()
