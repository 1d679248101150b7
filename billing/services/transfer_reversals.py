"""A paid withdrawal's transfer reversed at Stripe (``transfer.reversed``): the money comes back.

Staff (in Stripe's dashboard) or Stripe itself can reverse a transfer to a connected account after we
booked it paid out. The webhook only says *that* it happened: ``withdrawal_transfer_reversed`` re-reads
the transfer from Stripe and books what was reversed and not booked yet, paid out → available, as
``withdrawal-<id>:reversed-to-<total>`` (unique, so a replayed event or a second worker books nothing
twice; a later, larger reversal books only the difference). The expert is told once per total.
"""

from __future__ import annotations

import logging

from wagtail.log_actions import log

from core.locking import locked_transaction
from core.outbox import outbox_enqueue

from ..gateways import payment_gateway
from ..gateways.base import ConnectGateway
from ..models import LedgerAccount, LedgerTransaction, Withdrawal
from .ledger import LedgerLine, ledger_account, ledger_post

logger = logging.getLogger(__name__)
LOG_REVERSED = "billing.withdrawal.reversed"


def withdrawal_transfer_reversed(*, transfer_id: str, gateway: ConnectGateway | None = None) -> Withdrawal | None:
    """Book the reversed part of a withdrawal's transfer back to available; None if the transfer is not ours."""
    withdrawal = Withdrawal.objects.filter(stripe_transfer_id=transfer_id).first()
    if withdrawal is None:
        return None
    transfer = (gateway or payment_gateway()).retrieve_transfer(transfer_id)
    if transfer.id != transfer_id or transfer.currency != withdrawal.currency:
        logger.error("Transfer %s read back does not match withdrawal %s; nothing booked.", transfer_id, withdrawal.pk)
        return withdrawal
    with locked_transaction():
        locked = Withdrawal.objects.select_for_update().select_related("expert").get(pk=withdrawal.pk)
        total = min(transfer.amount_reversed, locked.amount_minor)
        if locked.status not in (Withdrawal.Status.PAID, Withdrawal.Status.REVERSED) or total <= locked.reversed_minor:
            return locked
        part = total - locked.reversed_minor
        kind = LedgerAccount.Kind
        available = ledger_account(kind=kind.EXPERT_AVAILABLE, currency=locked.currency, owner=locked.expert)
        paid_out = ledger_account(kind=kind.EXPERT_PAID_OUT, currency=locked.currency, owner=locked.expert)
        ledger_post(
            kind=LedgerTransaction.Kind.WITHDRAWAL,
            reference=f"{locked.ledger_reference}:reversed-to-{total}",
            lines=[LedgerLine(paid_out, -part), LedgerLine(available, part)],
            memo=f"transfer {transfer_id} reversed",
        )
        locked.reversed_minor = total
        if total == locked.amount_minor:
            locked.status = Withdrawal.Status.REVERSED
        locked.save(update_fields=["reversed_minor", "status", "updated_at"])
        log(instance=locked, action=LOG_REVERSED, data={"transfer": transfer_id, "reversed_minor": total})
        outbox_enqueue(
            app_label="billing",
            handler="billing.tasks.send_transfer_reversed",
            payload={"withdrawal_id": locked.pk, "reversed_minor": total},
            dedupe_key=f"{locked.ledger_reference}-reversed-to-{total}-mail",
        )
    return locked
