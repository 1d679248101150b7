"""/sitemap.xml over every language of the site: live, public pages only."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class AllLocalesSitemap(Sitemap):
    """Wagtail's sitemap walks one root; translated homes are its siblings, so walk them all."""

    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).values_list("path", flat=True)
        under_any_root = Q()
        for path in roots:
            under_any_root |= Q(path__startswith=path)
        return Page.objects.filter(under_any_root).live().public().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        # Wagtail builds locations from the Site record's hostname; use the
        # host the crawler asked for, so the sitemap matches canonical links.
        urls = super()._urls(page, protocol, domain)
        for info in urls:
            parts = urlsplit(info["location"])
            info["location"] = self.request.build_absolute_uri(parts.path + (f"?{parts.query}" if parts.query else ""))
        return urls
