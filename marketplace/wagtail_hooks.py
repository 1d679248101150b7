"""Marketplace admin in Wagtail: categories, languages and expert profiles under one menu."""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Category, ExpertProfile, Language


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = "Categories"
    list_display = ["name", "slug", "parent", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name"]
    ordering = ["parent__sort_order", "sort_order", "name"]


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "globe"
    menu_label = "Languages"
    list_display = ["name", "code"]


class ExpertProfileViewSet(SnippetViewSet):
    model = ExpertProfile
    icon = "user"
    menu_label = "Expert profiles"
    list_display = ["user", "status", "currency", "time_zone", "rating_avg", "sessions_completed"]
    list_filter = ["status", "currency"]
    panels = [FieldPanel("status"), FieldPanel("time_zone"), FieldPanel("currency")]


class MarketplaceGroup(SnippetViewSetGroup):
    menu_label = "Marketplace"
    menu_icon = "group"
    menu_order = 200
    items = (CategoryViewSet, LanguageViewSet, ExpertProfileViewSet)


register_snippet(MarketplaceGroup)
