"""schema.org JSON-LD for expert and category pages (emitted as application/ld+json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models.categories import Category
    from .models.offerings import SessionType
    from .models.pages import ExpertPage
    from .models.profiles import ExpertProfile


# Higher apps add to an expert's Service node here (``reviews`` adds its public ``review`` items): the
# catalogue imports no higher app. Each is called with ``profile`` and ``request`` and returns fields.
expert_jsonld_extensions: list[Callable[..., dict[str, Any]]] = []


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def expert_page_jsonld(
    *,
    page: ExpertPage,
    profile: ExpertProfile,
    session_types: list[SessionType],
    request,
) -> dict[str, Any]:
    url = _absolute(request, page.url)
    person: dict[str, Any] = {
        "@type": "Person",
        "@id": f"{url}#person",
        "name": page.title,
        "jobTitle": page.headline,
        "url": url,
    }
    if page.bio:
        person["description"] = page.bio[:500]
    if page.photo_id and page.photo:
        person["image"] = _absolute(request, page.photo.get_rendition("fill-320x320").url)
    same_as = [link for _label, link in page.social_links]
    if same_as:
        person["sameAs"] = same_as
    offers = [
        {
            "@type": "Offer",
            "name": f"{session.duration_minutes}-minute session",
            "price": str(session.price.decimal),
            "priceCurrency": session.currency,
            "availability": "https://schema.org/InStock",
            "url": url,
        }
        for session in session_types
    ]
    service: dict[str, Any] = {
        "@type": "Service",
        "name": f"1:1 sessions with {page.title}",
        "serviceType": "Expert consultation",
        "provider": {"@id": f"{url}#person"},
        "url": url,
    }
    if offers:
        service["offers"] = offers
    if profile.has_ratings:
        service["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": str(profile.rating_avg),
            "ratingCount": profile.rating_count,
            "bestRating": "5",
            "worstRating": "1",
        }
        for extension in expert_jsonld_extensions:
            service.update(extension(profile=profile, request=request))
    return {"@context": "https://schema.org", "@graph": [person, service]}


def category_page_jsonld(*, category: Category, index_page, expert_pages, request) -> dict[str, Any]:
    index_url = _absolute(request, index_page.url)
    crumbs = [("Home", _absolute(request, "/")), (index_page.title, index_url)]
    if category.parent_id:
        crumbs.append((category.parent.name, f"{index_url}{category.parent.slug}/"))
    crumbs.append((category.name, f"{index_url}{category.slug}/"))
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(crumbs, start=1)
        ],
    }
    item_list = {
        "@type": "ItemList",
        "name": category.name,
        "numberOfItems": len(expert_pages),
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": _absolute(request, page.url), "name": page.title}
            for position, page in enumerate(expert_pages, start=1)
        ],
    }
    return {"@context": "https://schema.org", "@graph": [breadcrumbs, item_list]}
