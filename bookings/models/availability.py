"""An expert's bookable hours as stored: weekly hours and per-date overrides.

Times are wall-clock times in the expert's zone (``ExpertProfile.time_zone``);
``bookings.selectors.availability.expert_availability`` turns them into the slot
engine's value objects. The scheduling policy (notice, horizon, buffer, step)
lives on ``ExpertProfile`` because there is exactly one per expert; it is
written only by ``bookings.services.availability``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.models import ExpertProfile


class Weekday(models.IntegerChoices):
    # Same numbering as ``date.weekday()`` and ``scheduling.WeeklyRule``.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyHours(models.Model):
    """One window of weekly availability; a day may have several (e.g. morning and evening)."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="bookings_weekday_0_6"),
            # A window never crosses midnight (the engine's rule); overlaps are refused by the service.
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="bookings_weekly_end_after_start"),
            models.UniqueConstraint(fields=["profile", "weekday", "start"], name="bookings_weekly_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class DateOverride(models.Model):
    """Replaces the weekly hours on one local date.

    A row without times is a day off; rows with times are that date's only
    windows. The expert area edits days off; the slot engine already honours
    windows too, for when the screen offers them.
    """

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="date_overrides")
    date = models.DateField(_("date"))
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("date override")
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="bookings_override_window_valid",
            ),
            # One day-off row per date (NULLs are distinct in a plain unique constraint).
            models.UniqueConstraint(
                fields=["profile", "date"], condition=Q(start__isnull=True), name="bookings_one_day_off_per_date"
            ),
            models.UniqueConstraint(
                fields=["profile", "date", "start"],
                condition=Q(start__isnull=False),
                name="bookings_override_unique_start",
            ),
        ]
        indexes = [models.Index(fields=["profile", "date"], name="bookings_override_profile_date")]

    def __str__(self) -> str:
        if self.start is None:
            return f"{self.date:%Y-%m-%d} off"
        return f"{self.date:%Y-%m-%d} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def is_day_off(self) -> bool:
        return self.start is None
