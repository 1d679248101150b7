"""Categories (a two-level tree) and the languages experts speak."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index


class Category(index.Indexed, models.Model):
    """A category or, when it has a parent, a subcategory. Never deeper than two levels."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Leave empty for a top-level category. Subcategories cannot have children."),
    )
    name = models.CharField(_("name"), max_length=80)
    # Shares the /experts/<slug>/ URL space with expert pages: see clean().
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=160, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("image"),
        FieldPanel("sort_order"),
        FieldPanel("seo_title"),
        FieldPanel("seo_description"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="marketplace_category_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.parent_id:
            if self.parent.parent_id:
                errors["parent"] = _("Categories have two levels: pick a top-level category as the parent.")
            elif self.pk and self.parent_id == self.pk:
                errors["parent"] = _("A category cannot be its own parent.")
            elif self.pk and self.children.exists():
                errors["parent"] = _("This category has subcategories, so it must stay at the top level.")
        if self.slug and self._slug_taken_by_expert_page():
            errors["slug"] = _("An expert page already uses this slug at /experts/%(slug)s/.") % {"slug": self.slug}
        if errors:
            raise ValidationError(errors)

    def _slug_taken_by_expert_page(self) -> bool:
        # Asked of Wagtail's page tree by content type: the expert page model is a
        # layer above this one (it links to categories), so it is not imported here.
        return Page.objects.filter(
            slug=self.slug, content_type__app_label=self._meta.app_label, content_type__model="expertpage"
        ).exists()

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None


class Language(models.Model):
    """A language an expert can hold sessions in (ISO 639-1 code)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=60)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
