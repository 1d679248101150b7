"""Production: every secret from the environment, HTTPS and strict headers.

Refuses to start without SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and MFA_ENCRYPTION_KEYS.
"""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    LOGGING,
    REDIS_URL,
    SENTRY_DSN,
    STORAGES,
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
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# HTTPS. SECURE_SSL_REDIRECT may be switched off for a loopback run (make serve).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_SSL_REDIRECT else "http"

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

if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=env.float("SENTRY_TRACES", default=0.0))
