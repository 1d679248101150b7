"""Packages: a learner buys one with a single payment and books sessions with its credits.

1. ``package_purchase_start``: the learner picks a package on the expert's page; a pending
   purchase copies what is bought (sessions, length, price, validity). A second click continues the
   same pending purchase (``package_purchase_one_pending``).
2. ``package_pay``: paid through the same ``payment_create`` as a booking (reference
   ``package-<id>``, idempotency key ``package-<id>-pi-v<attempt>``, one open payment per
   reference). When the payment succeeds the ledger books it as any payment (learner payment =
   expert pending + commission) and ``package_purchase_fulfil`` creates the credits, from the
   checkout at once and from the outbox follow-up after a webhook, whichever comes first.
3. ``booking_book_with_credit``: a held booking is confirmed with one of the learner's credits for
   that expert and length, under row locks on the booking and the credits, so a credit is spent once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.errors import BookingError
from bookings.models import Booking
from bookings.services import booking_confirm, booking_goals_set
from core.locking import locked_transaction
from marketplace.models import ExpertProfile, Package

from ..errors import PaymentError
from ..gateways import PaymentGateway, payment_gateway
from ..gateways.testmode import TEST_CARDS
from ..models import PackagePurchase, Payment, SessionCredit, credit_values
from .checkout import BrowserPayment
from .limits import payment_attempts_check
from .payments import payment_create, payment_state_apply, payment_sync

logger = logging.getLogger(__name__)

PACKAGE_REFERENCE_PREFIX = "package-"


def _not_offered() -> PaymentError:
    return PaymentError(_("This package is not offered any more."), code="not_offered")


def offered_package(*, package_id: int) -> Package | None:
    """The package if learners can buy it now: offered, of an offered session type, by an active expert."""
    return (
        Package.objects.select_related("profile__user", "session_type")
        .filter(
            pk=package_id,
            is_active=True,
            session_type__is_active=True,
            profile__status=ExpertProfile.Status.ACTIVE,
            profile__user__is_active=True,
        )
        .first()
    )


def package_purchase_start(*, learner, package_id: int) -> PackagePurchase:
    """The learner's pending purchase of an offered package (created, or the one already begun)."""
    package = offered_package(package_id=package_id)
    if package is None:
        raise _not_offered()
    profile = package.profile
    if profile.user_id == learner.pk:
        raise PaymentError(_("You cannot buy your own package."), code="own_package")
    fields = {
        "expert_id": profile.user_id,
        "sessions_count": package.sessions_count,
        "duration_minutes": package.session_type.duration_minutes,
        "price_minor": package.price_minor,
        "currency": package.currency,
        "validity_days": package.validity_days,
    }
    pending = PackagePurchase.objects.filter(learner=learner, package=package, status=PackagePurchase.Status.PENDING)
    existing = pending.first()
    if existing is not None:
        if not Payment.objects.filter(reference=existing.reference).exists():
            # Nothing asked of Stripe yet: follow a price the expert changed since.
            PackagePurchase.objects.filter(pk=existing.pk).update(**fields)
            existing.refresh_from_db()
        return existing
    try:
        with transaction.atomic():
            return PackagePurchase.objects.create(learner=learner, package=package, **fields)
    except IntegrityError:  # a double click created it a moment ago
        return pending.get()


def package_pay(*, purchase: PackagePurchase, test_card: str, gateway: PaymentGateway | None = None) -> Payment:
    """Test mode: pay a pending purchase with a Stripe test card; its credits exist once this returns paid.

    A purchase already paid is not charged again: its payment is returned (a double submit).
    """
    if settings.STRIPE_LIVE_MODE:
        raise PaymentError(_("Card payments are confirmed in the browser in live mode."), code="live_mode")
    if test_card not in TEST_CARDS:
        raise PaymentError(_("Please choose a payment method."), code="bad_method")
    purchase.refresh_from_db()
    if purchase.status != PackagePurchase.Status.PENDING:
        paid = purchase.paid_payment()
        if paid is None:
            raise PaymentError(_("This purchase cannot be paid."), code="not_payable")
        return paid
    gateway = gateway or payment_gateway()
    if not hasattr(gateway, "test_payment_method"):
        raise PaymentError(_("Test cards need the test-mode payment gateway."), code="not_test_mode")
    payment_attempts_check(payer=purchase.learner, now=timezone.now())
    payment = payment_create(
        reference=purchase.reference,
        payer=purchase.learner,
        payee=purchase.expert,
        amount_minor=int(purchase.price_minor),
        currency=purchase.currency,
        payment_method=gateway.test_payment_method(test_card),
        confirm=True,
        gateway=gateway,
    )
    if payment.stripe_payment_intent_id:
        payment = payment_sync(payment_intent_id=payment.stripe_payment_intent_id, gateway=gateway) or payment
    if payment.status == Payment.Status.SUCCEEDED:
        package_purchase_fulfil(payment=payment)
    return payment


def package_payment_intent(*, purchase: PackagePurchase, gateway: PaymentGateway | None = None) -> BrowserPayment:
    """Live mode: the PaymentIntent the purchase page's Payment Element confirms (the purchase's
    price; a reload reuses the open intent, key ``package-<id>-pi-v<attempt>``)."""
    if not settings.STRIPE_LIVE_MODE:
        raise PaymentError(_("Card payments in the browser need live mode."), code="not_live_mode")
    if purchase.status != PackagePurchase.Status.PENDING:
        raise PaymentError(_("This package is already paid."), code="already_paid")
    gateway = gateway or payment_gateway()
    if not Payment.objects.filter(reference=purchase.reference).exists():  # a reload is not a new attempt
        payment_attempts_check(payer=purchase.learner, now=timezone.now())
    payment = payment_create(
        reference=purchase.reference,
        payer=purchase.learner,
        payee=purchase.expert,
        amount_minor=int(purchase.price_minor),
        currency=purchase.currency,
        gateway=gateway,
    )
    if not payment.stripe_payment_intent_id:
        raise PaymentError(_("The payment service could not start this payment. Please try again."), code="no_intent")
    state = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    return BrowserPayment(payment=payment_state_apply(payment=payment, state=state), client_secret=state.client_secret)


def package_payment_return(*, purchase: PackagePurchase, gateway: PaymentGateway | None = None) -> Payment | None:
    """Where Stripe sends the learner back: re-read the purchase's own latest payment (never an id
    from the query string) and create the credits if it succeeded. None if there is no payment."""
    payment = Payment.objects.filter(reference=purchase.reference).order_by("-pk").first()
    if payment is None or not payment.stripe_payment_intent_id:
        return payment
    payment = payment_sync(payment_intent_id=payment.stripe_payment_intent_id, gateway=gateway) or payment
    if payment.status == Payment.Status.SUCCEEDED:
        package_purchase_fulfil(payment=payment)
    return payment


def package_purchase_for_payment(payment: Payment) -> PackagePurchase | None:
    if payment.booking_id is not None or not payment.reference.startswith(PACKAGE_REFERENCE_PREFIX):
        return None
    purchase_id = payment.reference.removeprefix(PACKAGE_REFERENCE_PREFIX)
    return PackagePurchase.objects.filter(pk=int(purchase_id)).first() if purchase_id.isdigit() else None


def package_purchase_fulfil(*, payment: Payment, now: datetime | None = None) -> PackagePurchase | None:
    """A package's payment succeeded: mark the purchase paid and create its credits, once.

    The amount and currency are checked against the purchase (never book credits for money we did
    not ask for). Runs under the purchase's row lock, so the checkout and the outbox follow-up
    create the credits once between them.
    """
    now = now or timezone.now()
    purchase = package_purchase_for_payment(payment)
    if purchase is None or payment.status != Payment.Status.SUCCEEDED:
        return purchase
    with locked_transaction():
        purchase = PackagePurchase.objects.select_for_update().get(pk=purchase.pk)
        if purchase.status != PackagePurchase.Status.PENDING:
            return purchase
        if (payment.amount_minor, payment.currency, payment.payer_id) != (
            purchase.price_minor,
            purchase.currency,
            purchase.learner_id,
        ):
            logger.error("Payment %s does not match %s; no credits created", payment.pk, purchase.reference)
            return purchase
        purchase.status = PackagePurchase.Status.PAID
        purchase.paid_at = now
        purchase.expires_at = now + timedelta(days=purchase.validity_days)
        purchase.save(update_fields=["status", "paid_at", "expires_at", "updated_at"])
        values = credit_values(price_minor=int(purchase.price_minor), count=purchase.sessions_count)
        SessionCredit.objects.bulk_create(
            SessionCredit(purchase=purchase, number=number, value_minor=value)
            for number, value in enumerate(values, start=1)
        )
    return purchase


def _usable_credits(booking: Booking, now: datetime):
    return SessionCredit.objects.filter(
        status=SessionCredit.Status.AVAILABLE,
        purchase__learner_id=booking.learner_id,
        purchase__expert_id=booking.expert_id,
        purchase__status=PackagePurchase.Status.PAID,
        purchase__duration_minutes=booking.duration_minutes,
        purchase__expires_at__gt=max(now, booking.start),
    ).order_by("purchase__expires_at", "purchase_id", "number")


def booking_credit_offer(*, booking: Booking, now: datetime | None = None) -> SessionCredit | None:
    """The credit a held booking would use (the one expiring first), or None (one query)."""
    return _usable_credits(booking, now or timezone.now()).select_related("purchase").first()


def booking_book_with_credit(*, booking: Booking, goals_note: str = "", now: datetime | None = None) -> Booking:
    """Confirm the learner's held booking with one of their credits for this expert and length.

    The credit must belong to the booking's learner and expert, be for the session's length and
    still be valid when the session starts. The booking's row and then the usable credits are
    locked (``SELECT … FOR UPDATE``) and re-read, so two bookings, two tabs or a double submit
    never spend one credit twice; a booking already confirmed with a credit is returned as it is.
    Raises ``PaymentError`` (``no_credit``) or ``BookingError`` (an expired hold, nothing spent).
    """
    now = now or timezone.now()
    booking_goals_set(booking=booking, note=goals_note)
    locking = settings.BILLING_CREDIT_LOCKING
    with locked_transaction():
        locked = (Booking.objects.select_for_update() if locking else Booking.objects).get(pk=booking.pk)
        if locked.status == Booking.Status.CONFIRMED and locked.paid_with_credit:
            return locked
        if not locked.hold_is_live(now):
            raise BookingError(
                _("Your hold on this time has expired and no credit was used. Please choose a time again."),
                code="hold_expired",
            )
        credits = _usable_credits(locked, now).select_related("purchase")
        if locking:
            # All of them, not ``first()``: PostgreSQL re-checks a row it waited for and drops it if a
            # concurrent booking just used it; under a LIMIT 1 that would hide the next free credit.
            credits = credits.select_for_update(of=("self",))
        credit = next(iter(list(credits)), None)
        if credit is None:
            raise PaymentError(_("You have no package credit left for this session."), code="no_credit")
        credit.status, credit.booking, credit.used_at = SessionCredit.Status.USED, locked, now
        credit.save(update_fields=["status", "booking", "used_at"])
        purchase = credit.purchase
        used = SessionCredit.objects.filter(purchase=purchase, status=SessionCredit.Status.USED).count()
        return booking_confirm(booking=locked, now=now, credit=(used, purchase.sessions_count))


def credit_return_for_cancellation(*, booking: Booking) -> SessionCredit | None:
    """A credit-booked session was cancelled: give the credit back when the refund policy would have
    given cash back in full (the expert cancelled, or the learner cancelled within the full-refund
    window); otherwise it stays spent, as the payment would have stayed paid. Inside the
    cancellation's transaction (``bookings.signals.booking_changed``)."""
    credit = SessionCredit.objects.select_for_update().filter(booking=booking, status=SessionCredit.Status.USED).first()
    if credit is None:
        return None
    in_full = booking.status in (Booking.Status.CANCELLED_BY_EXPERT, Booking.Status.CANCELLED_REFUNDED) or (
        booking.refund_minor is not None and booking.refund_minor >= booking.amount_minor
    )
    if not in_full:
        return credit
    credit.status, credit.booking, credit.used_at = SessionCredit.Status.AVAILABLE, None, None
    credit.save(update_fields=["status", "booking", "used_at"])
    return credit
