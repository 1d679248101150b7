"""What the shared SEO head (``{% seo_tags %}``) asks of every page type.

Every public page type mixes this in, so titles, descriptions, Open Graph,
hreflang alternates and JSON-LD come out of one template tag and never twice.
Pages override the parts they know better.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class SeoMixin:
    def get_seo_title(self) -> str:
        return self.seo_title or self.title

    def get_meta_description(self) -> str:
        return self.search_description or ""

    def get_social_image(self):
        return getattr(self, "hero_image", None)

    def get_og_type(self) -> str:
        return "website"

    def get_breadcrumbs(self, request: HttpRequest) -> list[tuple[str, str]] | None:
        """(name, URL) from the home page down to this page, for the BreadcrumbList.

        None lets the SEO tag read the page's ancestors (one query); a page
        that knows its place in the tree without a query returns it.
        """
        return None

    def get_structured_data(self, request: HttpRequest) -> list[dict[str, Any]]:
        """Page-specific JSON-LD objects, on top of the breadcrumbs the SEO tag adds."""
        return []
