"""Pre-aggregated daily figures: one row per (UTC day, category or all, currency or none).

The counts live on the row whose ``currency`` is empty; money lives on one row per currency, so a
sum is only ever taken within one currency. ``category`` empty means the whole platform; a row with
a category counts what happened with experts listed in that category (or one of its subcategories),
so categories overlap and their figures do not add up to the platform's.

Only figures that can be summed over days are stored (counts, minor units, rating sums). Distinct
counts such as "active experts" cannot be summed across days without over-counting (an expert
active on two days is one expert), so they are counted live over the period instead.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.models import Category


class DailyFigure(models.Model):
    day = models.DateField(_("day (UTC)"))
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    users_joined = models.PositiveIntegerField(default=0)
    sessions_booked = models.PositiveIntegerField(default=0)
    sessions_completed = models.PositiveIntegerField(default=0)
    sessions_cancelled = models.PositiveIntegerField(default=0)
    sessions_no_show = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    gross_minor = models.BigIntegerField(default=0)
    revenue_minor = models.BigIntegerField(default=0)
    refunds_minor = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        ordering = ["day"]
        indexes = [models.Index(fields=["category", "day"], name="insights_daily_category_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "currency"], condition=Q(category__isnull=True), name="insights_daily_platform_unique"
            ),
            models.UniqueConstraint(
                fields=["day", "category", "currency"],
                condition=Q(category__isnull=False),
                name="insights_daily_category_unique",
            ),
            models.CheckConstraint(
                condition=Q(currency="") | Q(currency__regex=r"^[A-Z]{3}$"), name="insights_daily_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category_id or 'all'} {self.currency or 'counts'}"
