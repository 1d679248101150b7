"""Stripe and dj-stripe. Test keys by default; production sets live ones.

STRIPE_API_HOST points the SDK at a Stripe-compatible server on loopback
(localstripe) for the offline demo and the tests.
"""

from .env import env

# The test-mode defaults only ever talk to the loopback server; dj-stripe
# insists on the real key shape (prefix + at least 24 letters or digits).
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
STRIPE_TEST_SECRET_KEY = env("STRIPE_TEST_SECRET_KEY", default="sk_test_TapTimeLocalOnly0000000000000000")
STRIPE_TEST_PUBLIC_KEY = env("STRIPE_TEST_PUBLIC_KEY", default="pk_test_TapTimeLocalOnly0000000000000000")
STRIPE_LIVE_SECRET_KEY = env("STRIPE_LIVE_SECRET_KEY", default="")
STRIPE_LIVE_PUBLIC_KEY = env("STRIPE_LIVE_PUBLIC_KEY", default="")
# The publishable key Stripe.js gets on the review page in live mode (never
# the secret one). production.py refuses live mode without it.
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default=STRIPE_LIVE_PUBLIC_KEY)
# Added to the Content-Security-Policy of the one page that loads Stripe.js
# (the review page in live mode); every other page keeps the strict base policy.
STRIPE_JS_CSP = {
    "script-src": ["https://js.stripe.com", "https://*.js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}
# The gateway class billing uses (billing.gateways): Stripe itself in live mode; the
# test-mode gateway (test cards paid on the server, the demo's seeded payments
# refunded locally) everywhere else.
PAYMENT_GATEWAY = env(
    "PAYMENT_GATEWAY",
    default="billing.gateways.stripe.StripeGateway"
    if STRIPE_LIVE_MODE
    else "billing.gateways.testmode.TestModeGateway",
)
if env("STRIPE_API_HOST", default=""):
    # dj-stripe warns when this exists at all in production, so it is only
    # defined when set.
    STRIPE_API_HOST = env("STRIPE_API_HOST")
DJSTRIPE_WEBHOOK_SECRET = env("DJSTRIPE_WEBHOOK_SECRET", default="whsec_taptime_local")
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"
# Stripe Tax product tax code of a consultation (Stripe's "General - Services"); used when the platform
# setting "tax calculation" is Stripe Tax.
STRIPE_TAX_CODE = env("STRIPE_TAX_CODE", default="txcd_20030000")
