"""The site's one public address, ``settings.BASE_URL``, for every link made without a request.

Emails, calendar invites, allauth's mails and the Sites framework's domain all
come from here, so ``PORT=9000 make run`` (which sets ``BASE_URL``) and a
production deploy behind its own host name get links that work. Pages that
answer a request keep building their absolute URLs from that request
(canonical links, sitemaps, feeds): the host it came in on is checked by
``ALLOWED_HOSTS``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def public_url(path: str = "") -> str:
    """``path`` (``/bookings/3/join/``) as an absolute URL on the public site."""
    if path and not path.startswith("/"):
        raise ValueError(f"a site path starts with '/': {path!r}")
    return settings.BASE_URL.rstrip("/") + path


def public_host() -> str:
    """The public site's host name without port (``taptime.example``), e.g. for calendar UIDs."""
    return urlsplit(settings.BASE_URL).hostname or "localhost"


def public_netloc() -> str:
    """Host and port as the Sites framework stores a domain (``127.0.0.1:9000``)."""
    return urlsplit(settings.BASE_URL).netloc or public_host()


def on_public_site(url: str) -> str:
    """The same path, query and fragment as ``url``, on the public site's scheme and host.

    allauth builds its emailed links from the request's host; this moves them
    onto ``BASE_URL`` so every email agrees with the others.
    """
    parts = urlsplit(url)
    rebased = public_url(parts.path or "/")
    if parts.query:
        rebased += f"?{parts.query}"
    if parts.fragment:
        rebased += f"#{parts.fragment}"
    return rebased
