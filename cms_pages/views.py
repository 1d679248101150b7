"""Interfaces of the public site that are not Wagtail pages: robots.txt."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Private areas stay out of search engines; the language-prefixed copies too.
ROBOTS_DISALLOW = [
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/dashboard/",
    "/expert/",
    "/api/",
    "/search/",
    "/stripe/",
    "/healthz/",
]


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    for path in ROBOTS_DISALLOW:
        lines.append(f"Disallow: {path}")
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            lines.append(f"Disallow: /{code}/search/")
    lines += ["", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
