"""Accounts in the Wagtail admin: the operations console's people (``/admin/ops/people/``) and the
audit log's labels of staff's actions on a person."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import admin_people as views
from .services import LOG_MFA_RESET, LOG_REACTIVATE, LOG_SUSPEND, LOG_VERIFICATION_RESEND


@hooks.register("register_admin_urls")
def register_people_urls():
    return [
        path("ops/people/", views.PeopleIndexView.as_view(), name="ops_people"),
        path("ops/people/results/", views.PeopleIndexView.as_view(results_only=True), name="ops_people_results"),
        path("ops/people/<int:pk>/", views.person_detail, name="ops_person"),
        path("ops/people/<int:pk>/suspend/", views.person_suspend, name="ops_person_suspend"),
        path("ops/people/<int:pk>/reactivate/", views.person_reactivate, name="ops_person_reactivate"),
        path("ops/people/<int:pk>/second-factor/", views.person_mfa_reset, name="ops_person_mfa_reset"),
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
    ):
        actions.register_action(action)(type("PersonLogFormatter", (LogFormatter,), {"label": label}))
