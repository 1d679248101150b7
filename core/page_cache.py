"""The full-page cache for anonymous visitors, its headers, and its purge (docs/public-site.md#caching).

``AnonymousPageCacheMiddleware`` sits right after WhiteNoise. For a GET or HEAD
from a visitor without a session or a pending message (no ``sessionid`` or
``messages`` cookie) it looks the page up before anything else runs: a hit costs
two cache reads and no query, no session, no template. On a miss the page is
rendered as usual and stored only when every rule holds:

* the view is one of ``settings.PAGE_CACHE_VIEWS`` (Wagtail's ``serve``, site search);
* the view did not call ``page_cache_skip`` (a form error, a notice about the input);
* the answer is a 200 HTML page that sets no cookie and carries no ``Cache-Control`` of its own;
* rendering never asked for a CSRF token (``get_token`` marks the request): a page with a
  POST form is never stored, so no visitor ever gets another visitor's token;
* the language the page was rendered in is the one its path names (``/es/…`` Spanish,
  unprefixed English), so the path alone keys the language;
* the query string holds only the parameters the public pages read
  (``PAGE_CACHE_QUERY_PARAMS``), each at most 100 characters; tracking parameters
  (``utm_*``, ``fbclid``, ``gclid``) are dropped from the key; any other parameter means
  the page is rendered but not stored, and one path stores at most
  ``PAGE_CACHE_MAX_VARIANTS`` query variants per version, so junk cannot fill the cache.

Stored pages go out with ``Cache-Control: public, max-age, s-maxage,
stale-while-revalidate`` and ``Vary: Cookie`` (a browser that signs in stops using its
anonymous copy; a CDN keys or bypasses on the session cookie, see docs/operations.md).
Anything else rendered for a visitor gets ``private, no-store`` unless the view chose.

A hit in one web process is kept in that process's memory too (``PAGE_CACHE_LOCAL_SECONDS``,
``PAGE_CACHE_LOCAL_ENTRIES``): the path's tokens for at most that long and the page under a key
holding those tokens, so most hits cost no round trip to the shared cache. A purge empties this
process's copy at once; the other processes see it when their tokens expire (1 s by default).

Purging: each path has a version (a random token) that is part of its keys; dropping
the version retires every query variant of that path at once. A global generation
does the same for every page (site settings, menus, a moved subtree).
``LocalPageCacheBackend`` is a Wagtail frontend-cache backend, so Wagtail's purge on
publish and unpublish (and ``purge_urls_from_cache`` from the apps) reaches this cache
exactly as it reaches Cloudflare or CloudFront.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language_from_path
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch, purge_pages_from_cache
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "pc:gen"
HIT_HEADER = "X-Page-Cache"
_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "msclkid", "mc_cid", "mc_eid"})
_MAX_VALUE_LENGTH = 100
_VIEW_ATTRIBUTE = "_page_cache_view"
_SKIP_ATTRIBUTE = "_page_cache_skip"


# This process's copy of hits (see the module docstring): key -> (monotonic expiry, value).
_local_tokens: dict[str, tuple[float, tuple[str, str]]] = {}
_local_pages: dict[str, tuple[float, tuple]] = {}
_local_lock = threading.Lock()


def page_cache_local_clear() -> None:
    """Forget this process's copy of pages and tokens (a purge, or a test that empties the cache)."""
    with _local_lock:
        _local_tokens.clear()
        _local_pages.clear()


def _local_put(store: dict, key: str, expires: float, value) -> None:
    with _local_lock:
        store.pop(key, None)
        store[key] = (expires, value)
        while len(store) > max(settings.PAGE_CACHE_LOCAL_ENTRIES, 1):
            del store[next(iter(store))]  # the oldest insertion goes first


def _local_get(store: dict, key: str):
    found = store.get(key)
    if found is None or found[0] < time.monotonic():
        return None
    return found[1]


def page_cache_skip(request: HttpRequest) -> None:
    """This answer must not be stored (it reports a form error or a notice about the visitor's input)."""
    setattr(request, _SKIP_ATTRIBUTE, True)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _path_version_key(path: str) -> str:
    return "pc:v:" + hashlib.sha256(path.encode()).hexdigest()[:32]


def normalised_query(request: HttpRequest) -> str | None:
    """The query string as it keys the page ("" for none), or None when the page must not be cached.

    Tracking parameters are left out of the key (the page does not read them) and mark the
    request so that its render, which may differ (browse marks any query string noindex), is
    served from the cache but never stored."""
    if not request.GET:
        return ""
    allowed = settings.PAGE_CACHE_QUERY_PARAMS
    pairs = []
    for name, values in request.GET.lists():
        if name.startswith("utm_") or name in _TRACKING_PARAMS:
            page_cache_skip(request)
            continue
        if name not in allowed or len(values) != 1 or len(values[0]) > _MAX_VALUE_LENGTH:
            return None
        pairs.append((name, values[0]))
    pairs.sort()
    return "&".join(f"{name}={value}" for name, value in pairs)


def _anonymous(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lookup = self._lookup(request)
        if lookup is not None and lookup[1]:
            stored = _fetch(lookup[1])
            if stored is not None:
                return _rebuild(stored, request)
        response = self.get_response(request)
        if lookup is not None and request.method == "GET" and self._storable(request, response):
            self._store(request, response, lookup)
        elif not response.has_header("Cache-Control") and (
            not _anonymous(request) or response.get("Content-Type", "").startswith("text/html")
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = f"{view_func.__module__}.{getattr(view_func, '__name__', '')}"
        setattr(request, _VIEW_ATTRIBUTE, name in settings.PAGE_CACHE_VIEWS)

    @staticmethod
    def _lookup(request: HttpRequest) -> tuple[str, str, tuple[str, str]] | None:
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD") or not _anonymous(request):
            return None
        query = normalised_query(request)
        if query is None:
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        version_key = _path_version_key(request.path)
        tokens = _local_get(_local_tokens, version_key) if settings.PAGE_CACHE_LOCAL_SECONDS > 0 else None
        if tokens is None:
            found = _cache().get_many([GENERATION_KEY, version_key])
            tokens = (found.get(GENERATION_KEY, ""), found.get(version_key, ""))
            if tokens[0] and tokens[1] and settings.PAGE_CACHE_LOCAL_SECONDS > 0:
                _local_put(_local_tokens, version_key, time.monotonic() + settings.PAGE_CACHE_LOCAL_SECONDS, tokens)
        if not tokens[0] or not tokens[1]:
            # Nothing of this path can be stored under a missing token: no lookup, a store will mint it.
            return (query, "", tokens)
        return (query, _entry_key(host, request.is_secure(), request.path, query, tokens), tokens)

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            getattr(request, _VIEW_ATTRIBUTE, False)
            and not getattr(request, _SKIP_ATTRIBUTE, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Cache-Control")
            and response.get("Content-Type", "").startswith("text/html")
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "nonce-" not in response.get("Content-Security-Policy", "")
            and getattr(request, "LANGUAGE_CODE", None)
            == (get_language_from_path(request.path_info) or settings.LANGUAGE_CODE)
        )

    @staticmethod
    def _store(request: HttpRequest, response: HttpResponse, lookup: tuple[str, str, tuple[str, str]]) -> None:
        query, _key, tokens = lookup
        cache = _cache()
        generation, version = tokens
        if not generation:
            cache.add(GENERATION_KEY, secrets.token_hex(6), None)
            generation = cache.get(GENERATION_KEY)
        version_key = _path_version_key(request.path)
        if not version:
            cache.add(version_key, secrets.token_hex(6), None)
            version = cache.get(version_key)
        if not generation or not version:
            return
        if query:
            # Each query variant of a path counts against the path's budget for this version.
            counter = f"{version_key}:n:{generation}:{version}"
            cache.add(counter, 0, settings.PAGE_CACHE_SECONDS)
            try:
                if cache.incr(counter) > settings.PAGE_CACHE_MAX_VARIANTS:
                    _headers_for_uncached(response)
                    return
            except ValueError:
                return
        _headers_for_cached(response)
        # The answer's headers as a hit sends them, worked out once here rather than on every hit.
        headers = {**dict(response.items()), "Content-Length": str(len(response.content)), HIT_HEADER: "hit"}
        entry = (response.status_code, headers, response.content, time.time())
        key = _entry_key(request.get_host(), request.is_secure(), request.path, query, (generation, version))
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        if settings.PAGE_CACHE_LOCAL_SECONDS > 0:
            _local_put(_local_pages, key, time.monotonic() + settings.PAGE_CACHE_SECONDS, entry)
        response[HIT_HEADER] = "miss"


def _entry_key(host: str, secure: bool, path: str, query: str, tokens: tuple[str, str]) -> str:
    raw = "\n".join((host, "s" if secure else "", path, query, *tokens))
    return "pc:p:" + hashlib.sha256(raw.encode()).hexdigest()


def _headers_for_cached(response: HttpResponse) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
        s_maxage=settings.PAGE_CACHE_SECONDS,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )
    # The language is the path's (checked before storing): Accept-Language would only split CDN entries.
    vary = [value.strip() for value in response.get("Vary", "").split(",") if value.strip()]
    kept = [value for value in vary if value.lower() != "accept-language"]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif "Vary" in response:
        del response["Vary"]
    patch_vary_headers(response, ("Cookie",))


def _headers_for_uncached(response: HttpResponse) -> None:
    patch_cache_control(response, private=True, no_store=True)


def _fetch(key: str) -> tuple | None:
    """A stored page: from this process's copy, else from the shared cache (then kept here too)."""
    local = settings.PAGE_CACHE_LOCAL_SECONDS > 0
    entry = _local_get(_local_pages, key) if local else None
    if entry is None:
        entry = _cache().get(key)
        if entry is None or len(entry) != 4:
            return None  # nothing stored, or a page stored by an older release
        if local:
            # Kept here no longer than the shared copy lives.
            left = entry[3] + settings.PAGE_CACHE_SECONDS - time.time()
            if left > 0:
                _local_put(_local_pages, key, time.monotonic() + left, entry)
    return entry


def _rebuild(entry, request: HttpRequest) -> HttpResponse:
    status, headers, content, _stored_at = entry
    return HttpResponse(b"" if request.method == "HEAD" else content, status=status, headers=headers)


def page_version(request: HttpRequest) -> str:
    """The page cache's tokens for this request's path (minted when missing), for fragment caches.

    A template fragment keyed on it (``{% page_version as version %}{% cache … version %}``) goes
    whenever the page cache would drop the page: a publish, a purge of the path, a menu or
    settings change. Signed-in visitors share such fragments, so they must hold nothing personal.
    Costs one cache read, none while this process trusts the tokens (``PAGE_CACHE_LOCAL_SECONDS``).
    """
    version_key = _path_version_key(request.path)
    local = settings.PAGE_CACHE_LOCAL_SECONDS > 0
    tokens = _local_get(_local_tokens, version_key) if local else None
    if tokens is None:
        cache = _cache()
        found = cache.get_many([GENERATION_KEY, version_key])
        if GENERATION_KEY not in found or version_key not in found:
            cache.add(GENERATION_KEY, secrets.token_hex(6), None)
            cache.add(version_key, secrets.token_hex(6), None)
            found = cache.get_many([GENERATION_KEY, version_key])
        tokens = (found.get(GENERATION_KEY, ""), found.get(version_key, ""))
        if not tokens[0] or not tokens[1]:
            return secrets.token_hex(6)  # the cache is failing: a key nobody shares
        if local:
            _local_put(_local_tokens, version_key, time.monotonic() + settings.PAGE_CACHE_LOCAL_SECONDS, tokens)
    return ":".join(tokens)


def page_cache_purge_paths(paths: Iterable[str]) -> None:
    """Every cached variant of these paths (``/es/experts/ada/``) goes; the next visitor renders afresh.

    Dropped now and again when the caller's transaction commits: a visitor who renders in
    between (reading the rows as they were) stores under a version the second drop retires."""
    keys = sorted({_path_version_key(path) for path in paths if path})
    if keys:
        _drop(lambda: _cache().delete_many(keys))


def _drop(delete: Callable[[], None]) -> None:
    delete()
    page_cache_local_clear()

    def again() -> None:
        delete()
        page_cache_local_clear()

    transaction.on_commit(again, robust=True)


def page_cache_purge_all() -> None:
    """Every cached page goes (a menu, the site settings or a subtree changed); now and on commit."""
    _drop(lambda: _cache().delete(GENERATION_KEY))


def page_published_purge_parent(sender, instance, **kwargs) -> None:
    """A page's parent lists it (blog index, expert index): purge it too. Wagtail's own handler
    purges the page itself from every backend."""
    parent = instance.get_parent()
    if parent is not None and parent.depth > 1:
        purge_pages_from_cache([parent])


def page_moved_purge(sender, instance, url_path_before: str, url_path_after: str, **kwargs) -> None:
    """A moved page leaves its old URL (and its subtree's): every local page goes (moves are rare, and
    the menus and breadcrumbs of other pages may name it); the CDN gets the new URLs and the old one."""
    if url_path_before == url_path_after:
        return
    page_cache_purge_all()
    batch = PurgeBatch()
    batch.add_pages([instance, *instance.get_descendants().live()])
    new_url = instance.get_full_url()
    if new_url:
        # The URL ends with the page's path below its site; swap the moved tail for the old one.
        before, after = url_path_before.rstrip("/").split("/"), url_path_after.rstrip("/").split("/")
        while before and after and before[0] == after[0]:
            before, after = before[1:], after[1:]
        new_tail, old_tail = "/".join(after) + "/", "/".join(before) + "/"
        if new_url.endswith(new_tail):
            batch.add_url(new_url[: len(new_url) - len(new_tail)] + old_tail)
    batch.purge()


def connect() -> None:
    page_published.connect(page_published_purge_parent, dispatch_uid="core_page_cache_publish_parent")
    page_unpublished.connect(page_published_purge_parent, dispatch_uid="core_page_cache_unpublish_parent")
    post_page_move.connect(page_moved_purge, dispatch_uid="core_page_cache_move")


class LocalPageCacheBackend(BaseBackend):
    """Wagtail frontend-cache backend for our own page cache: purging a URL drops its path's version."""

    def purge(self, url: str) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        page_cache_purge_paths(urlsplit(url).path or "/" for url in urls)
