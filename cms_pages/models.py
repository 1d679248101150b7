"""Wagtail pages of the public site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page at ``/``."""

    hero_title = models.CharField(
        _("hero title"), max_length=120, default="Learn from vetted experts, one session at a time"
    )
    hero_text = RichTextField(_("hero text"), blank=True, features=["bold", "italic", "link"])
    hero_cta_label = models.CharField(_("call-to-action label"), max_length=40, default="Browse experts")
    hero_cta_url = models.CharField(_("call-to-action link"), max_length=200, default="/experts/")

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_cta_label"),
        FieldPanel("hero_cta_url"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
