"""Accounts in the Wagtail admin: the data-request queue, the operations console's people
(``/admin/ops/people/``), and the audit log's labels of staff's actions on a person."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import admin_people as views
from .admin_privacy import VIEW_PERMISSION, data_request_new, data_requests_list
from .roles import LOG_ROLES_CHANGE
from .security_events import (
    LOG_EXPORT_DOWNLOADED,
    LOG_MFA_ADDED,
    LOG_MFA_RECOVERY_RESET,
    LOG_MFA_REMOVED,
    LOG_SIGN_IN,
    LOG_SIGN_IN_FAILED,
)
from .services import (
    LOG_MFA_RESET,
    LOG_PROVIDER_LINK,
    LOG_PROVIDER_UNLINK,
    LOG_REACTIVATE,
    LOG_SESSION_END,
    LOG_SESSIONS_END_OTHERS,
    LOG_SUSPEND,
    LOG_VERIFICATION_RESEND,
)

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


@hooks.register("register_admin_urls")
def register_people_urls():
    return [
        path("ops/people/", views.PeopleIndexView.as_view(), name="ops_people"),
        path("ops/people/results/", views.PeopleIndexView.as_view(results_only=True), name="ops_people_results"),
        path("ops/people/<int:pk>/", views.person_detail, name="ops_person"),
        path("ops/people/<int:pk>/suspend/", views.person_suspend, name="ops_person_suspend"),
        path("ops/people/<int:pk>/reactivate/", views.person_reactivate, name="ops_person_reactivate"),
        path("ops/people/<int:pk>/second-factor/", views.person_mfa_reset, name="ops_person_mfa_reset"),
        path("ops/people/<int:pk>/roles/", views.person_roles_change, name="ops_person_roles"),
        path("ops/people/<int:pk>/verification/", views.person_verification_resend, name="ops_person_verification"),
    ]


class PeopleMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(views.VIEW_PEOPLE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_people_menu_item():
    return PeopleMenuItem(_("People"), reverse("ops_people"), name="ops-people", icon_name="user", order=205)


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    for action, label in (
        (LOG_SUSPEND, _("Suspend an account")),
        (LOG_REACTIVATE, _("Reactivate an account")),
        (LOG_MFA_RESET, _("Reset the second factor")),
        (LOG_VERIFICATION_RESEND, _("Resend the verification email")),
        (LOG_SESSION_END, _("End a signed-in session")),
        (LOG_SESSIONS_END_OTHERS, _("End every other signed-in session")),
        (LOG_PROVIDER_LINK, _("Link a sign-in provider")),
        (LOG_PROVIDER_UNLINK, _("Unlink a sign-in provider")),
        (LOG_ROLES_CHANGE, _("Change roles")),
        (LOG_SIGN_IN, _("Signed in")),
        (LOG_SIGN_IN_FAILED, _("Failed sign-in")),
        (LOG_MFA_ADDED, _("Second factor added")),
        (LOG_MFA_REMOVED, _("Second factor removed")),
        (LOG_MFA_RECOVERY_RESET, _("Recovery codes renewed")),
        (LOG_EXPORT_DOWNLOADED, _("Data export downloaded")),
    ):
        actions.register_action(action)(type("PersonLogFormatter", (LogFormatter,), {"label": label}))
