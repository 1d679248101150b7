"""Operational expert data: status, zone, currency, offerings, denormalised figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_time_zone
from core.money import CURRENCY_CHOICES, Money

_CURRENCIES = [code for code, _label in CURRENCY_CHOICES]


class ExpertProfile(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="expert_profile"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="USD")
    # Written only from reviews (none exist yet, so a profile shows no rating; the
    # rating filter and sort work on whatever reviews will write).
    rating_avg = models.DecimalField(_("average rating"), max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0)
    # Completed bookings with this expert, kept in step by a database trigger on the
    # bookings table (bookings migration 0003) in the transaction that completes them.
    sessions_completed = models.PositiveIntegerField(_("sessions completed"), default=0)
    # Cheapest active session type, kept in step by the offering services.
    price_from_minor = models.PositiveIntegerField(_("price from (minor units)"), null=True, blank=True)
    # The same price in the reference currency (USD), for cross-currency sort and filter.
    price_from_ref_minor = models.PositiveIntegerField(_("price from in USD (minor units)"), null=True, blank=True)
    # Scheduling policy (see bookings.scheduling.SchedulingPolicy); one per expert,
    # written by bookings.services.availability.
    min_notice_hours = models.PositiveSmallIntegerField(_("minimum notice (hours)"), default=12)
    horizon_days = models.PositiveSmallIntegerField(_("booking horizon (days)"), default=60)
    buffer_minutes = models.PositiveSmallIntegerField(_("buffer between sessions (minutes)"), default=0)
    slot_step_minutes = models.PositiveSmallIntegerField(_("start times every (minutes)"), default=30)
    # The start of the earliest bookable slot (any active session type) within the
    # horizon, from the slot engine; None when there is none. Denormalised for the
    # browse filter and cards, and written only by bookings.services.next_free
    # (on commit after every change, plus a schedule for the clock moving on).
    next_available_at = models.DateTimeField(_("next free time"), null=True, blank=True)
    next_available_checked_at = models.DateTimeField(_("next free time checked at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        constraints = [
            models.CheckConstraint(condition=Q(rating_avg__gte=0, rating_avg__lte=5), name="marketplace_rating_0_5"),
            models.CheckConstraint(
                condition=Q(rating_count__gt=0) | Q(rating_avg=0), name="marketplace_rating_needs_count"
            ),
            models.CheckConstraint(condition=Q(currency__in=_CURRENCIES), name="marketplace_profile_currency_known"),
            models.CheckConstraint(
                condition=Q(price_from_minor__isnull=True, price_from_ref_minor__isnull=True)
                | Q(price_from_minor__isnull=False, price_from_ref_minor__isnull=False),
                name="marketplace_price_from_pair",
            ),
            models.CheckConstraint(condition=Q(min_notice_hours__lte=24 * 14), name="marketplace_policy_notice_range"),
            models.CheckConstraint(
                condition=Q(horizon_days__gte=1, horizon_days__lte=365), name="marketplace_policy_horizon_range"
            ),
            models.CheckConstraint(condition=Q(buffer_minutes__lte=240), name="marketplace_policy_buffer_range"),
            models.CheckConstraint(
                condition=Q(slot_step_minutes__in=[5, 10, 15, 20, 30, 45, 60, 90, 120]),
                name="marketplace_policy_step_allowed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-rating_avg", "-rating_count"], name="mkt_profile_rating"),
            models.Index(fields=["status", "price_from_ref_minor"], name="mkt_profile_price"),
            # "Price: high to low" (DESC NULLS LAST) has a PostgreSQL-only index
            # (migration 0002): SQLite cannot declare NULLS LAST in an index.
            models.Index(fields=["status", "-sessions_completed"], name="mkt_profile_sessions"),
            models.Index(fields=["status", "next_available_at"], name="mkt_profile_next_free"),
            # The schedule's "which rows are stale" scan.
            models.Index(fields=["next_available_checked_at"], name="mkt_profile_next_free_checked"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def price_from(self) -> Money | None:
        return None if self.price_from_minor is None else Money(self.price_from_minor, self.currency)

    @property
    def has_ratings(self) -> bool:
        return self.rating_count > 0

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_paused(self) -> bool:
        return self.status == self.Status.PAUSED
