"""Local Stripe: test account, API key and webhook endpoint for dj-stripe; payments of the demo sessions."""

from django.conf import settings

from billing.gateways.testmode import DEMO_INTENT_PREFIX, stripe_local_setup_ensure
from billing.models import Payment
from billing.selectors import commission_rate_bp
from billing.services.ledger import ledger_book_payment

from .base import Log, Tally
from .billing_packages import seed_packages_and_payouts
from .bookings import demo_session_bookings


def seed(*, log: Log) -> str:
    tally = Tally()
    if settings.STRIPE_LIVE_MODE:
        # Made-up payments and a local webhook endpoint have no place next to live Stripe keys.
        log("skipped: Stripe live mode is on")
        return "skipped"
    created, endpoint = stripe_local_setup_ensure()
    if created:
        log(f"webhooks for the local Stripe server go to {endpoint.url}")
    tally.add("local Stripe setup", created)
    _seed_session_payments(tally)
    seed_packages_and_payouts(tally)
    return tally.summary()


def _seed_session_payments(tally: Tally) -> None:
    """A succeeded payment and its ledger posting for each demo session, without calling Stripe.

    The PaymentIntent ids are made up (``pi_demo_<booking id>``): no Stripe
    server knows them, so outside live mode the gateway refunds them locally
    (``billing.gateways.testmode.TestModeGateway``) and cancelling a seeded session works.
    """
    rate = commission_rate_bp()
    for booking in demo_session_bookings().select_related("expert"):
        if Payment.objects.filter(booking=booking).exists():
            tally.add("demo payments", False)
            continue
        payment = Payment.objects.create(
            booking=booking,
            reference=booking.reference,
            payer=booking.learner,
            payee=booking.expert,
            amount_minor=booking.amount_minor,
            currency=booking.currency,
            commission_rate_bp=rate,
            status=Payment.Status.SUCCEEDED,
            idempotency_key=f"{booking.reference}-pi-v1",
            stripe_payment_intent_id=f"{DEMO_INTENT_PREFIX}{booking.pk}",
        )
        ledger_book_payment(
            reference=payment.ledger_reference,
            currency=payment.currency,
            gross=payment.amount_minor,
            commission_rate_bp=rate,
            expert=booking.expert,
        )
        tally.add("demo payments", True)
