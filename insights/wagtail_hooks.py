"""Insights in the Wagtail admin: "Statistics" in the menu for whoever may view the figures."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import VIEW_PERMISSION, statistics_view


@hooks.register("register_admin_urls")
def register_statistics_url():
    return [path("statistics/", statistics_view, name="insights_statistics")]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_statistics_menu():
    return StatisticsMenuItem(
        _("Statistics"), reverse("insights_statistics"), name="statistics", icon_name="table", order=240
    )
