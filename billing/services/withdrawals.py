"""Withdrawals: the expert asks, staff approve or reject, Stripe Connect transfers.

The ledger moves with each step (references ``withdrawal-<id>:…``):

- request: available → withdrawing (``:request``), under the row lock of the expert's available
  account, after re-reading its balance under that lock, so two requests at once cannot overdraw;
- approval: the withdrawal is marked approved and committed, the transfer is asked of Stripe
  *outside* any lock with the key ``withdrawal-<id>-transfer-v1``, then withdrawing → paid out
  (``:paid``) with the transfer's id;
- rejection, or a transfer Stripe refuses: withdrawing → available (``:returned``).

A transfer whose outcome is unknown (a timeout, Stripe's 5xx) leaves the withdrawal approved and
the money on withdrawing: staff press "Retry the transfer", which sends the same key, so Stripe
makes at most one transfer. Every decision is a Wagtail log entry, and the expert is emailed
through the outbox once per outcome.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.locking import locked_transaction
from core.money import CURRENCY_EXPONENTS, Money, stripe_floor
from core.outbox import outbox_enqueue

from ..errors import PaymentError, WithdrawalError
from ..gateways import payment_gateway
from ..gateways.base import ConnectGateway, TransferRefused
from ..models import LedgerAccount, LedgerTransaction, PayoutAccount, PlatformSettings, Withdrawal
from ..selectors import ledger_balance
from ..signals import withdrawal_paid
from .ledger import LedgerLine, ledger_account, ledger_post

logger = logging.getLogger(__name__)

DECIDE_PERMISSION = "billing.decide_withdrawal"
LOG_REQUEST = "billing.withdrawal.request"
LOG_APPROVE = "billing.withdrawal.approve"
LOG_REJECT = "billing.withdrawal.reject"
LOG_PAID = "billing.withdrawal.paid"
LOG_FAILED = "billing.withdrawal.failed"
NOTE_MAX = 500


def _accounts(*, expert, currency: str) -> tuple[LedgerAccount, LedgerAccount, LedgerAccount]:
    kind = LedgerAccount.Kind
    return (
        ledger_account(kind=kind.EXPERT_AVAILABLE, currency=currency, owner=expert),
        ledger_account(kind=kind.EXPERT_WITHDRAWING, currency=currency, owner=expert),
        ledger_account(kind=kind.EXPERT_PAID_OUT, currency=currency, owner=expert),
    )


def withdrawal_request(*, expert, amount_minor: int, currency: str) -> Withdrawal:
    """Ask for ``amount_minor`` of the expert's available ``currency`` earnings to be paid out."""
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
        raise WithdrawalError(_("Enter a positive amount."), code="bad_amount")
    if currency not in CURRENCY_EXPONENTS:
        raise WithdrawalError(_("That currency is not one we pay out in."), code="bad_currency")
    if stripe_floor(amount_minor, currency) != amount_minor:
        raise WithdrawalError(
            _("Stripe pays %(currency)s out in steps of 0.010: enter an amount that ends in 0.")
            % {"currency": currency},
            code="bad_amount",
        )
    minimum = PlatformSettings.load().minimum_withdrawal_for(currency)
    if amount_minor < minimum:
        raise WithdrawalError(
            _("The smallest withdrawal is %(minimum)s.") % {"minimum": Money(minimum, currency).format()},
            code="below_minimum",
            extra={"minimum_minor": minimum},
        )
    payout_account = PayoutAccount.objects.filter(expert=expert).first()
    if payout_account is None:
        raise WithdrawalError(
            _("Connect a payout account first: withdrawals are paid to it."), code="no_payout_account"
        )
    if not payout_account.ready:
        raise WithdrawalError(
            _("Stripe needs more details before it can pay you: finish setting up your payout account."),
            code="payout_account_not_ready",
        )
    available, withdrawing, _paid_out = _accounts(expert=expert, currency=currency)
    with locked_transaction():
        if getattr(settings, "BILLING_WITHDRAWAL_LOCKING", True):
            # Every request of this expert in this currency queues here; the balance is read after the lock.
            LedgerAccount.objects.select_for_update().filter(pk=available.pk).get()
        balance = ledger_balance(account=available)
        if amount_minor > balance:
            raise WithdrawalError(
                _("You can withdraw at most %(available)s.") % {"available": Money(max(balance, 0), currency).format()},
                code="insufficient_funds",
                extra={"available_minor": max(balance, 0)},
            )
        withdrawal = Withdrawal.objects.create(
            expert=expert, payout_account=payout_account, amount_minor=amount_minor, currency=currency
        )
        ledger_post(
            kind=LedgerTransaction.Kind.WITHDRAWAL,
            reference=f"{withdrawal.ledger_reference}:request",
            lines=[LedgerLine(available, -amount_minor), LedgerLine(withdrawing, amount_minor)],
            memo="withdrawal requested",
        )
        log(instance=withdrawal, action=LOG_REQUEST, user=expert, data={"amount_minor": amount_minor})
    return withdrawal


def _check_decider(by) -> None:
    if not getattr(by, "is_authenticated", False) or not by.has_perm(DECIDE_PERMISSION):
        raise WithdrawalError(_("You may not decide withdrawals."), code="forbidden")


def _clean_note(note: str) -> str:
    return (note or "").strip()[:NOTE_MAX]


def _mail(withdrawal: Withdrawal) -> None:
    outbox_enqueue(
        app_label="billing",
        handler="billing.tasks.send_withdrawal_decided",
        payload={"withdrawal_id": withdrawal.pk},
        dedupe_key=f"{withdrawal.ledger_reference}-{withdrawal.status}-mail",
    )


def _give_back(withdrawal: Withdrawal, *, suffix: str = "returned") -> None:
    available, withdrawing, _paid_out = _accounts(expert=withdrawal.expert, currency=withdrawal.currency)
    ledger_post(
        kind=LedgerTransaction.Kind.WITHDRAWAL,
        reference=f"{withdrawal.ledger_reference}:{suffix}",
        lines=[LedgerLine(withdrawing, -withdrawal.amount_minor), LedgerLine(available, withdrawal.amount_minor)],
        memo="withdrawal returned to available",
    )


def withdrawal_reject(*, withdrawal: Withdrawal, by, note: str) -> Withdrawal:
    """Staff turn a request down with a note the expert reads; the amount goes back to available."""
    _check_decider(by)
    note = _clean_note(note)
    if not note:
        raise WithdrawalError(_("Say why, in a note the expert will read."), code="note_required")
    with locked_transaction():
        locked = Withdrawal.objects.select_for_update().select_related("expert").get(pk=withdrawal.pk)
        if locked.status != Withdrawal.Status.REQUESTED:
            raise WithdrawalError(_("This withdrawal has already been decided."), code="already_decided")
        locked.status = Withdrawal.Status.REJECTED
        locked.staff_note, locked.decided_by, locked.decided_at = note, by, timezone.now()
        locked.save(update_fields=["status", "staff_note", "decided_by", "decided_at", "updated_at"])
        _give_back(locked)
        log(instance=locked, action=LOG_REJECT, user=by, data={"note": note})
        _mail(locked)
    return locked


def withdrawal_approve(
    *, withdrawal: Withdrawal, by, note: str = "", gateway: ConnectGateway | None = None
) -> Withdrawal:
    """Staff approve a request (or retry an approved one whose transfer's outcome is unknown).

    Three steps, never holding a row lock while Stripe answers: mark approved and commit; ask for
    the transfer with the withdrawal's own key; record paid (or failed, money back) under the lock.
    """
    _check_decider(by)
    with locked_transaction():
        locked = Withdrawal.objects.select_for_update().select_related("payout_account", "expert").get(pk=withdrawal.pk)
        if locked.status == Withdrawal.Status.REQUESTED:
            if not locked.payout_account.ready:
                raise WithdrawalError(
                    _("The expert's payout account cannot receive payouts yet; nothing was sent."),
                    code="payout_account_not_ready",
                )
            locked.status = Withdrawal.Status.APPROVED
            locked.staff_note, locked.decided_by, locked.decided_at = _clean_note(note), by, timezone.now()
            locked.save(update_fields=["status", "staff_note", "decided_by", "decided_at", "updated_at"])
            log(instance=locked, action=LOG_APPROVE, user=by, data={"note": locked.staff_note})
        elif locked.status != Withdrawal.Status.APPROVED:
            raise WithdrawalError(_("This withdrawal has already been decided."), code="already_decided")
    gateway = gateway or payment_gateway()
    try:
        transfer = gateway.create_transfer(
            amount_minor=locked.amount_minor,
            currency=locked.currency,
            destination=locked.payout_account.stripe_account_id,
            idempotency_key=locked.transfer_idempotency_key,
            transfer_group=locked.ledger_reference,
            metadata={"withdrawal_id": str(locked.pk), "user_id": str(locked.expert_id)},
        )
    except TransferRefused as refused:
        return _withdrawal_fail(withdrawal=locked, message=refused.message, by=by)
    except PaymentError as unknown:
        logger.warning("Transfer for withdrawal %s has an unknown outcome: %s", locked.pk, unknown)
        raise WithdrawalError(
            _(
                "Stripe did not answer, so we do not know yet whether the transfer was made. The withdrawal "
                "stays approved; retry the transfer in a moment (it cannot be paid twice)."
            ),
            code="transfer_unknown",
        ) from unknown
    if transfer.amount_minor != locked.amount_minor or transfer.currency != locked.currency:
        logger.error("Transfer %s does not match withdrawal %s; nothing booked.", transfer.id, locked.pk)
        raise WithdrawalError(
            _("Stripe's transfer does not match this withdrawal; nothing was booked."), code="mismatch"
        )
    with locked_transaction():
        locked = Withdrawal.objects.select_for_update().select_related("expert").get(pk=withdrawal.pk)
        if locked.status != Withdrawal.Status.APPROVED:
            return locked
        locked.status = Withdrawal.Status.PAID
        locked.stripe_transfer_id = transfer.id
        locked.save(update_fields=["status", "stripe_transfer_id", "updated_at"])
        _available, withdrawing, paid_out = _accounts(expert=locked.expert, currency=locked.currency)
        ledger_post(
            kind=LedgerTransaction.Kind.PAYOUT,
            reference=f"{locked.ledger_reference}:paid",
            lines=[LedgerLine(withdrawing, -locked.amount_minor), LedgerLine(paid_out, locked.amount_minor)],
            memo=f"transfer {transfer.id}",
        )
        log(instance=locked, action=LOG_PAID, user=by, data={"transfer": transfer.id})
        withdrawal_paid.send(sender=Withdrawal, withdrawal=locked)
        _mail(locked)
    return locked


def _withdrawal_fail(*, withdrawal: Withdrawal, message: str, by) -> Withdrawal:
    """Stripe refused the transfer: nothing moved at Stripe, so the amount goes back to available."""
    with locked_transaction():
        locked = Withdrawal.objects.select_for_update().select_related("expert").get(pk=withdrawal.pk)
        if locked.status != Withdrawal.Status.APPROVED:
            return locked
        locked.status = Withdrawal.Status.FAILED
        locked.failure_message = (message or "")[:255]
        locked.save(update_fields=["status", "failure_message", "updated_at"])
        _give_back(locked)
        log(instance=locked, action=LOG_FAILED, user=by, data={"message": locked.failure_message})
        _mail(locked)
    return locked
