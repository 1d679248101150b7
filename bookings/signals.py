"""Signals bookings sends for apps above it (billing listens; bookings never imports billing).

``holds_lapsed`` is sent *inside* the transaction that lets holds go (the
expiry job, a release after a failed payment, the oldest holds released over
the learner's limit, stale holds expired on the way), with the ids of the
bookings concerned. A receiver that must act after the commit writes its work
to the outbox in the same transaction (``core.outbox``), so the reaction is
committed exactly when the holds are released.
"""

from django.dispatch import Signal

# kwargs: booking_ids (list[int])
holds_lapsed = Signal()

# Sent inside the transaction of a booking's change, after the row is saved (the API's outgoing
# webhooks record their deliveries here, so they exist exactly when the change committed).
# kwargs: booking (Booking), event ("confirmed" | "cancelled" | "rescheduled")
booking_changed = Signal()

# Sent inside the transaction that records a decision on a session's reports which gives the learner
# money back (billing writes the refund to the outbox in that same transaction, then calls
# ``bookings.services.session_reports.session_decision_settle``).
# kwargs: booking (Booking), decision (SessionDecision)
session_refund_due = Signal()
