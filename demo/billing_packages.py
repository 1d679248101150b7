"""Demo packages and payouts: Lena's package with Ezra, partly used; Ezra's connected (simulated)
payout account with a pending and an available balance, one paid and one waiting withdrawal.

Idempotent: each piece is looked up by what makes it the demo's (the learner and expert, the
payout account id ``acct_demo_…``, a withdrawal's amount) and made only when missing. Nothing here
calls Stripe: the package's payment has a made-up intent (``pi_demo_…``, refunded locally by the
test-mode gateway), and the paid withdrawal's transfer is answered by ``_SimulatedConnect``.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from billing.gateways.base import TransferState
from billing.gateways.testmode import DEMO_INTENT_PREFIX
from billing.models import PackagePurchase, Payment, PayoutAccount, SessionCredit, Withdrawal
from billing.selectors import commission_rate_bp, expert_balances
from billing.services.credits import credit_earnings_release_due
from billing.services.ledger import ledger_book_payment
from billing.services.packages import package_purchase_fulfil
from billing.services.withdrawals import withdrawal_approve, withdrawal_request
from bookings.models import Booking
from marketplace.models import ExpertProfile, Package

from .accounts import DEMO_ACCOUNTS
from .base import Tally

LEARNER_EMAIL, EXPERT_EMAIL, STAFF_EMAIL = (spec["email"] for spec in DEMO_ACCOUNTS)
PAYOUT_ACCOUNT_ID = "acct_demo_ezra_expert"
# Sessions of the package already held (completed long ago, so their share is available).
USED_DAYS_AGO = (40, 33)
WITHDRAWALS_MINOR = (3000, 2000)  # the first is paid, the second waits for staff


class _SimulatedConnect:
    """Answers the one Connect call the demo makes (a transfer) the way Stripe would, offline."""

    def create_transfer(self, *, amount_minor, currency, destination, idempotency_key, transfer_group, metadata):
        return TransferState(
            id=f"tr_demo_{transfer_group}", amount_minor=amount_minor, currency=currency, destination=destination
        )


def seed_packages_and_payouts(tally: Tally) -> None:
    learner = User.objects.filter(email=LEARNER_EMAIL).first()
    profile = ExpertProfile.objects.filter(user__email=EXPERT_EMAIL).select_related("user").first()
    session_type = (
        profile.session_types.filter(is_active=True).order_by("duration_minutes").first() if profile else None
    )
    if learner is None or session_type is None:
        return
    package = _package(profile, session_type, tally)
    purchase = _purchase(learner, package, tally)
    _used_sessions(purchase, tally)
    credit_earnings_release_due()
    _payout_account(profile.user, tally)
    _withdrawals(profile.user, tally)


def _package(profile, session_type, tally: Tally) -> Package:
    package = Package.objects.filter(profile=profile, session_type=session_type, sessions_count=5).first()
    tally.add("demo packages", package is None)
    if package is None:
        package = Package.objects.create(
            profile=profile,
            session_type=session_type,
            sessions_count=5,
            price_minor=session_type.price_minor * 9 // 2,  # five for the price of four and a half
            currency=session_type.currency,
            validity_days=180,
        )
    return package


def _purchase(learner, package, tally: Tally) -> PackagePurchase:
    purchase = PackagePurchase.objects.filter(learner=learner, expert=package.profile.user, package=package).first()
    tally.add("demo package purchases", purchase is None)
    if purchase is not None:
        return purchase
    purchase = PackagePurchase.objects.create(
        learner=learner,
        expert=package.profile.user,
        package=package,
        sessions_count=package.sessions_count,
        duration_minutes=package.session_type.duration_minutes,
        price_minor=package.price_minor,
        currency=package.currency,
        validity_days=package.validity_days,
    )
    rate = commission_rate_bp()
    payment = Payment.objects.create(
        reference=purchase.reference,
        payer=learner,
        payee=purchase.expert,
        amount_minor=purchase.price_minor,
        currency=purchase.currency,
        commission_rate_bp=rate,
        status=Payment.Status.SUCCEEDED,
        idempotency_key=f"{purchase.reference}-pi-v1",
        stripe_payment_intent_id=f"{DEMO_INTENT_PREFIX}{purchase.reference}",
    )
    ledger_book_payment(
        reference=payment.ledger_reference,
        currency=payment.currency,
        gross=payment.amount_minor,
        commission_rate_bp=rate,
        expert=purchase.expert,
    )
    package_purchase_fulfil(payment=payment, now=timezone.now() - timedelta(days=45))
    purchase.refresh_from_db()
    return purchase


def _used_sessions(purchase: PackagePurchase, tally: Tally) -> None:
    """Two of the five credits used by sessions completed weeks ago (at 15:00 UTC, clear of the demo's others)."""
    for number, days_ago in enumerate(USED_DAYS_AGO, start=1):
        credit = SessionCredit.objects.filter(purchase=purchase, number=number).first()
        if credit is None or credit.status == SessionCredit.Status.USED:
            tally.add("demo credit sessions", False)
            continue
        day = (timezone.now() - timedelta(days=days_ago)).date()
        start = datetime.combine(day, time(15), tzinfo=UTC)
        booking = Booking.objects.create(
            learner=purchase.learner,
            expert=purchase.expert,
            start=start,
            end=start + timedelta(minutes=purchase.duration_minutes),
            status=Booking.Status.COMPLETED,
            amount_minor=credit.value_minor,
            currency=purchase.currency,
            confirmed_at=start - timedelta(days=3),
            goals_note="Package session",
            credit_used=number,
            credit_total=purchase.sessions_count,
        )
        SessionCredit.objects.filter(pk=credit.pk).update(
            status=SessionCredit.Status.USED, booking=booking, used_at=booking.confirmed_at
        )
        tally.add("demo credit sessions", True)


def _payout_account(expert, tally: Tally) -> None:
    _account, created = PayoutAccount.objects.get_or_create(
        expert=expert,
        defaults={
            "stripe_account_id": PAYOUT_ACCOUNT_ID,
            "details_submitted": True,
            "charges_enabled": True,
            "payouts_enabled": True,
            "synced_at": timezone.now(),
        },
    )
    tally.add("demo payout accounts", created)


def _withdrawals(expert, tally: Tally) -> None:
    account = PayoutAccount.objects.filter(expert=expert).first()
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    if account is None or not account.ready or staff is None:
        return
    for index, amount in enumerate(WITHDRAWALS_MINOR):
        currency = next((b.currency for b in expert_balances(expert=expert) if b.available >= amount), None)
        exists = Withdrawal.objects.filter(expert=expert, amount_minor=amount).exists()
        tally.add("demo withdrawals", not exists and currency is not None)
        if exists or currency is None:
            continue
        withdrawal = withdrawal_request(expert=expert, amount_minor=amount, currency=currency)
        if index == 0:
            withdrawal_approve(withdrawal=withdrawal, by=staff, note="Demo payout", gateway=_SimulatedConnect())
