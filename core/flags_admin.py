"""Feature flags in the Wagtail admin (Settings → Feature flags): waffle's flags, edited by holders of
``waffle.change_flag`` (administrators). Edits are logged with before/after (core.settings_audit)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from waffle.models import Flag
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet


class FlagViewSet(ModelViewSet):
    model = Flag
    menu_label = _("Feature flags")
    icon = "tick-inverse"
    add_to_settings_menu = True
    menu_order = 900
    list_display = ["name", "everyone", "staff", "note", "modified"]
    search_fields = ["name", "note"]
    panels = [
        FieldPanel("name", help_text=_("One of the names the code reads (core.flags), e.g. announcements.")),
        FieldPanel("everyone", help_text=_("Yes: on for all. No: off for all. Unknown: decided by the boxes below.")),
        FieldPanel("staff"),
        FieldPanel("superusers"),
        FieldPanel("groups"),
        FieldPanel("note"),
    ]
    copy_view_enabled = False
    inspect_view_enabled = True
