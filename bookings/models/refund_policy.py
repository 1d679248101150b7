"""The platform's refund policies and the one each expert picks.

The tiers are the platform's, written here in code rather than edited in an
admin: a booking keeps a snapshot of the numbers it was bought under
(``Booking.refund_tier`` and the three ``*_refund_*`` fields), so a tier can
change for future bookings without touching any sold one, and a learner's
refund never depends on a row someone edited after they paid.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.models import ExpertProfile


class RefundTier(models.TextChoices):
    FLEXIBLE = "flexible", _("Flexible")
    MODERATE = "moderate", _("Moderate")
    STRICT = "strict", _("Strict")


@dataclass(frozen=True)
class RefundTerms:
    """Full refund up to ``full_refund_hours`` before the start; ``partial_refund_percent`` of the price
    up to ``partial_refund_hours`` before it; nothing after that. A cancellation is possible until the start."""

    tier: str
    full_refund_hours: int
    partial_refund_hours: int
    partial_refund_percent: int

    @property
    def label(self) -> str:
        """The tier's name; bookings from before the tiers read "Standard"."""
        return str(RefundTier(self.tier).label) if self.tier in RefundTier.values else str(_("Standard"))

    @property
    def has_partial_step(self) -> bool:
        return self.partial_refund_percent > 0 and self.partial_refund_hours < self.full_refund_hours

    def snapshot(self) -> dict[str, object]:
        """The booking fields that keep these terms."""
        return {
            "refund_tier": self.tier,
            "full_refund_hours": self.full_refund_hours,
            "partial_refund_hours": self.partial_refund_hours,
            "partial_refund_percent": self.partial_refund_percent,
        }


REFUND_TERMS: dict[str, RefundTerms] = {
    RefundTier.FLEXIBLE: RefundTerms(RefundTier.FLEXIBLE, 24, 0, 50),
    RefundTier.MODERATE: RefundTerms(RefundTier.MODERATE, 72, 24, 50),
    RefundTier.STRICT: RefundTerms(RefundTier.STRICT, 168, 48, 50),
}


def refund_terms(tier: str) -> RefundTerms:
    """The terms of ``tier``; an unknown or empty tier gets the platform default (``BOOKING_DEFAULT_REFUND_TIER``)."""
    return REFUND_TERMS.get(tier) or REFUND_TERMS[settings.BOOKING_DEFAULT_REFUND_TIER]


def expert_refund_terms(profile: ExpertProfile) -> RefundTerms:
    """The terms of the tier ``profile`` chose, or the default (select ``refund_policy`` with the profile)."""
    chosen = getattr(profile, "refund_policy", None)
    return refund_terms(chosen.tier if chosen is not None else "")


class ExpertRefundPolicy(models.Model):
    """The tier an expert chose. No row: the platform default. Kept in bookings, beside the booking rules it
    belongs with, rather than as a column of the catalogue's profile, which never reads it."""

    profile = models.OneToOneField(
        ExpertProfile, primary_key=True, on_delete=models.CASCADE, related_name="refund_policy"
    )
    tier = models.CharField(max_length=16, choices=RefundTier.choices, default=RefundTier.FLEXIBLE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier__in=["flexible", "moderate", "strict"]), name="refund_policy_known_tier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.tier}"
