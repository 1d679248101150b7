"""Billing's models: the ledger, payments, settings and payouts (``core``), packages and credits (``credits``), receipts and the tax-rate table (``receipts``)."""

from .core import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Payment,
    PayoutAccount,
    PlatformSettings,
    Withdrawal,
    currency_validator,
    minimum_withdrawals_validator,
)
from .credits import PackagePurchase, SessionCredit, credit_values
from .receipts import Receipt, TaxRate

__all__ = [
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "PackagePurchase",
    "Payment",
    "PayoutAccount",
    "PlatformSettings",
    "Receipt",
    "SessionCredit",
    "TaxRate",
    "Withdrawal",
    "credit_values",
    "currency_validator",
    "minimum_withdrawals_validator",
]
