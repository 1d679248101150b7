"""The public expert pages: the browse page with its category routes, and one page per expert.

Pages read, never write: they sit above the selectors and the browse form and
below the services (import-linter holds this, see docs/architecture.md), so a
page, its preview included, cannot change bookings or money. The selectors in
turn never import these classes: they are handed ``ExpertPage.objects``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.images import get_image_model_string
from wagtail.models import Page, PageManager
from wagtail.search import index

from core.links import web_link
from core.page_restrictions import OneQueryViewRestrictionsMixin
from core.seo import SeoMixin

from ..browse.listing import browse_listing_context
from ..selectors.catalogue import category_by_slug
from ..selectors.detail import Offerings, expert_offerings, expert_page_detail
from ..structured_data import expert_page_jsonld
from .categories import Category
from .profiles import ExpertProfile
from .querysets import ExpertPageQuerySet

LISTING_TEMPLATE = "marketplace/expert_index_page.html"


class ExpertIndexPage(SeoMixin, OneQueryViewRestrictionsMixin, RoutablePageMixin, Page):
    """``/experts/``: browse and search; ``/experts/<category-slug>/``: one category.

    Category slugs and expert page slugs share one URL space. Both sides refuse a
    slug the other already uses, and routing tries categories first.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = ["marketplace.ExpertPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("expert index page")

    def home_url(self) -> str:
        """The URL of the home page above this index (its only allowed parent), worked out without a query."""
        return self.url.removesuffix(f"{self.slug}/")

    def get_breadcrumbs(self, request: HttpRequest) -> list[tuple[str, str]]:
        return [(gettext("Home"), self.home_url()), (self.title, self.url)]

    def expert_pages(self) -> ExpertPageQuerySet:
        """The pages this index lists: every expert page (the listing narrows them to one locale)."""
        return ExpertPage.objects.all()

    def route(self, request, path_components):
        if len(path_components) == 1 and self.live:
            category = category_by_slug(path_components[0])
            if category is None:
                # Not a category: an expert page (or a 404) below this page.
                return self._route_to_child(request, path_components)
            request.expert_category = category
        return super().route(request, path_components)

    def _route_to_child(self, request, path_components):
        """Wagtail's child routing, one query cheaper for the usual child.

        ``Page.route`` loads the child as a plain Page and then its specific
        row: two queries. Children here are expert pages (``subpage_types``), so
        look for one directly, with its profile and photo; anything else (or nothing) takes Wagtail's path,
        which also raises the 404. The child's own ``route`` still decides, so a
        draft (not live) expert page is a 404 exactly as before.
        """
        # The page shows its profile and photo: load them in the same query.
        child = (
            ExpertPage.objects.child_of(self).filter(slug=path_components[0]).select_related("profile", "photo").first()
        )
        if child is None:
            return Page.route(self, request, path_components)
        child._cached_parent_obj = self
        return child.route(request, path_components[1:])

    @path("")
    def browse(self, request: HttpRequest) -> HttpResponse:
        context = browse_listing_context(request=request, index_page=self, category=None)
        return self.render(request, template=LISTING_TEMPLATE, context_overrides=context)

    @path("<slug:category_slug>/")
    def category(self, request: HttpRequest, category_slug: str) -> HttpResponse:
        category = getattr(request, "expert_category", None) or category_by_slug(category_slug)
        if category is None:
            raise Http404
        context = browse_listing_context(request=request, index_page=self, category=category)
        return self.render(request, template=LISTING_TEMPLATE, context_overrides=context)

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if base:
            for category in Category.objects.only("slug"):
                urls.append({"location": f"{base}{category.slug}/", "lastmod": self.last_published_at})
        return urls


class ExpertPageSkill(TaggedItemBase):
    content_object = ParentalKey("marketplace.ExpertPage", on_delete=models.CASCADE, related_name="tagged_skills")


class ExpertPage(SeoMixin, OneQueryViewRestrictionsMixin, Page):
    """The editorial profile. Changes go through the moderation workflow.

    The page title is the expert's display name. Translations share the profile
    (``profile`` is synchronised by wagtail-localize), so the link is one-to-one
    per locale, checked in ``clean``.
    """

    profile = models.ForeignKey(
        ExpertProfile, verbose_name=_("profile"), on_delete=models.PROTECT, related_name="pages"
    )
    headline = models.CharField(_("headline"), max_length=140)
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    categories = ParentalManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="expert_pages"
    )
    skills = ClusterTaggableManager(verbose_name=_("skills"), through=ExpertPageSkill, blank=True)
    languages = ParentalManyToManyField(
        "marketplace.Language", verbose_name=_("languages spoken"), blank=True, related_name="expert_pages"
    )
    # Denormalised from ``languages`` on save (e.g. "de,en"): cards show languages without a query.
    language_codes = models.CharField(max_length=200, blank=True, editable=False)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    credentials = models.TextField(_("credentials"), blank=True, help_text=_("One per line."))
    website_url = models.URLField(_("website"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    github_url = models.URLField(_("GitHub"), blank=True)
    intro_video_url = models.URLField(_("intro video link"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("profile"),
        FieldPanel("headline"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("categories"),
        FieldPanel("skills"),
        FieldPanel("languages"),
        FieldPanel("years_experience"),
        FieldPanel("credentials"),
        MultiFieldPanel(
            [FieldPanel("website_url"), FieldPanel("linkedin_url"), FieldPanel("github_url")], heading=_("Links")
        ),
        FieldPanel("intro_video_url"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("headline", boost=3),
        index.SearchField("bio"),
        index.RelatedFields("skills", [index.SearchField("name", boost=3)]),
        index.RelatedFields("categories", [index.SearchField("name", boost=2)]),
        index.FilterField("profile"),
    ]
    parent_page_types = ["marketplace.ExpertIndexPage"]
    subpage_types: list[str] = []

    objects = PageManager.from_queryset(ExpertPageQuerySet)()

    class Meta:
        verbose_name = _("expert page")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.slug and Category.objects.filter(slug=self.slug).exists():
            errors["slug"] = _("A category already uses this slug at /experts/%(slug)s/.") % {"slug": self.slug}
        if self.profile_id:
            clash = ExpertPage.objects.filter(profile_id=self.profile_id, locale_id=self.locale_id)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["profile"] = _("This expert already has a page in this language.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # In-memory for a draft or revision: this reads what is about to be saved.
        self.language_codes = ",".join(sorted(language.code for language in self.languages.all()))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "language_codes" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "language_codes"]
        return super().save(*args, **kwargs)

    @property
    def credential_list(self) -> list[str]:
        return [line.strip() for line in self.credentials.splitlines() if line.strip()]

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """The expert's links that are safe to render: http(s) only (core.links.web_link)."""
        links = [("Website", self.website_url), ("LinkedIn", self.linkedin_url), ("GitHub", self.github_url)]
        return [(label, web_link(url)) for label, url in links if web_link(url)]

    @property
    def intro_video_link(self) -> str:
        return web_link(self.intro_video_url)

    @cached_property
    def offerings(self) -> Offerings:
        """What learners can book from the expert (active session types), read once per page view."""
        return expert_offerings(profile=self.profile)

    def get_context(self, request, *args, **kwargs) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(expert_page_detail(page=self, offerings=self.offerings, request=request))
        return context

    # --- SEO (the shared {% seo_tags %}: one set of meta tags per page) -------------

    def get_seo_title(self) -> str:
        return f"{self.seo_title or self.title} — {self.headline}"

    def get_meta_description(self) -> str:
        return self.search_description or self.headline

    def get_social_image(self):
        return None  # the site's default social image; a portrait does not crop to 1200×630

    def get_og_type(self) -> str:
        return "profile"

    def get_breadcrumbs(self, request: HttpRequest) -> list[tuple[str, str]]:
        index_page = self.get_parent().specific  # cached by the index page's routing
        return [*index_page.get_breadcrumbs(request), (self.title, self.url)]

    def get_structured_data(self, request: HttpRequest) -> list[dict[str, Any]]:
        offerings = self.offerings
        return [
            expert_page_jsonld(
                page=self,
                profile=self.profile,
                session_types=offerings.session_types,
                request=request,
            )
        ]
