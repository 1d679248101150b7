"""Reads for the blog screens, each with a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import QueryDict
from django.utils.functional import SimpleLazyObject
from taggit.models import Tag

from cms_pages.models import CustomImage
from core.pagination import page_number

from .models.snippets import BlogCategory

if TYPE_CHECKING:
    from .models.pages import BlogPage

POSTS_PER_PAGE = 9
RELATED_POSTS = 3


def _images() -> QuerySet[CustomImage]:
    # All renditions of each image in one query: templates ask for several sizes and formats.
    return CustomImage.objects.prefetch_renditions()


def post_listing(queryset: QuerySet[BlogPage]) -> QuerySet[BlogPage]:
    """What a post card needs (author, image with renditions, tags) in a constant number of queries."""
    return (
        queryset.live()
        .public()
        .select_related("author", "locale")
        .prefetch_related(
            Prefetch("hero_image", queryset=_images()),
            "tags",
            "categories",
        )
        .defer_streamfields()
        .order_by("-date", "-pk")
    )


def _clean_filter(raw: str | None, limit: int) -> str:
    # PostgreSQL refuses NUL bytes; no real tag or slug holds control characters.
    return "".join(ch for ch in (raw or "") if ch.isprintable()).strip()[:limit]


def blog_index_context(*, posts: QuerySet[BlogPage], params: QueryDict) -> dict[str, Any]:
    """A blog index's listing: ``posts`` are its children (``BlogPage.objects.child_of(index)``)."""
    children = posts
    posts = post_listing(children)
    tag = _clean_filter(params.get("tag"), 100)
    category_slug = _clean_filter(params.get("category"), 80)
    active_category = None
    if tag:
        posts = posts.filter(tags__slug=tag)
    if category_slug:
        active_category = BlogCategory.objects.filter(slug=category_slug).first()
        posts = posts.filter(categories__slug=category_slug)
    paginator = Paginator(posts, POSTS_PER_PAGE)
    number = page_number(params.get("page"))
    try:
        page_obj = paginator.page(number)
    except (EmptyPage, PageNotAnInteger):
        page_obj = paginator.page(paginator.num_pages)
    live_posts = children.live().public()
    tags = (
        Tag.objects.filter(blog_blogpagetag_items__content_object__in=live_posts)
        .annotate(uses=Count("blog_blogpagetag_items"))
        .order_by("-uses", "name")[:20]
    )
    categories = BlogCategory.objects.filter(blogpage__in=live_posts).distinct().order_by("name")
    return {
        "posts": page_obj,
        "paginator": paginator,
        "active_tag": tag,
        "active_category": active_category,
        "active_category_slug": category_slug,
        "all_tags": list(tags),
        "all_categories": list(categories),
        "filter_query": urlencode({k: v for k, v in (("tag", tag), ("category", category_slug)) if v}),
    }


def blog_post_context(*, post: BlogPage) -> dict[str, Any]:
    """Related posts share a tag; the newest others fill the remaining places.

    Read when first used: the post renders them into a fragment cached per version of the page
    (templates/blog/blog_page.html), and a fragment from the cache reads none."""
    return {"related_posts": SimpleLazyObject(lambda: _related_posts(post))}


def _related_posts(post: BlogPage) -> list[BlogPage]:
    tag_ids = [tag.pk for tag in post.tags.all()]
    siblings = post_listing(type(post).objects.sibling_of(post, inclusive=False))
    related = list(siblings.filter(tags__in=tag_ids).distinct()[:RELATED_POSTS]) if tag_ids else []
    if len(related) < RELATED_POSTS:
        related += list(siblings.exclude(pk__in=[p.pk for p in related])[: RELATED_POSTS - len(related)])
    return related


def blog_feed_items(*, posts: QuerySet[BlogPage], language_code: str, limit: int = 20) -> list[BlogPage]:
    """The newest posts of one language out of ``posts`` (``BlogPage.objects``), for the feeds."""
    return list(post_listing(posts.filter(locale__language_code=language_code))[:limit])
