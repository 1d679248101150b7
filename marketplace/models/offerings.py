"""What an expert offers: session types (one per length) and packages of them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import CURRENCY_CHOICES, Money

from .profiles import ExpertProfile

DURATION_CHOICES = [(30, _("30 minutes")), (45, _("45 minutes")), (60, _("60 minutes")), (90, _("90 minutes"))]
_DURATIONS = [value for value, _label in DURATION_CHOICES]
_CURRENCIES = [code for code, _label in CURRENCY_CHOICES]


class SessionType(models.Model):
    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="session_types")
    duration_minutes = models.PositiveSmallIntegerField(_("length"), choices=DURATION_CHOICES)
    price_minor = models.PositiveIntegerField(_("price (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("session type")
        ordering = ["duration_minutes"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "duration_minutes"], name="marketplace_one_type_per_length"),
            models.CheckConstraint(condition=Q(duration_minutes__in=_DURATIONS), name="marketplace_duration_allowed"),
            models.CheckConstraint(condition=Q(price_minor__gt=0), name="marketplace_session_price_positive"),
            models.CheckConstraint(condition=Q(currency__in=_CURRENCIES), name="marketplace_session_currency_known"),
        ]

    def __str__(self) -> str:
        return f"{self.duration_minutes} min · {self.price}"

    @property
    def price(self) -> Money:
        return Money(self.price_minor, self.currency)


class Package(models.Model):
    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="packages")
    session_type = models.ForeignKey(SessionType, on_delete=models.CASCADE, related_name="packages")
    sessions_count = models.PositiveSmallIntegerField(_("number of sessions"))
    price_minor = models.PositiveIntegerField(_("bundle price (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    validity_days = models.PositiveSmallIntegerField(_("valid for (days)"))
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("package")
        ordering = ["sessions_count"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_count__gte=2, sessions_count__lte=50), name="marketplace_package_size"
            ),
            models.CheckConstraint(condition=Q(price_minor__gt=0), name="marketplace_package_price_positive"),
            models.CheckConstraint(
                condition=Q(validity_days__gte=7, validity_days__lte=730), name="marketplace_package_validity"
            ),
            models.CheckConstraint(condition=Q(currency__in=_CURRENCIES), name="marketplace_package_currency_known"),
        ]

    def __str__(self) -> str:
        return f"{self.sessions_count} × {self.session_type.duration_minutes} min · {self.price}"

    @property
    def price(self) -> Money:
        return Money(self.price_minor, self.currency)

    @property
    def per_session(self) -> Money:
        # Display only; integer division keeps it in minor units.
        return Money(self.price_minor // self.sessions_count, self.currency)
