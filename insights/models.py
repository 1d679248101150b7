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
    # The funnel (platform rows only): visitors of the day who reached each step, each step counting
    # only visitors who also reached the ones before it (insights.funnel).
    funnel_visitors = models.PositiveIntegerField(default=0)
    funnel_expert_page = models.PositiveIntegerField(default=0)
    funnel_hold = models.PositiveIntegerField(default=0)
    funnel_paid = models.PositiveIntegerField(default=0)
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


class FunnelEvent(models.Model):
    """One page view of a browser that accepted analytics: the day, the funnel step, a visitor key.

    No user id, no IP address, no URL, no time of day. ``visitor`` is a keyed hash of the browser's
    address and user agent under a random salt that exists for one day only (kept in the cache,
    never stored here), so the same browser cannot be recognised from one day to the next, nor its
    address recovered. Deleted after ``RETENTION_FUNNEL_EVENT_DAYS``.
    """

    class Step(models.TextChoices):
        VISIT = "visit", _("Visit")
        EXPERT_PAGE = "expert_page", _("Expert page")
        HOLD = "hold", _("Hold")
        PAID = "paid", _("Paid booking")

    day = models.DateField()
    step = models.CharField(max_length=12, choices=Step.choices)
    visitor = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["day", "visitor"], name="insights_funnel_day_visitor")]

    def __str__(self) -> str:
        return f"{self.day} {self.step}"
