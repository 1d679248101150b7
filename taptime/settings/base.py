"""Settings shared by every environment.

Every value that differs between a laptop, CI and production comes from the
environment (django-environ). The defaults here are the *embedded* ones: a bare
machine runs the whole product with SQLite, the local-memory cache, the
django-q2 ORM broker and console email. Production overrides and hardens them in
``production.py``; integrations and apps with many knobs live in their own
modules (``allauth.py``, ``q2.py``, ``rest.py``, ``stripe.py``, ``video.py``,
``bookings.py``, ``billing.py``, ``sms.py``) imported at the bottom, and all read the environment through
``env.py``.
"""

import base64
import hashlib
import warnings
from pathlib import Path

from .env import BASE_DIR, env, postgres_lock_timeout

# Only the development and test settings fall back to this key; production.py
# refuses to start without a real SECRET_KEY from the environment.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
# Rotating the key: the old one goes here (comma-separated) until the sessions and
# signed links made with it have expired, so nobody is logged out at once.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_ID = 1
WAGTAIL_SITE_NAME = "TapTime"
# The site's public address (scheme, host, port; no trailing slash). Every absolute
# link made without a request uses it (core.base_url): emails, calendar invites,
# allauth's mails, the Sites framework's domain and Wagtail's admin notifications.
# `make run` sets it from PORT; production.py refuses to start without it.
BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL

# --- Applications -----------------------------------------------------------

INSTALLED_APPS = [
    # Project apps first so their templates override third-party ones.
    "taptime",  # wiring only: settings, URLs, error views, seed_demo
    "core",
    "accounts",
    "cms_pages",
    "blog",
    "marketplace",
    "bookings",
    "reviews",
    "learning",
    "billing",
    "insights",
    "notifications",
    "api",
    "search",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_users_app.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Google and LinkedIn sign-in (keys from the environment: taptime/settings/allauth.py).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.openid_connect",
    # Every signed-in session with its device and address, ended from /accounts/sessions/.
    "allauth.usersessions",
    # Sign-up and sign-in for apps (JSON under /_allauth/app/v1/); the site keeps allauth's own pages.
    "allauth.headless",
    # API, jobs, payments
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "djstripe",
    # Request latency by view and the job gauges at /metrics (taptime.metrics).
    "django_prometheus",
    "waffle",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # A request id on the request, its log lines and its response (core.request_id); then timing.
    "core.request_id.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Our own funnel events, only after analytics consent; outside the page cache so cached pages count.
    "insights.middleware.FunnelMiddleware",
    # Anonymous pages from the cache before sessions, languages or views run (core.page_cache).
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.csp.AreaCSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.BusyMiddleware",
    "core.middleware.BadInputMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.AccountLanguageMiddleware",
    "accounts.middleware.StaffSessionLifetimeMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.SocialSignInCSPMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "taptime.urls"
WSGI_APPLICATION = "taptime.wsgi.application"
ASGI_APPLICATION = "taptime.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# The longest a request waits for a row lock before it answers "busy, try again"
# (core.locking): set once per PostgreSQL connection, so it costs no statement.
LOCK_TIMEOUT_SECONDS = env.float("LOCK_TIMEOUT_SECONDS", default=3.0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(postgres_lock_timeout(LOCK_TIMEOUT_SECONDS))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock when the transaction
    # starts, so the lock-then-recheck path behaves as it does on PostgreSQL
    # instead of failing late with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "taptime",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Fernet keys (urlsafe base64, 32 bytes) that encrypt TOTP secrets and recovery
# seeds at rest (accounts.secrets); the first encrypts, all decrypt. Production
# refuses to start without them; elsewhere a key is derived from SECRET_KEY.
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[]) or [
    base64.urlsafe_b64encode(hashlib.sha256(f"mfa-secrets:{SECRET_KEY}".encode()).digest()).decode()
]
# Everyone who can open an admin needs a second factor (an authenticator app)
# passed in this login session (accounts.middleware.StaffSecondFactorMiddleware).
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("de", "Deutsch")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way to write dates and times per language, on every page and in every email (core/formats).
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Outside production, WhiteNoise serves straight from the finders (no collectstatic).
WHITENOISE_USE_FINDERS = True
# ...so the missing STATIC_ROOT it would otherwise warn about is expected there.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Only for loopback runs with production settings (scripts/serve.sh); real deployments use S3/a CDN.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
# Private files (expert credentials, attachments) never live under MEDIA_URL:
# they are served by views that check access on every download.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "media-private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest credential document an expert applicant may upload (bytes); bigger ones are refused unread.
EXPERT_DOCUMENT_MAX_BYTES = env.int("EXPERT_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ------------------------------------------------------------------

# EMAIL_URL picks SMTP (smtp+tls://user:pass@host:587) or the console; a
# django-anymail provider is chosen with EMAIL_BACKEND plus its ANYMAIL key.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = env("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
# e.g. ANYMAIL="POSTMARK_SERVER_TOKEN=…" with EMAIL_BACKEND=anymail.backends.postmark.EmailBackend
ANYMAIL = env.dict("ANYMAIL", default={})
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="TapTime <hello@taptime.example>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
STAFF_NOTIFICATION_EMAILS = env.list("STAFF_NOTIFICATION_EMAILS", default=["team@taptime.example"])

# --- Wagtail ----------------------------------------------------------------

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "png", "gif": "png"}
# A saved image gets every public rendition (AVIF, WebP, JPEG in each template size) from a job
# (cms_pages.renditions), so no visitor waits for an encoder.
IMAGE_RENDITIONS_ON_SAVE = env.bool("IMAGE_RENDITIONS_ON_SAVE", default=True)
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Passwords and login addresses change only through allauth, with its rate
# limits, re-authentication, address verification and security emails. Wagtail's
# reset, password and email forms (and staff setting others' passwords) are off;
# new admin-made accounts set their password through allauth's reset.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Avatars come from our own media, never gravatar.com (it would learn every
# admin's email hash, and the admin's CSP would have to allow it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Alt text is required unless an image is marked decorative (cms_pages.CustomImage).
WAGTAILIMAGES_IMAGE_MODEL = "cms_pages.CustomImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms_pages.image_forms.CustomImageForm"
# Wagtail's publish_scheduled runs every minute from a django-q2 schedule (core.schedules).
WAGTAILSEARCH_HITS_MAX_AGE = 30
# Contact and feedback forms: submissions per client address per window.
FORM_RATE_LIMIT = env.int("FORM_RATE_LIMIT", default=5)
FORM_RATE_WINDOW_SECONDS = env.int("FORM_RATE_WINDOW_SECONDS", default=600)

# --- Security headers (strict defaults; production.py adds HTTPS) -----------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page of ours uses are switched off for us and anything we embed;
# Stripe's card form (Payment Element) may use the Payment Request API (wallets).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    'usb=(), payment=(self "https://js.stripe.com")'
)
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # Wagtail's admin reads the token from the cookie.
# How many reverse proxies of ours sit in front of the web processes. The client
# address every rate limit and record uses (core.http.client_ip) is the Nth
# X-Forwarded-For entry from the right; with 0 the header is ignored. Each proxy
# must append to the header (nginx: $proxy_add_x_forwarded_for), and nothing may
# reach the web processes except through them.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)


# --- Logging and errors -----------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail runs its indexing through django-tasks; one line per task is noise.
        "django_tasks": {"level": "WARNING"},
    },
}

SENTRY_DSN = env("SENTRY_DSN", default="")

# --- Integrations -----------------------------------------------------------

from .allauth import *  # noqa: E402,F403
from .billing import *  # noqa: E402,F403
from .bookings import *  # noqa: E402,F403
from .csp import *  # noqa: E402,F403
from .flags import *  # noqa: E402,F403
from .learning import *  # noqa: E402,F403
from .observability import *  # noqa: E402,F403
from .page_cache import *  # noqa: E402,F403
from .privacy import *  # noqa: E402,F403
from .q2 import *  # noqa: E402,F403
from .rest import *  # noqa: E402,F403
from .reviews import *  # noqa: E402,F403
from .sms import *  # noqa: E402,F403
from .stripe import *  # noqa: E402,F403
from .video import *  # noqa: E402,F403

# Libraries that read the client address themselves follow the same proxy count;
# our own code asks core.http.client_ip.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT  # noqa: F405

# JSON log lines when asked for (production's default); a read replica when one is configured.
LOGGING["formatters"]["json"] = LOG_JSON_FORMATTER  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"  # noqa: F405
if DATABASE_REPLICA_URL:  # noqa: F405
    DATABASES[DATABASE_REPLICA_ALIAS] = {  # noqa: F405
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
