"""A randomized run of about a thousand money movements through the real services: the ledger always
balances and no expert balance goes below zero.

Hypothesis picks the mix and the seed of each run (so a failure is reproduced by its seed); each run
is ~1,000 operations: payments of random amounts, currencies and commission rates, partial and full
refunds, releases after the hold period, withdrawal requests (including ones that must be refused:
too much, too little), approvals through a Connect gateway stand-in (paid, refused), rejections and
transfer reversals. After every operation the ledger must balance per transaction and per currency,
and every expert-owned account must be ≥ 0
(checked every fifth operation and at the end; PostgreSQL's trigger checks each posting as it is made).

Refunds are drawn only for payments whose share is still pending. A refund booked after the share
was released *and* withdrawn takes it back from ``available`` below zero on purpose (the platform
carries it, as Stripe makes it for Express accounts; docs/payments.md), so it is not part of this
invariant.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.errors import WithdrawalError
from billing.gateways.base import TransferRefused, TransferState
from billing.models import LedgerEntry, Withdrawal
from billing.selectors import ledger_totals_by_currency, ledger_unbalanced_transactions
from billing.services.ledger import ledger_book_payment, ledger_release_payment, ledger_reverse
from billing.services.transfer_reversals import withdrawal_transfer_reversed
from billing.services.withdrawals import withdrawal_approve, withdrawal_reject, withdrawal_request
from core.money import Money
from tests.factories import ExpertUserFactory

from .money_builders import approver, ready_payout_account

pytestmark = pytest.mark.django_db
OPERATIONS = 1_000
CURRENCIES = ("EUR", "JPY", "KWD")
_ids = itertools.count(1)


@dataclass
class FakeConnect:
    """Stripe Connect's transfers, answered in memory: ``refuse`` says no, the rest are made and kept."""

    refuse: bool = False

    def __post_init__(self) -> None:
        self.transfers: dict[str, TransferState] = {}

    def create_transfer(
        self,
        *,
        amount_minor: int,
        currency: str,
        destination: str,
        idempotency_key: str,
        transfer_group: str,
        metadata: Mapping[str, str],
    ) -> TransferState:
        if self.refuse:
            raise TransferRefused("Insufficient funds in the platform's balance.", code="transfer_refused")
        transfer_id = f"tr_{idempotency_key}"
        self.transfers[transfer_id] = TransferState(transfer_id, amount_minor, currency, destination)
        return self.transfers[transfer_id]

    def retrieve_transfer(self, transfer_id: str) -> TransferState:
        return self.transfers[transfer_id]

    def reverse(self, transfer_id: str, amount: int) -> None:
        old = self.transfers[transfer_id]
        total = min(old.amount_minor, old.amount_reversed + amount)
        self.transfers[transfer_id] = TransferState(
            old.id, old.amount_minor, old.currency, old.destination, total == old.amount_minor, total
        )


def assert_invariants() -> None:
    assert ledger_unbalanced_transactions() == []
    assert set(ledger_totals_by_currency().values()) <= {0}
    owned = LedgerEntry.objects.filter(account__owner__isnull=False).values_list("account_id", "amount")
    totals: dict[int, int] = {}
    for account_id, amount in owned:
        totals[account_id] = totals.get(account_id, 0) + amount
    assert all(total >= 0 for total in totals.values()), totals


def available(expert, currency: str) -> int:
    return sum(
        LedgerEntry.objects.filter(
            account__owner=expert, account__kind="expert_available", account__currency=currency
        ).values_list("amount", flat=True)
    )


@settings(
    max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    seed=st.integers(0, 2**32 - 1),
    weights=st.tuples(*(st.integers(1, 6) for _ in range(6))),
)
def test_a_thousand_random_movements_keep_the_ledger_balanced_and_balances_non_negative(seed, weights, expert_pool):
    rng = random.Random(seed)
    staff, connect = expert_pool["staff"], FakeConnect()
    pending: list[str] = []  # payment references whose share is still pending (refundable here)
    releasable: list[str] = []
    open_withdrawals: list[Withdrawal] = []
    paid: list[Withdrawal] = []
    actions = ["pay", "refund", "release", "withdraw", "decide", "reverse"]
    for step in range(OPERATIONS):
        action = rng.choices(actions, weights=weights)[0]
        expert = rng.choice(expert_pool["experts"])
        currency = rng.choice(CURRENCIES)
        if action == "pay" or not pending and action in ("refund", "release"):
            reference = f"payment-run{next(_ids)}"
            gross = rng.randrange(50, 500_000)
            ledger_book_payment(
                reference=reference,
                currency=currency,
                gross=gross,
                commission_rate_bp=rng.randrange(0, 10_001),
                expert=expert,
            )
            pending.append(reference)
            releasable.append(reference)
        elif action == "refund":
            reference = rng.choice(pending)
            gross = -LedgerEntry.objects.get(transaction__reference=reference, account__kind="learner_payments").amount
            ledger_reverse(reference=reference, refunded_total=rng.randrange(1, gross + 1))
        elif action == "release":
            reference = releasable.pop(rng.randrange(len(releasable))) if releasable else None
            if reference:
                pending.remove(reference)
                ledger_release_payment(reference=reference)
        elif action == "withdraw":
            balance = available(expert, currency)
            wanted = rng.choice([balance, balance // 2, balance + 10, 5, rng.randrange(1, 10**7)])
            wanted -= wanted % 10 if Money(0, currency).exponent == 3 else 0
            try:
                open_withdrawals.append(withdrawal_request(expert=expert, amount_minor=wanted, currency=currency))
            except WithdrawalError as refused:
                assert refused.code in {"insufficient_funds", "below_minimum", "bad_amount"}
        elif action == "decide" and open_withdrawals:
            withdrawal = open_withdrawals.pop(rng.randrange(len(open_withdrawals)))
            choice = rng.random()
            if choice < 0.2:
                withdrawal_reject(withdrawal=withdrawal, by=staff, note="Verify your identity first.")
            else:
                connect.refuse = choice < 0.35
                done = withdrawal_approve(withdrawal=withdrawal, by=staff, gateway=connect)
                if done.status == Withdrawal.Status.PAID:
                    paid.append(done)
        elif action == "reverse" and paid:
            withdrawal = rng.choice(paid)
            connect.reverse(withdrawal.stripe_transfer_id, rng.randrange(1, withdrawal.amount_minor + 1))
            withdrawal_transfer_reversed(transfer_id=withdrawal.stripe_transfer_id, gateway=connect)
            if rng.random() < 0.3:  # a replayed event
                withdrawal_transfer_reversed(transfer_id=withdrawal.stripe_transfer_id, gateway=connect)
        if step % 5 == 4:  # every fifth step (each posting is also checked by the database's balance trigger)
            assert_invariants()
    assert_invariants()


@pytest.fixture
def expert_pool(db):
    experts = ExpertUserFactory.create_batch(3)
    for expert in experts:
        ready_payout_account(expert)
    return {"experts": experts, "staff": approver()}
