"""The expert's payout account: a Stripe Connect Express account, onboarded through Stripe's own pages.

We keep the account id and what Stripe says about it (details submitted, payouts enabled, the
requirements still due). Bank details are typed into Stripe's onboarding and never reach us.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..gateways import payment_gateway
from ..gateways.base import ConnectAccountState, ConnectGateway
from ..models import PayoutAccount


def _apply(account: PayoutAccount, state: ConnectAccountState) -> PayoutAccount:
    account.details_submitted = state.details_submitted
    account.charges_enabled = state.charges_enabled
    account.payouts_enabled = state.payouts_enabled
    account.requirements_due = list(state.requirements_due)
    account.disabled_reason = state.disabled_reason[:128]
    account.synced_at = timezone.now()
    account.save(
        update_fields=[
            "details_submitted",
            "charges_enabled",
            "payouts_enabled",
            "requirements_due",
            "disabled_reason",
            "synced_at",
        ]
    )
    return account


def payout_account_ensure(*, expert, gateway: ConnectGateway | None = None) -> PayoutAccount:
    """The expert's payout account, created at Stripe on first use (key ``user-<id>-connect-account-v1``).

    The idempotency key makes a double click, or two tabs, create one Stripe account; the one-to-one
    column keeps one row.
    """
    account = PayoutAccount.objects.filter(expert=expert).first()
    if account is not None:
        return account
    gateway = gateway or payment_gateway()
    state = gateway.create_connect_account(
        email=expert.email,
        idempotency_key=f"user-{expert.pk}-connect-account-v1",
        metadata={"user_id": str(expert.pk)},
    )
    try:
        with transaction.atomic():
            account = PayoutAccount.objects.create(expert=expert, stripe_account_id=state.id)
    except IntegrityError:
        return PayoutAccount.objects.get(expert=expert)
    return _apply(account, state)


def payout_account_onboarding_link(
    *, expert, refresh_url: str, return_url: str, gateway: ConnectGateway | None = None
) -> str:
    """A fresh, single-use Stripe onboarding (or update) link for the expert's account."""
    gateway = gateway or payment_gateway()
    account = payout_account_ensure(expert=expert, gateway=gateway)
    return gateway.create_account_link(account.stripe_account_id, refresh_url=refresh_url, return_url=return_url)


def payout_account_sync(*, stripe_account_id: str, gateway: ConnectGateway | None = None) -> PayoutAccount | None:
    """Re-read a connected account from Stripe and store its status (``account.updated``, the return URL).

    An account that is not one of ours is ignored (None)."""
    account = PayoutAccount.objects.filter(stripe_account_id=stripe_account_id).first()
    if account is None:
        return None
    state = (gateway or payment_gateway()).retrieve_connect_account(stripe_account_id)
    return _apply(account, state)
