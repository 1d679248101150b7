"""Signals of the notifications app, for the domain apps above it (which it never imports)."""

from django.dispatch import Signal

# Sent on commit when a person can newly get text-message reminders (a verified number and the
# channel on); ``user_id``. Bookings listens and plans the text reminders of their upcoming sessions.
sms_reminders_enabled = Signal()
