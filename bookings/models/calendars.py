"""Calendars an expert imports busy times from (ICS addresses), and the busy blocks they gave us.

The address is a secret (Google's "secret address in iCal format" lets anyone
read the whole calendar): it is stored encrypted (``accounts.secrets``) and
only ever shown masked (``url_hint``). A calendar that fails keeps its last
good blocks: bookings go on from the last good data, never stop.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.models import ExpertProfile


class ExpertCalendar(models.Model):
    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="calendars")
    name = models.CharField(_("name"), max_length=80)
    url_encrypted = models.TextField()  # accounts.secrets.secret_encrypt of the https:// address
    url_hint = models.CharField(max_length=120)  # what the expert sees: host and the end of the path
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)  # the server's Last-Modified, sent back verbatim
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)  # plain words, in the default language
    failures_in_a_row = models.PositiveIntegerField(default=0)
    busy_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["failures_in_a_row"], name="calendar_failures_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.url_hint})"

    @property
    def in_error(self) -> bool:
        return self.failures_in_a_row > 0


class ImportedBusy(models.Model):
    """One busy block [start, end) in UTC from an imported ICS calendar or a connected Google/Outlook account.

    ``expert`` repeats the source's expert (a user, like ``Booking.expert``) so
    the slot engine reads an expert's blocks in a window from one index, without
    a join. Exactly one source is set (``calendar`` or ``connection``); both kinds
    share this table so every reader of free time subtracts them in the same
    ``UNION ALL`` (decision 156).
    """

    calendar = models.ForeignKey(
        ExpertCalendar, on_delete=models.CASCADE, related_name="busy_blocks", null=True, blank=True
    )
    connection = models.ForeignKey(
        "bookings.ConnectedCalendar", on_delete=models.CASCADE, related_name="busy_blocks", null=True, blank=True
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_busy")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expert", "start"], name="imported_busy_expert_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="imported_busy_ends_after_start"),
            models.CheckConstraint(
                condition=Q(calendar__isnull=False, connection__isnull=True)
                | Q(calendar__isnull=True, connection__isnull=False),
                name="imported_busy_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id}: {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"
