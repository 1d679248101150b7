"""Double-entry ledger services and the commission rounding rule.

Sign convention: every entry is signed and each transaction sums to zero per
currency. Money *arriving* from a learner is a negative entry on
``learner_payments`` (the source) and positive entries on the accounts it
ends up in. A balance is the sum of an account's entries, so expert and
platform balances are positive and ``learner_payments`` is negative (its
absolute value is what learners have paid in).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from ..errors import LedgerError
from ..models import LedgerAccount, LedgerEntry, LedgerTransaction

BASIS_POINTS = 10_000


@dataclass(frozen=True)
class LedgerLine:
    account: LedgerAccount
    amount: int


def commission_split(*, gross: int, commission_rate_bp: int) -> tuple[int, int]:
    """Split a payment into (expert share, platform commission), both in minor units.

    The rule: commission = floor(gross × rate / 10 000); the expert gets the
    rest. So any fraction of a minor unit goes to the expert, and
    share + commission == gross always.
    """
    if not isinstance(gross, int) or isinstance(gross, bool) or gross <= 0:
        raise LedgerError("A payment amount is a positive whole number of minor units.", code="bad_amount")
    if not isinstance(commission_rate_bp, int) or not 0 <= commission_rate_bp <= BASIS_POINTS:
        raise LedgerError("The commission rate must be between 0 and 10 000 basis points.", code="bad_rate")
    commission = gross * commission_rate_bp // BASIS_POINTS
    return gross - commission, commission


def ledger_account(*, kind: str, currency: str, owner=None) -> LedgerAccount:
    """The account for (kind, owner, currency), created on first use."""
    account, _ = LedgerAccount.objects.get_or_create(kind=kind, currency=currency, owner=owner)
    return account


def _check_lines(lines: Sequence[LedgerLine]) -> None:
    if len(lines) < 2:
        raise LedgerError("A ledger transaction needs at least two entries.", code="too_few_lines")
    totals: dict[str, int] = defaultdict(int)
    for line in lines:
        if not isinstance(line.amount, int) or isinstance(line.amount, bool) or line.amount == 0:
            raise LedgerError("Ledger amounts are non-zero whole minor units.", code="bad_amount")
        if line.account.pk is None:
            raise LedgerError("Ledger accounts must be saved before posting.", code="unsaved_account")
        totals[line.account.currency] += line.amount
    unbalanced = sorted(currency for currency, total in totals.items() if total != 0)
    if unbalanced:
        raise LedgerError(
            f"The transaction does not balance in {', '.join(unbalanced)}.",
            code="unbalanced",
            extra={"totals": dict(totals)},
        )


def _same_lines(existing: LedgerTransaction, lines: Sequence[LedgerLine]) -> bool:
    stored = sorted(existing.entries.values_list("account_id", "amount"))
    return stored == sorted((line.account.pk, line.amount) for line in lines)


def ledger_post(
    *,
    kind: str,
    reference: str,
    lines: Sequence[LedgerLine],
    memo: str = "",
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Post a balanced transaction once per ``reference``.

    A replay with the same reference and the same lines returns the stored
    transaction; a replay with different lines is refused (it would mean two
    different movements share one id).
    """
    if not reference:
        raise LedgerError("A ledger transaction needs a reference.", code="no_reference")
    lines = list(lines)
    _check_lines(lines)
    existing = LedgerTransaction.objects.filter(reference=reference).first()
    if existing is not None:
        if not _same_lines(existing, lines):
            raise LedgerError(f"Reference {reference} was already posted with other amounts.", code="conflict")
        return existing
    try:
        with transaction.atomic():
            posted = LedgerTransaction.objects.create(kind=kind, reference=reference, memo=memo, reverses=reverses)
            LedgerEntry.objects.bulk_create(
                LedgerEntry(
                    transaction=posted, account=line.account, amount=line.amount, currency=line.account.currency
                )
                for line in lines
            )
    except IntegrityError:
        # A concurrent post with the same reference won the race.
        existing = LedgerTransaction.objects.filter(reference=reference).first()
        if existing is None:
            raise
        if not _same_lines(existing, lines):
            raise LedgerError(
                f"Reference {reference} was already posted with other amounts.", code="conflict"
            ) from None
        return existing
    return posted


def ledger_book_payment(
    *, reference: str, currency: str, gross: int, commission_rate_bp: int, expert
) -> LedgerTransaction:
    """Book a learner's payment: learner payment = expert pending earnings + platform commission."""
    share, commission = commission_split(gross=gross, commission_rate_bp=commission_rate_bp)
    with transaction.atomic():
        lines = [LedgerLine(ledger_account(kind=LedgerAccount.Kind.LEARNER_PAYMENTS, currency=currency), -gross)]
        if share:
            lines.append(
                LedgerLine(
                    ledger_account(kind=LedgerAccount.Kind.EXPERT_PENDING, currency=currency, owner=expert), share
                )
            )
        if commission:
            lines.append(
                LedgerLine(ledger_account(kind=LedgerAccount.Kind.PLATFORM_REVENUE, currency=currency), commission)
            )
        return ledger_post(kind=LedgerTransaction.Kind.PAYMENT, reference=reference, lines=lines)


def ledger_reverse(*, reference: str, memo: str = "") -> LedgerTransaction:
    """Reverse a payment in full for a refund, once.

    Every line of the original is negated, except that the money going back to
    the learner is recorded on ``refunds`` rather than netted off
    ``learner_payments``, so both what came in and what went back stay visible.
    """
    with transaction.atomic():
        original = LedgerTransaction.objects.select_for_update().filter(reference=reference).first()
        if original is None:
            raise LedgerError(f"There is no ledger transaction {reference} to reverse.", code="not_found")
        if original.kind != LedgerTransaction.Kind.PAYMENT:
            raise LedgerError("Only payments can be reversed.", code="not_reversible")
        lines = []
        for entry in original.entries.select_related("account"):
            account = entry.account
            if account.kind == LedgerAccount.Kind.LEARNER_PAYMENTS:
                account = ledger_account(kind=LedgerAccount.Kind.REFUNDS, currency=account.currency)
            lines.append(LedgerLine(account, -entry.amount))
        return ledger_post(
            kind=LedgerTransaction.Kind.REVERSAL,
            reference=f"{reference}:reversal",
            lines=lines,
            memo=memo,
            reverses=original,
        )
