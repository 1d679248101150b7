"""How often a learner may hold time: nobody keeps an expert's calendar blocked by holding without paying.

Two limits, both in settings and both counted from the bookings table in one
indexed query (``booking_learner_created``), under the learner's row lock that
``booking_hold`` already holds, so parallel requests cannot both slip under:

* ``BOOKING_HOLDS_PER_HOUR``: holds the learner made in the last hour, with
  any expert;
* ``BOOKING_UNPAID_HOLDS_PER_EXPERT_PER_DAY``: holds of one expert's time the
  learner let lapse (or released over their live-hold limit) in the last 24 h.

Cycling holds (hold four times, which releases the first, hold it again …)
creates a lapsed hold each time, so it stops after a few rounds for that
expert. A learner who pays is never counted by the second limit. Limits are
per learner, and per learner *and* expert, never per expert alone: a limit on
the expert's calendar would let anyone lock every other learner out of it,
the very harm it is meant to stop.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ..errors import HoldLimitReached
from ..models import Booking


def hold_limits_check(*, learner_id: int, expert_id: int, now: datetime) -> None:
    """Raise ``HoldLimitReached`` if this learner may not hold more time now, or with this expert (one query)."""
    counts = Booking.objects.filter(learner_id=learner_id, created_at__gt=now - timedelta(hours=24)).aggregate(
        last_hour=Count("pk", filter=Q(created_at__gt=now - timedelta(hours=1))),
        unpaid_with_expert=Count(
            "pk",
            filter=Q(expert_id=expert_id)
            & (Q(status=Booking.Status.EXPIRED) | Q(status=Booking.Status.HELD, hold_expires_at__lte=now)),
        ),
    )
    if counts["last_hour"] >= settings.BOOKING_HOLDS_PER_HOUR:
        raise HoldLimitReached(
            _("You have held many times in the last hour. Please wait a while before holding another time."),
            code="holds_per_hour",
            extra={"count": counts["last_hour"], "window_hours": 1},
        )
    if counts["unpaid_with_expert"] >= settings.BOOKING_UNPAID_HOLDS_PER_EXPERT_PER_DAY:
        raise HoldLimitReached(
            _(
                "You have held this expert's times several times without paying today. "
                "Please try again tomorrow or choose another expert."
            ),
            code="unpaid_holds_per_expert",
            extra={"count": counts["unpaid_with_expert"], "window_hours": 24, "expert_id": expert_id},
        )
