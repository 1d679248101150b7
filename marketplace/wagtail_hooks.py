"""Marketplace admin in Wagtail: categories, languages and expert profiles under one menu, and
the expert application review queue (its own menu item, with the count waiting)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from accounts.person_registry import PersonSection, person_section_register
from core.admin_panels import CountPanel, PanelCount
from core.errors import ApplicationError

from .forms import ExpertProfileCreateForm
from .models import Category, ExpertApplication, ExpertProfile, Language
from .selectors.review_queue import applications_waiting_count
from .services import application_review as review
from .services import expert_profile_create
from .views.review import review_detail, review_queue


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


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("applications/", review_queue, name="marketplace_review_queue"),
        path("applications/<int:pk>/", review_detail, name="marketplace_review_detail"),
    ]


class ReviewQueueMenuItem(MenuItem):
    """Shown to reviewers only, labelled with how many applications wait for a decision (one count query)."""

    def is_shown(self, request) -> bool:
        return request.user.has_perm(review.REVIEW_PERMISSION)

    def render_component(self, request):
        waiting = applications_waiting_count()
        # Short enough for the sidebar to show the count in full.
        label = _("Applications (%(n)s)") % {"n": waiting} if waiting else _("Applications")
        return LinkMenuItem(self.name, label, self.url, icon_name=self.icon_name, classname=self.classname)


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return ReviewQueueMenuItem(
        _("Applications"),
        reverse("marketplace_review_queue"),
        name="expert-applications",
        icon_name="clipboard-list",
        order=210,
    )


REVIEW_LOG_LABELS = {
    review.LOG_CLAIM: _("Claim expert application"),
    review.LOG_NOTE: _("Add reviewer note"),
    review.LOG_DOCUMENT: _("Check application document"),
    review.LOG_CHANGES: _("Request changes to expert application"),
    review.LOG_REJECT: _("Reject expert application"),
    review.LOG_APPROVE: _("Approve expert application"),
}


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    for action, label in REVIEW_LOG_LABELS.items():
        actions.register_action(action)(type("ReviewLogFormatter", (LogFormatter,), {"label": label}))


@hooks.register("construct_homepage_panels")
def add_applications_panel(request, panels):
    """The admin home's "needs a person" count of applications waiting (one count query), for reviewers."""
    if not request.user.has_perm(review.REVIEW_PERMISSION):
        return
    panels.append(
        CountPanel(
            name="applications",
            heading=_("Expert applications"),
            counts=[
                PanelCount("waiting", _("applications waiting for a decision"), reverse("marketplace_review_queue"))
            ],
            read=lambda: {"waiting": applications_waiting_count()},
            order=52,
        )
    )


def _person_applications(person) -> list[tuple[str, str]]:
    """Their expert applications (one query)."""

    rows = ExpertApplication.objects.filter(user=person).order_by("-pk")[:10]
    return [
        (
            f"#{application.pk} · {application.get_status_display()}",
            reverse("marketplace_review_detail", args=[application.pk]),
        )
        for application in rows
    ]


person_section_register(
    PersonSection("applications", _("Expert applications"), review.REVIEW_PERMISSION, _person_applications, order=40)
)
