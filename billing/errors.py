from core.errors import ApplicationError


class BillingError(ApplicationError):
    """Base for billing's domain errors."""


class LedgerError(BillingError):
    """A ledger posting was refused (unbalanced, mixed currency, conflicting replay…)."""


class PaymentError(BillingError):
    """A payment could not be created, confirmed or refunded."""


class PaymentLimitReached(PaymentError):
    """The payer reached a limit on payment attempts (``billing.services.limits``); ``code`` names it."""


class WithdrawalError(BillingError):
    """A withdrawal was refused or could not be decided; ``code`` names why (``below_minimum``,
    ``insufficient_funds``, ``no_payout_account``, ``payout_account_not_ready``, ``already_decided``…)."""
