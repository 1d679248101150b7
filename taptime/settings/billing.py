"""Billing: limits on payment attempts, the pay form under concurrency, reconciliation, webhooks."""

from .env import env

# Declined card payments one learner may make in 24 hours before the pay step refuses
# (card testing through hold -> decline -> hold again stops here).
BILLING_DECLINES_PER_DAY = env.int("BILLING_DECLINES_PER_DAY", default=3)

# Paying twice at once (billing.services.payments.payment_create): a second submission waits this
# long for the first one's gateway call and answers with its result; a payment row older than
# BILLING_PAYMENT_IN_FLIGHT_SECONDS without an intent is taken as abandoned and retried.
BILLING_PAYMENT_WAIT_SECONDS = env.float("BILLING_PAYMENT_WAIT_SECONDS", default=10.0)
BILLING_PAYMENT_IN_FLIGHT_SECONDS = env.int("BILLING_PAYMENT_IN_FLIGHT_SECONDS", default=120)
# Only the race test's control run switches the booking lock and the wait off.
BILLING_PAYMENT_LOCKING = True
# The reconciliation job (billing.services.reconciliation): succeeded PaymentIntents of the last
# LOOKBACK hours that no payment row owns are refunded, once older than GRACE minutes.
BILLING_RECONCILE_LOOKBACK_HOURS = env.int("BILLING_RECONCILE_LOOKBACK_HOURS", default=48)
BILLING_RECONCILE_GRACE_MINUTES = env.int("BILLING_RECONCILE_GRACE_MINUTES", default=15)
# Stripe's webhook URL answers 429 to more than this many requests per client address per window.
STRIPE_WEBHOOK_RATE_LIMIT = env.int("STRIPE_WEBHOOK_RATE_LIMIT", default=300)
STRIPE_WEBHOOK_RATE_WINDOW_SECONDS = env.int("STRIPE_WEBHOOK_RATE_WINDOW_SECONDS", default=60)
# Tests only (not an environment variable): the credit race test's control run switches the credit
# row locks off to show that two bookings can then spend one credit.
BILLING_CREDIT_LOCKING = True
