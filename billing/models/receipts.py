"""Receipts for learners and the tax-rate table they are computed from.

A receipt is issued once per ledger posting that moved a learner's money: the payment itself
(``payment-<id>``) and each refund of it (``payment-<id>:reversal`` / ``:refund-to-<n>``). It keeps
a copy of what it said when it was issued (the seller's legal details, the tax rate, where the tax
came from), so a later change of settings never rewrites an issued receipt.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

country_validator = RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO 3166 country code in capitals, e.g. DE."))


class TaxRate(models.Model):
    """The consumption tax (VAT, GST, sales tax) charged to learners of one country."""

    country = models.CharField(_("country"), max_length=2, unique=True, validators=[country_validator])
    name = models.CharField(_("tax name"), max_length=32, default="VAT", help_text=_("VAT, GST, sales tax…"))
    rate_bp = models.PositiveIntegerField(
        _("rate (basis points)"),
        validators=[MaxValueValidator(10_000)],
        help_text=_("Hundredths of a percent: 1900 is 19 %."),
    )
    inclusive = models.BooleanField(
        _("included in prices"),
        default=True,
        help_text=_(
            "The price a learner pays includes the tax (VAT in the EU, GST in Australia). Checkout "
            "charges the listed price, so a rate added on top of it cannot be used yet."
        ),
    )

    class Meta:
        ordering = ["country"]
        verbose_name = _("tax rate")
        constraints = [
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="tax_rate_country_iso"),
            models.CheckConstraint(condition=Q(rate_bp__lte=10_000), name="tax_rate_at_most_100pc"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.country} {self.rate_bp / 100:g} %"

    def clean(self) -> None:
        # A receipt must show what was charged: with tax on top, it would claim more than the card paid.
        if not self.inclusive:
            raise ValidationError(
                {
                    "inclusive": _(
                        "Checkout charges the listed price, so tax must be included in it. Rates added on "
                        "top of the price (US sales tax) are not supported yet."
                    )
                }
            )


class Receipt(models.Model):
    """What a learner was charged or refunded, with its tax, as issued (and emailed) once."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Receipt")
        REFUND = "refund", _("Refund receipt")

    class TaxSource(models.TextChoices):
        TABLE = "table", _("Tax-rate table")
        STRIPE_TAX = "stripe_tax", _("Stripe Tax")
        NONE = "none", _("No tax rate for this country")

    number = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    payment = models.ForeignKey("billing.Payment", on_delete=models.PROTECT, related_name="receipts")
    # The posting this receipt documents: one receipt per posting, so issuing twice is impossible.
    posting = models.OneToOneField("billing.LedgerTransaction", on_delete=models.PROTECT, related_name="receipt")
    # Charged (payment) or given back (refund), tax included, in minor units; always positive.
    total_minor = models.BigIntegerField()
    tax_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    tax_source = models.CharField(max_length=12, choices=TaxSource.choices)
    tax_name = models.CharField(max_length=32, blank=True)
    tax_rate_bp = models.PositiveIntegerField(default=0)
    tax_inclusive = models.BooleanField(default=True)
    country = models.CharField(max_length=2, blank=True)
    stripe_tax_calculation_id = models.CharField(max_length=64, blank=True)
    # The seller as the platform settings named it when the receipt was issued.
    seller_name = models.CharField(max_length=200, blank=True)
    seller_address = models.TextField(blank=True)
    seller_tax_id = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total_minor__gt=0), name="receipt_total_positive"),
            models.CheckConstraint(
                condition=Q(tax_minor__gte=0, tax_minor__lte=models.F("total_minor")), name="receipt_tax_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def net_minor(self) -> int:
        return self.total_minor - self.tax_minor
