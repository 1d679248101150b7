"""The blog: an index at /blog/, posts, authors, categories and tags."""

from __future__ import annotations

import math
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms_pages import blocks as site_blocks
from cms_pages.models import CustomImage
from cms_pages.selectors import absolute_page_url
from core.seo import SeoMixin

from ..selectors import blog_index_context, blog_post_context
from .snippets import BlogAuthor, BlogCategory

WORDS_PER_MINUTE = 220


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("blog.BlogPage", on_delete=models.CASCADE, related_name="tagged_items")


class BlogIndexPage(SeoMixin, Page):
    """Lists posts newest first, filtered by ``?tag=`` or ``?category=``, paginated."""

    intro = models.TextField(_("introduction"), blank=True, max_length=400)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = ["blog.BlogPage"]
    max_count_per_parent = 1

    def get_meta_description(self) -> str:
        return self.search_description or self.intro[:160]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(blog_index_context(posts=BlogPage.objects.child_of(self), params=request.GET))
        return context

    class Meta:
        verbose_name = _("blog index")


class BlogPage(SeoMixin, Page):
    date = models.DateField(_("post date"))
    author = models.ForeignKey(
        BlogAuthor, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    intro = models.TextField(_("introduction"), max_length=400)
    hero_image = models.ForeignKey(
        CustomImage, verbose_name=_("hero image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(site_blocks.body_blocks(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True, verbose_name=_("tags"))
    categories = ParentalManyToManyField(BlogCategory, blank=True, verbose_name=_("categories"))
    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=1, editable=False)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author"), FieldPanel("tags"), FieldPanel("categories")], _("Post")
        ),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types: list[str] = []

    def save(self, *args, **kwargs):
        # Stored so listings show it without loading every body.
        self.reading_minutes = self.compute_reading_minutes()
        super().save(*args, **kwargs)

    def compute_reading_minutes(self) -> int:
        words = len(self.intro.split())
        for block in self.body:
            if block.block_type == "paragraph":
                words += len(strip_tags(block.value.source).split())
            elif block.block_type in ("heading", "quote"):
                words += len(" ".join(str(v) for v in block.value.values()).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def get_meta_description(self) -> str:
        return self.search_description or self.intro[:160]

    def get_og_type(self) -> str:
        return "article"

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(blog_post_context(post=self))
        return context

    def get_structured_data(self, request: HttpRequest) -> list[dict[str, Any]]:
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": self.title[:110],
            "description": self.get_meta_description(),
            "datePublished": self.date.isoformat(),
            "dateModified": (self.last_published_at.date() if self.last_published_at else self.date).isoformat(),
            "mainEntityOfPage": absolute_page_url(request, self),
            "inLanguage": self.locale.language_code,
            "wordCount": self.reading_minutes * WORDS_PER_MINUTE,
            "publisher": {"@type": "Organization", "name": "TapTime"},
        }
        if self.author_id:
            data["author"] = {"@type": "Person", "name": self.author.name}
        if self.hero_image_id:
            rendition = self.hero_image.get_rendition("fill-1200x630|format-jpeg")
            data["image"] = request.build_absolute_uri(rendition.url)
        return [data]

    class Meta:
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")
