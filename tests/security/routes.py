"""Every URL pattern the project serves, read from Django's resolver, so a new one is swept too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, prefixes joined: "bookings/<int:pk>/review/"
    name: str | None
    view: str  # dotted path of the view
    takes_arguments: bool

    @property
    def is_admin(self) -> bool:
        return self.route.startswith(("admin/", "django-admin/"))

    def path(self) -> str:
        """The concrete path of a route without arguments."""
        assert not self.takes_arguments, self.route
        return "/" + self.route.replace("^", "").replace("$", "").replace("\\", "")


def _walk(patterns, prefix: str = "", groups: int = 0):
    for pattern in patterns:
        text = str(pattern.pattern)
        own_groups = pattern.pattern.regex.groups
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + text, groups + own_groups)
        elif isinstance(pattern, URLPattern):
            yield Route(
                route=prefix + text,
                name=pattern.name,
                view=pattern.lookup_str,
                takes_arguments=bool(groups + own_groups),
            )


def all_routes() -> list[Route]:
    # A language prefix (/es/, /de/) prints as "es/" while Spanish is active; with
    # English active it is empty, which is the unprefixed default the site serves.
    seen, routes = set(), []
    for route in _walk(get_resolver().url_patterns):
        if (route.route, route.name) not in seen:
            seen.add((route.route, route.name))
            routes.append(route)
    return routes


def leaves_the_site(location: str, host: str = "testserver") -> bool:
    """Whether a browser following this Location would end up on another site or run a script.

    Browsers drop tabs and newlines, ignore leading spaces and control characters,
    and read a backslash as a slash; the check reads the target the same way.
    """
    target = re.sub(r"[\t\n\r]", "", location).lstrip("".join(chr(c) for c in range(0x21)))
    target = target.replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return True
    if target.startswith("//") or parts.netloc:
        return (parts.hostname or "") != host
    if parts.scheme:  # "https:evil.example" – a scheme with no "//" is a relative URL on another origin
        return not target.lower().startswith((f"http://{host}", f"https://{host}"))
    return False
