"""Wagtail pages, images and site-wide settings of the public site."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page
from wagtail.search import index

from core.http import client_ip
from core.seo import SeoMixin

from . import blocks as site_blocks
from .errors import FormRateLimited
from .forms import add_honeypot, honeypot_filled
from .services import form_submission_create

# --- Images -----------------------------------------------------------------


class CustomImage(AbstractImage):
    """Wagtail's image plus a "decorative" flag: alt text is required unless set.

    The alt text is Wagtail's own ``description`` field, so every chooser and
    ``{% image %}`` tag already uses it; decorative images render ``alt=""``.
    """

    is_decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_("Tick only if the image adds nothing for someone who cannot see it; it then gets empty alt text."),
    )

    admin_form_fields = (*Image.admin_form_fields, "is_decorative")

    @property
    def default_alt_text(self) -> str:
        return "" if self.is_decorative else (self.description or self.title)

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            # The database holds the rule too: imports and scripts cannot skip it.
            models.CheckConstraint(
                condition=models.Q(is_decorative=True) | ~models.Q(description=""),
                name="customimage_alt_text_or_decorative",
            )
        ]


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


# --- Site settings and navigation -------------------------------------------


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Brand, contact and tracking settings, edited under Settings → Site settings."""

    logo = models.ForeignKey(
        CustomImage, verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_email = models.EmailField(_("contact email"), default="hello@taptime.example")
    footer_text = models.CharField(
        _("footer text"), max_length=255, default="1:1 video sessions with vetted experts.", blank=True
    )
    default_social_image = models.ForeignKey(
        CustomImage,
        verbose_name=_("default social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Used in link previews when a page has no image of its own (1200×630 works best)."),
    )
    twitter_handle = models.CharField(_("X / Twitter handle"), max_length=40, blank=True, help_text="@taptime")
    facebook_url = models.URLField(_("Facebook"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    x_url = models.URLField(_("X"), blank=True)
    analytics_enabled = models.BooleanField(
        _("analytics enabled"),
        default=False,
        help_text=_("Off by default. When on, the script loads only after the visitor accepts analytics cookies."),
    )
    analytics_script_url = models.URLField(
        _("analytics script URL"),
        blank=True,
        help_text=_(
            "An external script (e.g. https://plausible.io/js/script.js). Its origin must also be listed in the "
            "ANALYTICS_SCRIPT_ORIGINS environment variable, or the Content Security Policy blocks it."
        ),
    )
    analytics_domain = models.CharField(
        _("analytics site id"), max_length=120, blank=True, help_text=_("Passed to the script as data-domain.")
    )

    select_related = ["logo", "default_social_image"]

    panels = [
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("footer_text"), FieldPanel("contact_email")], _("Brand")),
        MultiFieldPanel(
            [
                FieldPanel("default_social_image"),
                FieldPanel("twitter_handle"),
                FieldPanel("facebook_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("x_url"),
            ],
            _("Social"),
        ),
        MultiFieldPanel(
            [FieldPanel("analytics_enabled"), FieldPanel("analytics_script_url"), FieldPanel("analytics_domain")],
            _("Analytics (loaded only after consent)"),
        ),
    ]

    @property
    def social_links(self) -> list[tuple[str, str]]:
        pairs = [
            ("Facebook", self.facebook_url),
            ("LinkedIn", self.linkedin_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
            ("X", self.x_url),
        ]
        return [(name, url) for name, url in pairs if url]

    @property
    def analytics_active(self) -> bool:
        """Ask for consent whenever analytics are on: our own funnel counts (insights) need it even
        without a third-party script, which is loaded after consent only when its URL is set."""
        return self.analytics_enabled

    class Meta:
        verbose_name = _("site settings")


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """Main and footer menus. Page links follow the visitor's language."""

    main_menu = StreamField([("link", site_blocks.LinkBlock())], blank=True, verbose_name=_("main menu"))
    footer_menu = StreamField([("link", site_blocks.LinkBlock())], blank=True, verbose_name=_("footer menu"))

    panels = [FieldPanel("main_menu"), FieldPanel("footer_menu")]

    class Meta:
        verbose_name = _("navigation")


# --- Page types ---------------------------------------------------------------


class HomePage(SeoMixin, Page):
    """The site's front page at ``/``: hero plus a body of shared blocks."""

    hero_title = models.CharField(
        _("hero title"), max_length=120, default="Learn from vetted experts, one session at a time"
    )
    hero_text = RichTextField(_("hero text"), blank=True, features=["bold", "italic", "link"])
    hero_cta_label = models.CharField(_("call-to-action label"), max_length=40, default="Browse experts")
    hero_cta_url = models.CharField(_("call-to-action link"), max_length=200, default="/experts/")
    hero_image = models.ForeignKey(
        CustomImage, verbose_name=_("hero image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(site_blocks.body_blocks(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldRowPanel([FieldPanel("hero_cta_label"), FieldPanel("hero_cta_url")]),
                FieldPanel("hero_image"),
            ],
            _("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("hero_title"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms_pages.StandardPage",
        "cms_pages.FaqPage",
        "cms_pages.FormPage",
        "blog.BlogIndexPage",
        "marketplace.ExpertIndexPage",
    ]
    # One home per parent: translations are siblings under the root, so a
    # global max_count would forbid them.
    max_count_per_parent = 1

    def get_meta_description(self) -> str:
        return self.search_description or str(_("Book 1:1 video sessions with vetted experts, in your own time zone."))

    class Meta:
        verbose_name = _("home page")


class StandardPage(SeoMixin, Page):
    """About, How it works, Join as expert, Privacy, Terms and any generic page."""

    intro = models.TextField(_("introduction"), blank=True, max_length=400)
    hero_image = models.ForeignKey(
        CustomImage, verbose_name=_("hero image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(site_blocks.body_blocks(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms_pages.HomePage", "cms_pages.StandardPage"]
    subpage_types = ["cms_pages.StandardPage"]

    def get_meta_description(self) -> str:
        return self.search_description or self.intro[:160]

    class Meta:
        verbose_name = _("standard page")


class FaqPage(SeoMixin, Page):
    """Questions grouped by topic, published with FAQPage structured data."""

    intro = models.TextField(_("introduction"), blank=True, max_length=400)
    groups = StreamField([("group", site_blocks.FaqGroupBlock())], blank=True, verbose_name=_("question groups"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("groups")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("groups")]

    parent_page_types = ["cms_pages.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    def get_meta_description(self) -> str:
        return self.search_description or self.intro[:160]

    def get_structured_data(self, request: HttpRequest) -> list[dict[str, Any]]:
        questions = [
            {
                "@type": "Question",
                "name": item["question"],
                "acceptedAnswer": {"@type": "Answer", "text": item["answer"].source},
            }
            for group in self.groups
            for item in group.value["questions"]
        ]
        if not questions:
            return []
        return [{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions}]

    class Meta:
        verbose_name = _("FAQ page")


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(SeoMixin, AbstractEmailForm):
    """Contact and feedback forms built in the admin; submissions are kept and exportable.

    Staff get an email per submission (``to_address``); a honeypot field and a
    per-address rate limit keep bots out (see ``cms_pages.services``).
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    thank_you_title = models.CharField(_("thank-you title"), max_length=120, default="Thank you!")
    thank_you_text = RichTextField(_("thank-you text"), blank=True, features=["bold", "italic", "link"])
    submit_label = models.CharField(_("submit button label"), max_length=40, default="Send")
    # ``submissions_list_view_class`` is set in CmsPagesConfig.ready(): CSV exports prefix
    # formula-like cells with an apostrophe (cms_pages.exports). Wagtail's view module needs
    # the app registry, so it cannot be imported here.

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("submit_label"),
        MultiFieldPanel([FieldPanel("thank_you_title"), FieldPanel("thank_you_text")], _("Thank-you page")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            _("Staff notification email"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms_pages.HomePage"]
    subpage_types: list[str] = []

    def get_form(self, *args, **kwargs):
        return add_honeypot(super().get_form(*args, **kwargs))

    def serve(self, request: HttpRequest, *args, **kwargs):
        """The form, or on a valid POST the submission (rate-limited per address) and the thank-you page."""
        status = 200
        if request.method == "POST":
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.is_valid():
                if honeypot_filled(form):
                    # Look like success to the bot; store and send nothing.
                    return self.render_landing_page(request, None)
                try:
                    submission = form_submission_create(page=self, form=form, client_ip=client_ip(request))
                except FormRateLimited as error:
                    form.add_error(None, error.message)
                    status = 429
                else:
                    return self.render_landing_page(request, submission)
            else:
                status = 400
        else:
            form = self.get_form(page=self, user=request.user)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context, status=status)

    class Meta:
        verbose_name = _("form page")
