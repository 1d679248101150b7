"""Billing in the Wagtail admin: withdrawals staff approve or reject ("Withdrawals (N)")."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.log_actions import LogFormatter

from .selectors import withdrawals_waiting_count
from .services.withdrawals import (
    DECIDE_PERMISSION,
    LOG_APPROVE,
    LOG_FAILED,
    LOG_PAID,
    LOG_REJECT,
    LOG_REQUEST,
)
from .views.withdrawals_admin import withdrawal_detail, withdrawals_list


@hooks.register("register_admin_urls")
def register_withdrawal_urls():
    return [
        path("withdrawals/", withdrawals_list, name="billing_withdrawals"),
        path("withdrawals/<int:pk>/", withdrawal_detail, name="billing_withdrawal_detail"),
    ]


class WithdrawalsMenuItem(MenuItem):
    """Shown to staff who may decide, labelled with how many withdrawals wait (one count query)."""

    def is_shown(self, request) -> bool:
        return request.user.has_perm(DECIDE_PERMISSION)

    def render_component(self, request):
        waiting = withdrawals_waiting_count()
        label = _("Withdrawals (%(n)s)") % {"n": waiting} if waiting else _("Withdrawals")
        return LinkMenuItem(self.name, label, self.url, icon_name=self.icon_name, classname=self.classname)


@hooks.register("register_admin_menu_item")
def register_withdrawals_menu_item():
    return WithdrawalsMenuItem(
        _("Withdrawals"), reverse("billing_withdrawals"), name="withdrawals", icon_name="doc-full", order=230
    )


@hooks.register("register_log_actions")
def register_withdrawal_log_actions(actions):
    for action, label in (
        (LOG_REQUEST, _("Request a withdrawal")),
        (LOG_APPROVE, _("Approve a withdrawal")),
        (LOG_REJECT, _("Reject a withdrawal")),
        (LOG_PAID, _("Withdrawal paid out")),
        (LOG_FAILED, _("Withdrawal transfer failed")),
    ):
        actions.register_action(action)(type("WithdrawalLogFormatter", (LogFormatter,), {"label": label}))
