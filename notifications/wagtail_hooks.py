"""Announcements in the Wagtail admin (administrators): write one, choose its audience and window,
and whether it is also emailed. Creating and editing are logged by Wagtail's own actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from .announcements import category_audience
from .models import Announcement


def _category_choices() -> list[tuple[str, str]]:
    registered = category_audience()
    choices = registered.choices() if registered is not None else []
    return [("", "—"), *((str(pk), name) for pk, name in choices)]


class AnnouncementForm(WagtailAdminModelForm):
    category_id = forms.TypedChoiceField(
        label=_("Category"),
        choices=_category_choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only for the audience “The experts of one category”."),
    )

    class Meta:
        model = Announcement
        fields = ["title", "body", "audience", "category_id", "starts_at", "ends_at", "send_email"]

    def clean(self):
        data = super().clean()
        is_category = data.get("audience") == Announcement.Audience.CATEGORY_EXPERTS
        if is_category and not data.get("category_id"):
            self.add_error("category_id", _("Choose the category whose experts should see it."))
        if not is_category:
            data["category_id"] = None
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        return data


class AnnouncementCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class AnnouncementViewSet(ModelViewSet):
    model = Announcement
    form_class = AnnouncementForm
    add_view_class = AnnouncementCreateView
    icon = "info-circle"
    menu_label = _("Announcements")
    add_to_admin_menu = True
    menu_order = 240
    list_display = ["title", "audience", "starts_at", "ends_at", "send_email", "emailed_at"]
    list_filter = ["audience", "send_email"]
    search_fields = ["title", "body"]
    copy_view_enabled = False
    panels = [
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("audience"),
        FieldPanel("category_id"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("send_email"),
    ]


@hooks.register("register_admin_viewset")
def register_announcements():
    return AnnouncementViewSet("announcements")
