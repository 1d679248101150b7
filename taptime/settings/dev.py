"""Local development: `make run`. Embedded defaults, debug on."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = env.bool("DEBUG", default=True)
# `make run` turns DEBUG off (the designed error pages); the demo's photos are still served here.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# The demo seeders (manage.py seed_demo); production settings never install them.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
# The demo accounts are verified by seed_demo; new sign-ups still confirm by email,
# which the console backend prints to the terminal running `make run`.

# The demo staff account has no authenticator app; production keeps the rule on.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)

# The loopback Stripe server that `make run` starts (Procfile.dev). Set
# STRIPE_API_HOST="" ... or real test keys plus no host to use Stripe's test mode.
STRIPE_API_HOST = env("STRIPE_API_HOST", default="http://127.0.0.1:8420")
if STRIPE_API_HOST:
    import stripe as _stripe

    # dj-stripe copies STRIPE_API_HOST into the SDK when its settings load;
    # do it here too so the SDK is pointed at loopback whichever loads first.
    _stripe.api_base = STRIPE_API_HOST
    # dj-stripe warns whenever DEBUG is off and a host is set; the dev settings
    # never run production (the smoke test runs them with DEBUG=False).
    SILENCED_SYSTEM_CHECKS = ["djstripe.W002"]
else:
    del STRIPE_API_HOST

# Webhooks may go to loopback addresses here (the receiver in a demo or a test runs locally).
WEBHOOK_ALLOW_PRIVATE = True
# The demo serves its two calendars on loopback (demo.calendars); tests fetch from a local server too.
CALENDAR_ALLOW_LOOPBACK = True
