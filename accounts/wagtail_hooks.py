"""Accounts in the Wagtail admin: the data-request queue (its own menu item) and the audit log's labels."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from .admin_privacy import VIEW_PERMISSION, data_request_new, data_requests_list

LOG_LABELS = {
    "taptime.privacy.export_requested": _("Data export requested"),
    "taptime.privacy.erasure_requested": _("Account erasure requested"),
    "taptime.privacy.erasure_cancelled": _("Account erasure cancelled"),
    "taptime.privacy.erased": _("Account erased"),
}


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    for action, label in LOG_LABELS.items():
        actions.register_action(action)(type("PrivacyLogFormatter", (LogFormatter,), {"label": label}))


@hooks.register("register_admin_urls")
def register_data_request_urls():
    return [
        path("data-requests/", data_requests_list, name="accounts_data_requests"),
        path("data-requests/new/", data_request_new, name="accounts_data_request_new"),
    ]


class DataRequestsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_data_requests_menu_item():
    return DataRequestsMenuItem(
        _("Data requests"), reverse("accounts_data_requests"), name="data-requests", icon_name="user", order=230
    )
