"""Template tags for the public site's chrome: SEO head, JSON-LD, menus, languages."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from wagtail.models import Page

from cms_pages.models import SiteSettings
from cms_pages.selectors import (
    absolute_page_url,
    cached_site_setting,
    language_links,
    localized_url,
    menu_links,
    page_alternates,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def local_url(context, path: str) -> str:
    """``{% local_url "/join/" %}``: a site path in the visitor's language (see localized_url)."""
    request = context.get("request")
    return localized_url(request=request, path=path) if request is not None else path


def _absolute(request, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else request.build_absolute_uri(url)


def _site_settings(request) -> SiteSettings | None:
    # Cached across requests (see cached_site_setting); header, footer and head share it.
    return cached_site_setting(SiteSettings, request)


def breadcrumb_data(request, page: Page) -> dict[str, Any] | None:
    """BreadcrumbList from the site root down to ``page``; one query for the ancestors."""
    ancestors = list(page.get_ancestors(inclusive=True).filter(depth__gt=1))
    if len(ancestors) < 2:
        return None
    items = []
    for position, crumb in enumerate(ancestors, start=1):
        url = absolute_page_url(request, crumb)
        if url:
            items.append({"@type": "ListItem", "position": position, "name": crumb.title, "item": url})
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def breadcrumb_list(request, trail: list[tuple[str, str]]) -> dict[str, Any] | None:
    """BreadcrumbList from a page's own trail of (name, URL), home first: no query."""
    if len(trail) < 2:
        return None
    items = [
        {"@type": "ListItem", "position": position, "name": name, "item": _absolute(request, url)}
        for position, (name, url) in enumerate(trail, start=1)
    ]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def site_data(request, site_settings: SiteSettings | None) -> list[dict[str, Any]]:
    """Organization and WebSite (with the sitelinks SearchAction), for the home page."""
    home = request.build_absolute_uri("/")
    organization: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "TapTime",
        "url": home,
        "logo": request.build_absolute_uri(settings.STATIC_URL + "img/logo.svg"),
    }
    if site_settings is not None:
        organization["email"] = site_settings.contact_email
        same_as = [url for _, url in site_settings.social_links]
        if same_as:
            organization["sameAs"] = same_as
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "TapTime",
        "url": home,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": request.build_absolute_uri("/search/") + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    return [organization, website]


@register.inclusion_tag("includes/seo.html", takes_context=True)
def seo_tags(context) -> dict[str, Any]:
    """Open Graph, Twitter card, hreflang alternates and JSON-LD for the current page."""
    request = context["request"]
    page = context.get("page")
    site_settings = _site_settings(request)
    title = context.get("seo_title") or ""
    description = context.get("seo_description") or ""
    image = None
    og_type = "website"
    structured: list[dict[str, Any]] = []
    alternates: list[tuple[str, str]] = []
    if isinstance(page, Page) and page.pk:
        title = title or page.get_seo_title()
        description = description or page.get_meta_description()
        image = page.get_social_image()
        og_type = page.get_og_type()
        alternates = page_alternates(request=request, page=page)
        if "structured_data" in context:
            # A route of the page (a category listing) says what it is instead of the page.
            structured.extend(context["structured_data"])
        elif page.depth <= 2:
            structured.extend(site_data(request, site_settings))
            structured.extend(page.get_structured_data(request))
        else:
            trail = page.get_breadcrumbs(request)
            crumbs = breadcrumb_list(request, trail) if trail is not None else breadcrumb_data(request, page)
            if crumbs:
                structured.append(crumbs)
            structured.extend(page.get_structured_data(request))
    if image is None and site_settings is not None:
        image = site_settings.default_social_image
    image_url = image_alt = None
    if image is not None:
        rendition = image.get_rendition("fill-1200x630|format-jpeg")
        image_url = _absolute(request, rendition.url)
        image_alt = image.default_alt_text
    default_alternate = next((url for code, url in alternates if code == settings.LANGUAGE_CODE), None)
    return {
        "title": title,
        "description": description,
        "url": request.build_absolute_uri(request.path),
        "og_type": og_type,
        "image_url": image_url,
        "image_alt": image_alt,
        "twitter_handle": site_settings.twitter_handle if site_settings else "",
        "alternates": alternates if len(alternates) > 1 else [],
        "default_alternate": default_alternate if len(alternates) > 1 else None,
        "structured": structured,
        "locale": (context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE),
    }


@register.simple_tag(takes_context=True)
def site_menu(context, menu: str):
    request = context["request"]
    links = menu_links(request=request, menu=menu)
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_expert", False):
        # An expert has joined: no "Join as an expert" for them.
        join = localized_url(request=request, path="/join/")
        links = [link for link in links if link.url != join]
    return links


@register.simple_tag(takes_context=True)
def languages(context):
    page = context.get("page")
    return language_links(request=context["request"], page=page if isinstance(page, Page) else None)


@register.simple_tag(takes_context=True)
def site_settings(context) -> SiteSettings | None:
    return _site_settings(context["request"])
