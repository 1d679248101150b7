"""RSS at /blog/rss/ and Atom at /blog/atom/, in the visitor's language."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed

from .models import BlogIndexPage, BlogPage
from .selectors import blog_feed_items


class BlogRssFeed(Feed):
    description = "Guides and stories about learning from experts, one session at a time."

    def get_object(self, request: HttpRequest, *args, **kwargs) -> HttpRequest:
        self.request = request
        return request

    def title(self) -> str:
        return "TapTime blog"

    def link(self) -> str:
        index = BlogIndexPage.objects.live().filter(locale__language_code=translation.get_language()).first()
        # Absolute on the visitor's host: Django would otherwise prefix the
        # django.contrib.sites domain, which need not match Wagtail's site.
        return self.request.build_absolute_uri((index.get_url(self.request) if index else None) or "/blog/")

    def feed_url(self) -> str:
        return self.request.build_absolute_uri(self.request.path)

    def items(self) -> list[BlogPage]:
        return blog_feed_items(posts=BlogPage.objects.all(), language_code=translation.get_language() or "en")

    def item_title(self, item: BlogPage) -> str:
        return item.title

    def item_description(self, item: BlogPage) -> str:
        return item.intro

    def item_link(self, item: BlogPage) -> str:
        return self.request.build_absolute_uri(item.get_url(self.request) or "/")

    def item_pubdate(self, item: BlogPage) -> dt.datetime:
        return dt.datetime.combine(item.date, dt.time(9, 0), tzinfo=dt.UTC)

    def item_updateddate(self, item: BlogPage) -> dt.datetime:
        return item.last_published_at or timezone.now()

    def item_author_name(self, item: BlogPage) -> str | None:
        return item.author.name if item.author else None

    def item_categories(self, item: BlogPage) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class BlogAtomFeed(BlogRssFeed):
    feed_type = Atom1Feed
    subtitle = BlogRssFeed.description
