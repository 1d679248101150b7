"""The test suite: PostgreSQL by default, fast hashing, jobs run inline."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, LOCK_TIMEOUT_SECONDS, Q_CLUSTER, env
from .env import postgres_lock_timeout

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/postgres"),
}
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_taptime")}
DATABASES["default"]["OPTIONS"] = postgres_lock_timeout(LOCK_TIMEOUT_SECONDS)
# A second alias for the read-replica router's tests: a mirror of the test database (no second
# database to create). Off by default; tests/taptime/test_db_router.py switches the router on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_READ_REPLICA = ""

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inside the request that queues them, after commit, so tests see
# their effects without a worker process.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-media-private"  # noqa: F405
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)
BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"

# Tests that check the second-factor rule switch it on themselves.
STAFF_MFA_REQUIRED = False

# Webhooks may go to loopback addresses here (the receiver in a demo or a test runs locally).
WEBHOOK_ALLOW_PRIVATE = True
# The demo serves its two calendars on loopback (demo.calendars); tests fetch from a local server too.
CALENDAR_ALLOW_LOOPBACK = True
# Recording uploads and downloads stay small in tests; the size refusal is tested against this.
RECORDING_MAX_BYTES = 64 * 1024

# The page cache is off for the suite (tests that GET a page, change data and GET it again);
# tests/core/test_page_cache.py and the cache journeys switch it on.
PAGE_CACHE_SECONDS = 0

# Publishing an expert page would load the embedding model in every test that makes an expert;
# tests/learning/test_recommendations.py switches it on where it tests that wiring.
RECOMMENDATIONS_EMBED_ON_PUBLISH = False
# Funnel events stay buffered until a test flushes them (no timer thread writing behind a test's back).
FUNNEL_FLUSH_SECONDS = 0
# Each test empties the shared cache; a process copy would outlive that (tests switch it on).
PAGE_CACHE_LOCAL_SECONDS = 0
# Template fragments keyed on the page's version, likewise (tests/core/test_page_fragments.py switches them on).
PAGE_FRAGMENT_CACHE = False
# Fifty renditions (AVIF among them) for every image a test saves would slow the suite; the
# rendition tests (tests/cms_pages/test_renditions.py) switch the job on.
IMAGE_RENDITIONS_ON_SAVE = False
