"""An expert's proposal to move a confirmed session; the learner accepts (it moves) or declines."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .booking import Booking


class MoveProposal(models.Model):
    """A new time the expert proposes. At most one open per booking (a new one withdraws the last).

    It holds no time: the learner's acceptance rechecks the time as a move would, so a proposal
    can never sell a time twice; while one is open or was declined, the learner may cancel for a
    full refund whatever the policy says (the expert asked for the change).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the learner")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Replaced by a newer proposal")
        LAPSED = "lapsed", _("No longer possible")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="move_proposals")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["booking"], condition=Q(status="open"), name="one_open_move_proposal"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="move_proposal_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Move proposal {self.pk} for booking {self.booking_id} ({self.status})"
