"""Production: every secret from the environment, HTTPS and strict headers.

Fails closed: refuses to start without SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
MFA_ENCRYPTION_KEYS and an https BASE_URL, and with console/in-memory email, a
per-process cache (no REDIS_URL) or the test-card payment form. A loopback run
with production settings (``make serve``) allows the last three one by one with
explicit flags (``ALLOW_CONSOLE_EMAIL``, ``ALLOW_LOCAL_CACHE``,
``ALLOW_TEST_PAYMENTS``), which are refused unless every allowed host is a
loopback name.
"""

from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .base import *  # noqa: F403
from .base import (
    BASE_URL,
    DATABASES,
    EMAIL_BACKEND,
    LOGGING,
    PAYMENT_GATEWAY,
    REDIS_URL,
    SENTRY_DSN,
    SMS_BACKEND,
    STORAGES,
    STRIPE_LIVE_MODE,
    STRIPE_LIVE_SECRET_KEY,
    STRIPE_PUBLISHABLE_KEY,
    env,
)

DEBUG = False
WHITENOISE_USE_FINDERS = False

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "MFA_ENCRYPTION_KEYS"):
    if not env(_name, default=""):
        raise ImproperlyConfigured(f"{_name} must be set in the environment for production.")

for _key in env.list("MFA_ENCRYPTION_KEYS"):
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEYS must be Fernet keys (Fernet.generate_key(), comma-separated)."
        ) from None

# Live Stripe confirms cards in the browser: without a publishable key the
# review page could not take a payment, so refuse to start instead.
if env.bool("STRIPE_LIVE_MODE", default=False):
    if not STRIPE_PUBLISHABLE_KEY.startswith("pk_"):
        raise ImproperlyConfigured("STRIPE_PUBLISHABLE_KEY (pk_…) must be set in the environment for Stripe live mode.")
    if not STRIPE_LIVE_SECRET_KEY.startswith(("sk_", "rk_")):
        raise ImproperlyConfigured("STRIPE_LIVE_SECRET_KEY must be set in the environment for Stripe live mode.")

SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# --- Fail closed: what a real deploy must not run with ------------------------
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
_loopback_only = set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS


def _allowed_on_loopback(flag: str) -> bool:
    """An explicit ALLOW_… flag, honoured only when the site answers on loopback names alone."""
    if not env.bool(flag, default=False):
        return False
    if not _loopback_only:
        raise ImproperlyConfigured(
            f"{flag} is only for a loopback run (ALLOWED_HOSTS of 127.0.0.1, localhost or [::1] only); "
            f"ALLOWED_HOSTS is {','.join(ALLOWED_HOSTS)}."
        )
    return True


_base = urlsplit(BASE_URL)
if not env("BASE_URL", default=""):
    raise ImproperlyConfigured(
        "BASE_URL must be set in the environment for production: the public address used in emails, "
        "calendar invites and the Sites domain, e.g. https://taptime.example."
    )
if _base.scheme != "https" and not (_base.scheme == "http" and _base.hostname in LOOPBACK_HOSTS and _loopback_only):
    raise ImproperlyConfigured(f"BASE_URL must start with https:// in production (it is {BASE_URL}).")
_base_host = f"[{_base.hostname}]" if _base.hostname and ":" in _base.hostname else (_base.hostname or "")
if not validate_host(_base_host, ALLOWED_HOSTS):
    raise ImproperlyConfigured(f"BASE_URL's host ({_base.hostname}) must be one of ALLOWED_HOSTS.")

_NON_DELIVERING_EMAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
if EMAIL_BACKEND in _NON_DELIVERING_EMAIL and not _allowed_on_loopback("ALLOW_CONSOLE_EMAIL"):
    raise ImproperlyConfigured(
        f"Email would not be delivered ({EMAIL_BACKEND}): password-reset and confirmation links would "
        "end up in the logs. Set EMAIL_URL (smtp+tls://…) or EMAIL_BACKEND to a real provider."
    )
if not REDIS_URL and not _allowed_on_loopback("ALLOW_LOCAL_CACHE"):
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: without it the cache, and with it every rate limit, "
        "is per process and the limits do nothing."
    )
if (not STRIPE_LIVE_MODE or PAYMENT_GATEWAY.endswith(".TestModeGateway")) and not _allowed_on_loopback(
    "ALLOW_TEST_PAYMENTS"
):
    raise ImproperlyConfigured(
        "Stripe live mode is off, so the review page would offer the test-card form and book sessions "
        "without payment. Set STRIPE_LIVE_MODE=true with its keys (a staging deploy uses Stripe test keys "
        "in live mode)."
    )
if SMS_BACKEND not in {"console", "twilio"}:
    raise ImproperlyConfigured(f"SMS_BACKEND must be console or twilio (it is {SMS_BACKEND}).")
if SMS_BACKEND == "twilio" and not (
    env("TWILIO_ACCOUNT_SID", default="")
    and env("TWILIO_AUTH_TOKEN", default="")
    and (env("TWILIO_FROM", default="") or env("TWILIO_MESSAGING_SERVICE_SID", default=""))
):
    raise ImproperlyConfigured(
        "SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM (or "
        "TWILIO_MESSAGING_SERVICE_SID) in the environment."
    )
for _alias in DATABASES:
    DATABASES[_alias]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES[_alias]["CONN_HEALTH_CHECKS"] = True

# HTTPS. SECURE_SSL_REDIRECT may be switched off for a loopback run (make serve).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_SSL_REDIRECT else "http"

# Documents go through Wagtail's view, which checks collection privacy on every
# download, rather than a redirect to a permanent public S3 URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    # Media on S3 through django-storages; credentials come from the standard
    # AWS_* variables that boto3 reads. Private files live in their own bucket,
    # never public, reachable only through short-lived signed URLs handed out by
    # views that have checked access.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_PRIVATE_BUCKET_NAME"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }

if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")
# One JSON object a line, with the request id, for the log shipper (LOG_FORMAT=plain for a terminal).
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"

if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=env.float("SENTRY_TRACES", default=0.0))
