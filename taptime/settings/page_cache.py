"""The anonymous page cache and the CDN purge (core.page_cache; docs/public-site.md#caching)."""

from .env import env

# Anonymous public pages are kept this long in the cache (Redis in production)
# and offered to CDNs for as long (s-maxage); 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
PAGE_CACHE_BROWSER_SECONDS = env.int("PAGE_CACHE_BROWSER_SECONDS", default=60)
PAGE_CACHE_STALE_SECONDS = env.int("PAGE_CACHE_STALE_SECONDS", default=60)
# Query-string variants one path may store per version (junk beyond that is rendered, not stored).
PAGE_CACHE_MAX_VARIANTS = env.int("PAGE_CACHE_MAX_VARIANTS", default=50)
# Each web process keeps the pages it serves in its own memory too, and trusts the shared
# cache's purge tokens for this long (a purge from another process is seen within it; 0 turns
# the process copy off), up to this many pages (about 50 KB each) per process.
PAGE_CACHE_LOCAL_SECONDS = env.float("PAGE_CACHE_LOCAL_SECONDS", default=1.0)
PAGE_CACHE_LOCAL_ENTRIES = env.int("PAGE_CACHE_LOCAL_ENTRIES", default=300)
# Public templates cache their page's own parts (and, for visitors who are not signed in, the
# header and footer) under the page cache's version of the path (core.page_cache.page_version).
PAGE_FRAGMENT_CACHE = env.bool("PAGE_FRAGMENT_CACHE", default=True)
# Views whose anonymous answers may be stored, by dotted name.
PAGE_CACHE_VIEWS = frozenset({"wagtail.views.serve", "search.views.search"})
# The query parameters public pages read: blog (page, tag, category), expert page (reviews),
# browse filters, site search. Any other parameter (but utm_* and click ids) skips the cache.
PAGE_CACHE_QUERY_PARAMS = frozenset(
    {
        "page", "tag", "category", "reviews", "q", "sort", "tz", "price_min", "price_max",
        "rating", "language", "available",
    }
)  # fmt: skip
# The slot picker fragment of an expert page (bookings.views.slot_fragment), kept server-side.
SLOT_FRAGMENT_CACHE_SECONDS = env.int("SLOT_FRAGMENT_CACHE_SECONDS", default=60)
# Publishing, unpublishing and moving pages (and an expert's price, rating or profile change)
# purge the affected URLs from every backend here: our own page cache always, plus a CDN
# when its environment variables are set (docs/operations.md#cdn).
WAGTAILFRONTENDCACHE = {"local": {"BACKEND": "core.page_cache.LocalPageCacheBackend"}}
if env("CLOUDFLARE_ZONE_ID", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env("CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env("CLOUDFLARE_API_TOKEN"),
    }
if env("CLOUDFRONT_DISTRIBUTION_ID", default=""):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env("CLOUDFRONT_DISTRIBUTION_ID"),
    }
# Translations are pages with their own slugs: never rewrite a purged URL into other languages.
WAGTAILFRONTENDCACHE_LANGUAGES: list[str] = []
