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
from django.db.models import Q, Sum

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


def _payment_parts(original: LedgerTransaction) -> tuple[dict[str, LedgerAccount], dict[str, int]]:
    """A payment posting's accounts and amounts by kind: learner payments (negative), expert share, commission."""
    accounts: dict[str, LedgerAccount] = {}
    amounts: dict[str, int] = defaultdict(int)
    for entry in original.entries.select_related("account"):
        accounts[entry.account.kind] = entry.account
        amounts[entry.account.kind] += entry.amount
    return accounts, amounts


def _share_of(amounts: dict[str, int], part: int) -> tuple[int, int]:
    """(expert share, commission) of ``part`` of a payment, by the rounding rule of ``commission_split``.

    The commission of a part is ``floor(commission × part / gross)``, so the
    parts of a payment add up to exactly its commission when the whole of it
    has been taken back, whatever the steps were.
    """
    gross = -amounts[LedgerAccount.Kind.LEARNER_PAYMENTS]
    commission = amounts.get(LedgerAccount.Kind.PLATFORM_REVENUE, 0) * part // gross
    return part - commission, commission


def _moved_lines(accounts, amounts, *, counter: LedgerAccount, part: int, sign: int) -> list[LedgerLine]:
    """``part`` of a payment going to ``counter`` (sign 1) or coming back from it (sign -1)."""
    share, commission = _share_of(amounts, part)
    lines = [LedgerLine(counter, sign * part)]
    if share:
        lines.append(LedgerLine(accounts[LedgerAccount.Kind.EXPERT_PENDING], -sign * share))
    if commission:
        lines.append(LedgerLine(accounts[LedgerAccount.Kind.PLATFORM_REVENUE], -sign * commission))
    return lines


def _released_source(reference: str, accounts: dict[str, LedgerAccount]) -> dict[str, LedgerAccount]:
    """Where the expert's part of a refund or dispute comes from: the pending account, or, once the
    payment's share was released (``<reference>:release``), the expert's available account, so the
    pending balance never goes below zero. (Available can then go below zero if the expert already
    withdrew it: the platform carries that, as Stripe makes it do with Express accounts.)"""
    if LedgerTransaction.objects.filter(reference=f"{reference}:release").exists():
        pending = accounts[LedgerAccount.Kind.EXPERT_PENDING]
        available = ledger_account(
            kind=LedgerAccount.Kind.EXPERT_AVAILABLE, currency=pending.currency, owner=pending.owner
        )
        return {**accounts, LedgerAccount.Kind.EXPERT_PENDING: available}
    return accounts


def _payment_posting(reference: str) -> LedgerTransaction:
    original = LedgerTransaction.objects.select_for_update().filter(reference=reference).first()
    if original is None:
        raise LedgerError(f"There is no ledger transaction {reference} to reverse.", code="not_found")
    if original.kind != LedgerTransaction.Kind.PAYMENT:
        raise LedgerError("Only payments can be reversed.", code="not_reversible")
    return original


def ledger_reverse(*, reference: str, memo: str = "", refunded_total: int | None = None) -> LedgerTransaction:
    """Reverse a payment for its refunds: in full (default), or up to ``refunded_total`` refunded so far.

    The money going back to the learner is recorded on ``refunds`` rather than
    netted off ``learner_payments``, so both what came in and what went back
    stay visible; the expert's pending share and the commission give back
    their parts of it (``_share_of``). Each call books only what the earlier
    reversals of this payment have not, as its own posting
    (``<reference>:refund-to-<total>``, and ``<reference>:reversal`` once it
    is refunded in full), so partial refunds in any number of steps end
    exactly where a full refund would. Asking again for a total already
    booked returns that posting.
    """
    with transaction.atomic():
        original = _payment_posting(reference)
        accounts, amounts = _payment_parts(original)
        gross = -amounts[LedgerAccount.Kind.LEARNER_PAYMENTS]
        total = gross if refunded_total is None else refunded_total
        if not isinstance(total, int) or not 0 < total <= gross:
            raise LedgerError(f"A refund of {total} does not fit a payment of {gross}.", code="bad_amount")
        posting_reference = f"{reference}:reversal" if total == gross else f"{reference}:refund-to-{total}"
        existing = LedgerTransaction.objects.filter(reference=posting_reference).first()
        if existing is not None:
            return existing
        refunds = ledger_account(kind=LedgerAccount.Kind.REFUNDS, currency=_currency_of(accounts))
        previous = original.reversals.filter(kind=LedgerTransaction.Kind.REVERSAL)
        before = LedgerEntry.objects.filter(transaction__in=previous, account=refunds).aggregate(total=Sum("amount"))
        already = before["total"] or 0
        if total <= already:
            return previous.order_by("-pk").first()
        accounts = _released_source(reference, accounts)
        lines = _moved_lines(accounts, amounts, counter=refunds, part=total, sign=1)
        if already:
            # Only the difference between "refunded up to total" and "refunded up to already".
            undo = _moved_lines(accounts, amounts, counter=refunds, part=already, sign=-1)
            lines = _net(lines + undo)
        return ledger_post(
            kind=LedgerTransaction.Kind.REVERSAL, reference=posting_reference, lines=lines, memo=memo, reverses=original
        )


def ledger_dispute_post(*, reference: str, dispute_id: str, amount: int, reinstated: bool) -> LedgerTransaction:
    """A dispute's money movement on a payment: withdrawn by the bank, or reinstated after a win.

    Withdrawn: ``disputes`` receives the disputed amount, taken from the
    expert's pending share and the commission in the payment's proportions,
    so the disputed part of the expert's earnings can no longer be paid out.
    Reinstated: the same lines the other way. Once per dispute and direction
    (``<reference>:dispute-<id>:withdrawn`` / ``:reinstated``).
    """
    with transaction.atomic():
        original = _payment_posting(reference)
        accounts, amounts = _payment_parts(original)
        gross = -amounts[LedgerAccount.Kind.LEARNER_PAYMENTS]
        if not isinstance(amount, int) or not 0 < amount <= gross:
            raise LedgerError(f"A dispute of {amount} does not fit a payment of {gross}.", code="bad_amount")
        disputes = ledger_account(kind=LedgerAccount.Kind.DISPUTES, currency=_currency_of(accounts))
        accounts = _released_source(reference, accounts)
        direction = "reinstated" if reinstated else "withdrawn"
        return ledger_post(
            kind=LedgerTransaction.Kind.DISPUTE,
            reference=f"{reference}:dispute-{dispute_id}:{direction}",
            lines=_moved_lines(accounts, amounts, counter=disputes, part=amount, sign=-1 if reinstated else 1),
            memo=f"dispute {dispute_id} {direction}",
            reverses=original,
        )


def ledger_release_payment(*, reference: str) -> LedgerTransaction | None:
    """Move what is left of a payment's expert share from pending to available, once (``<reference>:release``).

    What is left is the share minus what its refunds and disputes took back, read from the payment's
    own postings (``<reference>`` and ``<reference>:…``) under the payment posting's row lock, so a
    refund booked at the same moment waits. Nothing left: nothing is posted (None). The reference is
    unique, so a second run, or two workers at once, book it once.
    """
    with transaction.atomic():
        original = _payment_posting(reference)
        released = LedgerTransaction.objects.filter(reference=f"{reference}:release").first()
        if released is not None:
            return released
        accounts, _amounts = _payment_parts(original)
        pending = accounts.get(LedgerAccount.Kind.EXPERT_PENDING)
        if pending is None:
            return None
        left = (
            LedgerEntry.objects.filter(account=pending)
            .filter(Q(transaction__reference=reference) | Q(transaction__reference__startswith=f"{reference}:"))
            .aggregate(total=Sum("amount"))["total"]
            or 0
        )
        if left <= 0:
            return None
        available = ledger_account(
            kind=LedgerAccount.Kind.EXPERT_AVAILABLE, currency=pending.currency, owner=pending.owner
        )
        return ledger_post(
            kind=LedgerTransaction.Kind.RELEASE,
            reference=f"{reference}:release",
            lines=[LedgerLine(pending, -left), LedgerLine(available, left)],
            memo="hold period over",
        )


def _currency_of(accounts: dict[str, LedgerAccount]) -> str:
    return accounts[LedgerAccount.Kind.LEARNER_PAYMENTS].currency


def _net(lines: list[LedgerLine]) -> list[LedgerLine]:
    """Lines summed per account, zero sums dropped."""
    totals: dict[int, int] = defaultdict(int)
    by_pk: dict[int, LedgerAccount] = {}
    for line in lines:
        totals[line.account.pk] += line.amount
        by_pk[line.account.pk] = line.account
    return [LedgerLine(by_pk[pk], amount) for pk, amount in totals.items() if amount]
