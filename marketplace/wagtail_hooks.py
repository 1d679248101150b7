"""Marketplace admin in Wagtail: categories, languages and expert profiles under one menu."""

from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from core.errors import ApplicationError

from .forms import ExpertProfileCreateForm
from .models import Category, ExpertProfile, Language
from .services import expert_profile_create


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


class ExpertProfileCreateView(CreateView):
    """ "Add expert profile": an existing account by email, through the same service the demo uses.

    A profile alone is not enough (it needs its user and a live page), so the
    generic save is replaced by ``expert_profile_create``.
    """

    def save_instance(self):
        form = self.form
        return expert_profile_create(
            user=form.user,
            index_page=form.index_page,
            headline=form.cleaned_data["headline"],
            currency=form.cleaned_data["currency"],
            time_zone=form.cleaned_data["time_zone"],
            extra={"status": form.cleaned_data["status"]},
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)


# Adding asks for the account and a headline; editing changes what staff may change later.
CREATE_PANELS = ObjectList(
    [
        FieldPanel("email"),
        FieldPanel("headline"),
        FieldPanel("status"),
        FieldPanel("time_zone"),
        FieldPanel("currency"),
    ],
    base_form_class=ExpertProfileCreateForm,
)


class ExpertProfileViewSet(SnippetViewSet):
    model = ExpertProfile
    icon = "user"
    menu_label = "Expert profiles"
    list_display = ["user", "status", "currency", "time_zone", "sessions_completed"]
    list_filter = ["status", "currency"]
    panels = [FieldPanel("status"), FieldPanel("time_zone"), FieldPanel("currency")]
    add_view_class = ExpertProfileCreateView

    def get_add_view_kwargs(self, **kwargs):
        panel = CREATE_PANELS.bind_to_model(self.model)
        return super().get_add_view_kwargs(panel=panel, form_class=panel.get_form_class(), **kwargs)


class MarketplaceGroup(SnippetViewSetGroup):
    menu_label = "Marketplace"
    menu_icon = "group"
    menu_order = 200
    items = (CategoryViewSet, LanguageViewSet, ExpertProfileViewSet)


register_snippet(MarketplaceGroup)
