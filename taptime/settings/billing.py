"""Billing: limits on payment attempts, the pay form under concurrency, reconciliation, webhooks."""

from .env import env

# Declined card payments one learner may make in 24 hours before the pay step refuses
# (card testing through hold -> decline -> hold again stops here).
BILLING_DECLINES_PER_DAY = env.int("BILLING_DECLINES_PER_DAY", default=3)
