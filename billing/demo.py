"""Local Stripe: test account, API key and webhook endpoint for dj-stripe."""

from taptime.demo import Log, Tally

from .stripe_local import stripe_local_setup_ensure


def seed(*, log: Log) -> str:
    tally = Tally()
    created, endpoint = stripe_local_setup_ensure()
    if created:
        log(f"webhooks for the local Stripe server go to {endpoint.url}")
    tally.add("local Stripe setup", created)
    return tally.summary()
