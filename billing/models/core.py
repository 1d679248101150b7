"""Money records: the double-entry ledger, payments and the platform's billing settings.

Amounts are integers in the currency's minor unit (cents) with an explicit
ISO 4217 currency on every row; floats never appear.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from core.money import CURRENCY_EXPONENTS, minimum_withdrawal

currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code in capitals, e.g. EUR."))


def minimum_withdrawals_validator(value) -> None:
    """A JSON object of known currency codes to non-negative whole numbers of minor units."""
    if not isinstance(value, dict):
        raise ValidationError(_('Write an object such as {"EUR": 2000, "JPY": 3000}.'))
    for code, amount in value.items():
        if code not in CURRENCY_EXPONENTS:
            raise ValidationError(_("%(code)s is not a currency we support.") % {"code": code})
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise ValidationError(_("The minimum for %(code)s must be a whole number of minor units.") % {"code": code})


_OWNED = ["expert_pending", "expert_available", "expert_paid_out", "expert_withdrawing"]


class LedgerAccount(models.Model):
    """One balance bucket. Expert accounts have an owner; platform accounts do not."""

    class Kind(models.TextChoices):
        LEARNER_PAYMENTS = "learner_payments", _("Learner payments received")
        PLATFORM_REVENUE = "platform_revenue", _("Platform commission")
        EXPERT_PENDING = "expert_pending", _("Expert earnings, pending")
        EXPERT_AVAILABLE = "expert_available", _("Expert earnings, available")
        EXPERT_PAID_OUT = "expert_paid_out", _("Expert earnings, paid out")
        # Asked for in a withdrawal that staff have not decided (or whose transfer is in flight).
        EXPERT_WITHDRAWING = "expert_withdrawing", _("Expert earnings, withdrawal requested")
        REFUNDS = "refunds", _("Refunds to learners")
        DISPUTES = "disputes", _("Disputed payments withdrawn by the bank")

    OWNED_KINDS = (Kind.EXPERT_PENDING, Kind.EXPERT_AVAILABLE, Kind.EXPERT_PAID_OUT, Kind.EXPERT_WITHDRAWING)

    kind = models.CharField(max_length=32, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_accounts"
    )
    currency = models.CharField(max_length=3, validators=[currency_validator])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "owner", "currency"],
                condition=Q(owner__isnull=False),
                name="ledger_account_owned_unique",
            ),
            models.UniqueConstraint(
                fields=["kind", "currency"], condition=Q(owner__isnull=True), name="ledger_account_platform_unique"
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_account_currency_iso"),
            # Expert buckets belong to someone; platform buckets to no one.
            models.CheckConstraint(
                condition=Q(kind__in=_OWNED, owner__isnull=False) | (~Q(kind__in=_OWNED) & Q(owner__isnull=True)),
                name="ledger_account_owner_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        owner = f" of user {self.owner_id}" if self.owner_id else ""
        return f"{self.get_kind_display()}{owner} ({self.currency})"


class LedgerTransaction(models.Model):
    """A balanced set of entries: per currency, its amounts sum to zero."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REVERSAL = "reversal", _("Reversal (refund)")
        RELEASE = "release", _("Earnings released")
        PAYOUT = "payout", _("Payout")
        WITHDRAWAL = "withdrawal", _("Withdrawal requested or returned")
        ADJUSTMENT = "adjustment", _("Adjustment")
        DISPUTE = "dispute", _("Dispute (funds withdrawn or reinstated)")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Our own id of what caused the posting ("payment-42"): posting twice with
    # the same reference returns the first transaction instead of a second one.
    reference = models.CharField(max_length=128, unique=True)
    # A payment can be reversed in several steps (partial refunds), each its own posting.
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals")
    memo = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        # The earnings page's movements, newest first, a page at a time (walks this index and stops).
        indexes = [models.Index(fields=["-created_at", "-id"], name="ledger_txn_newest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class LedgerEntry(models.Model):
    """One signed line of a transaction: positive adds to the account, negative takes from it."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField(help_text=_("Signed, in the currency's minor unit."))
    currency = models.CharField(max_length=3, validators=[currency_validator])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_amount_not_zero"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_entry_currency_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} → {self.account_id}"


class Payment(models.Model):
    """A learner's payment for something payable: today a booking.

    ``booking`` is what the payment pays for; ``reference`` is that payable's
    stable id (``booking-<id>``), the root of the idempotency keys sent to
    Stripe, so a retry reuses the same PaymentIntent. When it succeeds,
    an outbox message (``billing.tasks.payment_succeeded_follow_up``) confirms
    the booking through a bookings service.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        REQUIRES_ACTION = "requires_action", _("Needs authentication")
        PROCESSING = "processing", _("Processing")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Cancelled")
        # Paid, and a refund was asked of the gateway but not yet seen through.
        REFUND_PENDING = "refund_pending", _("Refund in progress")
        REFUNDED = "refunded", _("Refunded")

    class DisputeStatus(models.TextChoices):
        NONE = "", _("No dispute")
        OPEN = "open", _("Disputed, awaiting the bank")
        WON = "won", _("Dispute won")
        LOST = "lost", _("Dispute lost")

    # Paid and not (yet) refunded: the money is with us.
    PAID = (Status.SUCCEEDED, Status.REFUND_PENDING)

    booking = models.ForeignKey(
        "bookings.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    reference = models.CharField(max_length=64, db_index=True)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="payments_made"
    )
    payee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments_earned")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3, validators=[currency_validator])
    # Copied when the payment is created, so a later settings change never
    # alters what this payment books.
    commission_rate_bp = models.PositiveIntegerField(validators=[MaxValueValidator(10_000)])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(max_length=128, unique=True)
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    # How much of it has been refunded so far, as Stripe reports it (partial refunds made in Stripe's dashboard).
    refunded_minor = models.BigIntegerField(default=0)
    dispute_status = models.CharField(max_length=8, choices=DisputeStatus.choices, default="", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(commission_rate_bp__lte=10_000), name="payment_commission_at_most_100pc"
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="payment_currency_iso"),
            models.CheckConstraint(
                condition=Q(refunded_minor__gte=0, refunded_minor__lte=models.F("amount_minor")),
                name="payment_refunded_within_amount",
            ),
            # Paying twice at once: at most one payment per booking that is not failed,
            # cancelled or refunded (billing.services.payments.OPEN).
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(status__in=["pending", "requires_action", "processing", "succeeded", "refund_pending"]),
                name="payment_one_open_per_booking",
            ),
            # The same for payables without a booking (a package purchase, ``package-<id>``).
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(status__in=["pending", "requires_action", "processing", "succeeded", "refund_pending"]),
                name="payment_one_open_per_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"Payment {self.pk} {self.amount_minor} {self.currency} ({self.status})"

    @property
    def ledger_reference(self) -> str:
        return f"payment-{self.pk}"


@register_setting(icon="cogs")
class PlatformSettings(BaseGenericSetting):
    """Billing knobs staff change in the Wagtail admin (Settings → Billing)."""

    commission_rate_bp = models.PositiveIntegerField(
        _("commission rate (basis points)"),
        default=1500,
        validators=[MaxValueValidator(10_000)],
        help_text=_("The platform's share of each payment in hundredths of a percent: 1500 is 15 %."),
    )

    hold_days = models.PositiveSmallIntegerField(
        _("hold period (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("Days after a completed session before its earnings can be withdrawn."),
    )
    # Per currency, in minor units: {"EUR": 2000, "JPY": 3000}. A currency not named here takes
    # core.money.DEFAULT_MINIMUM_WITHDRAWAL (about 20 euros' worth, exact in each currency's decimals).
    minimum_withdrawals = models.JSONField(
        _("minimum withdrawal per currency (minor units)"),
        default=dict,
        blank=True,
        validators=[minimum_withdrawals_validator],
        help_text=_(
            'The smallest withdrawal per currency in its minor unit, e.g. {"EUR": 2000, "JPY": 3000, "KWD": 6000} '
            "(20.00 EUR, 3000 JPY, 6.000 KWD). Currencies left out use the built-in default."
        ),
    )
    legal_name = models.CharField(_("legal name"), max_length=200, default="TapTime", blank=True)
    legal_address = models.TextField(_("legal address"), blank=True)
    tax_id = models.CharField(_("tax number (VAT/GST id)"), max_length=64, blank=True)
    tax_calculation = models.CharField(
        _("tax calculation"),
        max_length=16,
        choices=[("table", _("Tax-rate table (by the learner's country)")), ("stripe_tax", _("Stripe Tax"))],
        default="table",
        help_text=_("Where receipts take their tax from. Stripe Tax must be enabled on the Stripe account."),
    )

    def minimum_withdrawal_for(self, currency: str) -> int:
        """The smallest withdrawal in ``currency``, in its minor units."""
        chosen = (self.minimum_withdrawals or {}).get(currency)
        return int(chosen) if isinstance(chosen, int) and not isinstance(chosen, bool) else minimum_withdrawal(currency)

    class ExpiredCredits(models.TextChoices):
        REFUND = "refund", _("Refund unused credits pro rata")
        LAPSE = "lapse", _("Unused credits lapse (the expert keeps their share)")

    expired_credits = models.CharField(
        _("expired package credits"),
        max_length=8,
        choices=ExpiredCredits.choices,
        default=ExpiredCredits.REFUND,
        help_text=_(
            "What happens to a package's unused credits when it expires: the learner gets their value back, "
            "or they lapse and the expert is paid for them. Learners are emailed 7 days before."
        ),
    )

    class Meta:
        verbose_name = _("Billing")

    def __str__(self) -> str:
        return "Billing settings"


class PayoutAccount(models.Model):
    """An expert's Stripe Connect Express account. We keep its id and what Stripe says about it,
    never bank details: those stay with Stripe (the expert enters them in Stripe's onboarding)."""

    expert = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_account")
    stripe_account_id = models.CharField(max_length=64, unique=True)
    details_submitted = models.BooleanField(default=False)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    # Stripe's requirement names (``individual.verification.document``…) still due, and why payouts
    # are disabled (``requirements.past_due``…): shown to the expert as they are.
    requirements_due = models.JSONField(default=list, blank=True)
    disabled_reason = models.CharField(max_length=128, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(stripe_account_id__startswith="acct_"), name="payout_account_id_shape"),
        ]

    def __str__(self) -> str:
        return f"Payout account {self.stripe_account_id} of user {self.expert_id}"

    @property
    def ready(self) -> bool:
        """Stripe accepts transfers and pays them out."""
        return self.details_submitted and self.payouts_enabled


class Withdrawal(models.Model):
    """An expert's request to be paid part of their available earnings.

    requested → approved (transfer under way) → paid | failed; requested → rejected. The ledger
    moves with it: available → withdrawing on request, withdrawing → paid out when Stripe makes the
    transfer, withdrawing → available on a rejection or a refused transfer.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved, transfer under way")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid out")
        FAILED = "failed", _("Transfer failed")
        # Paid, then the transfer was reversed in full (by staff or Stripe): the money is available again.
        REVERSED = "reversed", _("Transfer reversed")

    OPEN = (Status.REQUESTED, Status.APPROVED)

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="withdrawals")
    payout_account = models.ForeignKey(PayoutAccount, on_delete=models.PROTECT, related_name="withdrawals")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3, validators=[currency_validator])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    staff_note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    stripe_transfer_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    failure_message = models.CharField(max_length=255, blank=True)
    # How much of the paid transfer has been reversed (``transfer.reversed``), booked back to available.
    reversed_minor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_withdrawal", "Can approve or reject withdrawals")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="withdrawal_amount_positive"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="withdrawal_currency_iso"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="withdrawal_status_created")]

    def __str__(self) -> str:
        return f"Withdrawal {self.pk} {self.amount_minor} {self.currency} ({self.status})"

    @property
    def ledger_reference(self) -> str:
        return f"withdrawal-{self.pk}"

    @property
    def transfer_idempotency_key(self) -> str:
        return f"withdrawal-{self.pk}-transfer-v1"
