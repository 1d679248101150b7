"""Signals billing sends after a payment changes state (always after commit).

``billing.receivers`` connects to these to confirm a booking
(``payment_succeeded``) or release its hold (``payment_failed``); other apps
may listen too. Each is sent once per payment and state: the transition guard
in ``billing.services.payments`` sends it only when the state actually changes.
"""

from django.dispatch import Signal

# kwargs: payment
payment_succeeded = Signal()
payment_failed = Signal()
payment_refunded = Signal()
