"""Billing's models: the ledger, payments, settings and payouts (``core``), packages and credits (``credits``)."""

from .core import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Payment,
    PayoutAccount,
    PlatformSettings,
    Withdrawal,
    currency_validator,
)
from .credits import PackagePurchase, SessionCredit, credit_values

__all__ = [
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "PackagePurchase",
    "Payment",
    "PayoutAccount",
    "PlatformSettings",
    "SessionCredit",
    "Withdrawal",
    "credit_values",
    "currency_validator",
]
