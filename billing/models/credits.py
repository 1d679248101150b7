"""Packages bought and the session credits they give (``billing.services.packages``).

A learner buys an expert's package (``marketplace.Package``: N sessions of one length at a bundle
price, valid D days) with one payment; once paid, the purchase holds N credits. Booking with a
credit confirms the session without a payment. What was bought is copied on the purchase, so an
expert who later changes or removes the package changes nothing a learner already paid for.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.money import Money

from .core import Payment, currency_validator


def credit_values(*, price_minor: int, count: int) -> list[int]:
    """What each of ``count`` credits is worth, in minor units, adding up to exactly the price.

    The first ``price % count`` credits are worth one minor unit more: a refund of unused credits
    is the sum of their values, so refunding every credit gives back exactly the price.
    """
    base, extra = divmod(price_minor, count)
    return [base + (1 if number <= extra else 0) for number in range(1, count + 1)]


class PackagePurchase(models.Model):
    """A learner's purchase of a package: pending until its payment succeeds, then paid (its credits exist).

    ``released_minor`` is the value of the credits whose expert share has been moved from pending
    to available so far (sessions completed past the hold period, and credits that lapsed): each
    release moves ``floor(share × released / price)`` minus what earlier releases moved, so the
    releases and a pro-rata refund of the rest always add up to exactly the expert's share.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        PAID = "paid", _("Paid")
        # Its validity ended and nothing is left to use (refunded or lapsed).
        CLOSED = "closed", _("Expired")

    class ExpiryOutcome(models.TextChoices):
        NONE = "", _("Not expired")
        REFUNDED = "refunded", _("Unused credits refunded")
        LAPSED = "lapsed", _("Unused credits lapsed")

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="package_purchases")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="package_sales")
    package = models.ForeignKey(
        "marketplace.Package", null=True, blank=True, on_delete=models.SET_NULL, related_name="purchases"
    )
    # Snapshots of what was bought.
    sessions_count = models.PositiveSmallIntegerField()
    duration_minutes = models.PositiveSmallIntegerField()
    price_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3, validators=[currency_validator])
    validity_days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    paid_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    expiry_outcome = models.CharField(max_length=8, choices=ExpiryOutcome.choices, default="", blank=True)
    released_minor = models.BigIntegerField(default=0)
    # Credits were marked refunded at expiry and their refund has not reached Stripe yet: the
    # expiry job asks again (the same cumulative amount, so the same idempotency key).
    refund_owed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price_minor__gt=0), name="package_purchase_price_positive"),
            models.CheckConstraint(condition=Q(sessions_count__gte=1), name="package_purchase_has_sessions"),
            models.CheckConstraint(
                condition=Q(released_minor__gte=0, released_minor__lte=F("price_minor")),
                name="package_purchase_released_within_price",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(paid_at__isnull=False, expires_at__isnull=False),
                name="package_purchase_paid_has_dates",
            ),
            models.CheckConstraint(condition=~Q(learner=F("expert")), name="package_purchase_not_from_oneself"),
            # A second click on "Buy" continues the first unpaid purchase instead of starting another.
            models.UniqueConstraint(
                fields=["learner", "package"], condition=Q(status="pending"), name="package_purchase_one_pending"
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="package_purchase_expiry")]

    def __str__(self) -> str:
        return f"Package purchase {self.pk} ({self.sessions_count} × {self.duration_minutes} min, {self.status})"

    @property
    def reference(self) -> str:
        """The payable's stable id, root of the payment's idempotency keys (``package-<id>-pi-v1``)."""
        return f"package-{self.pk}"

    @property
    def price(self) -> Money:
        return Money(int(self.price_minor), self.currency)

    def paid_payment(self) -> Payment | None:
        return (
            Payment.objects.filter(reference=self.reference, status__in=Payment.PAID).order_by("-pk").first()
            or Payment.objects.filter(reference=self.reference, status=Payment.Status.REFUNDED).order_by("-pk").first()
        )


class SessionCredit(models.Model):
    """One session of a paid package: available → used (by one booking) → back to available if that
    booking is cancelled within the free-cancellation window; refunded or lapsed when the package expires."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        USED = "used", _("Used")
        REFUNDED = "refunded", _("Refunded at expiry")
        LAPSED = "lapsed", _("Lapsed at expiry")

    purchase = models.ForeignKey(PackagePurchase, on_delete=models.CASCADE, related_name="credits")
    number = models.PositiveSmallIntegerField()
    # Its share of the price (``credit_values``): what a pro-rata refund gives back for it.
    value_minor = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    booking = models.OneToOneField(
        "bookings.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="session_credit"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    # When its session's expert share was moved to available (``payment-<id>:credit-<id>:release``).
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["purchase", "number"]
        constraints = [
            models.UniqueConstraint(fields=["purchase", "number"], name="session_credit_number_unique"),
            models.CheckConstraint(condition=Q(value_minor__gte=0), name="session_credit_value_not_negative"),
            # A used credit names its booking; no other credit does.
            models.CheckConstraint(
                condition=Q(status="used", booking__isnull=False) | (~Q(status="used") & Q(booking__isnull=True)),
                name="session_credit_used_has_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"Credit {self.number} of purchase {self.purchase_id} ({self.status})"
