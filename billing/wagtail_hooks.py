"""Billing in the Wagtail admin: the operations console's money lists (Money → Payments, Refunds,
Disputes, for ``billing.view_payment``) and "cancel with refund" on a session's page.

Bookings' session page cannot import billing, so billing registers the action there
(``bookings.session_actions``) and serves its POST at ``/admin/ops/sessions/<pk>/cancel-refund/``.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from bookings.models import Booking
from bookings.session_actions import SessionAction, session_action_register
from bookings.views.sessions_admin import registered_action_view

from .services.staff_cancellation import booking_cancel_by_staff_with_refund
from .views.money_admin import VIEW_PERMISSION, DisputesView, PaymentsView, RefundsView


def _cancellable(booking: Booking, now) -> bool:
    return booking.status == Booking.Status.CONFIRMED and (booking.end > now or booking.cancelling_by == "staff")


session_action_register(
    SessionAction(
        key="cancel_refund",
        label=gettext_lazy("Cancel with a full refund"),
        url_name="ops_session_cancel_refund",
        help_text=gettext_lazy(
            "The learner gets the whole price back on their card; the time is freed and both participants are "
            "emailed. Cannot be undone."
        ),
        available=_cancellable,
        danger=True,
    )
)


@hooks.register("register_admin_urls")
def register_ops_cancel_refund_url():
    view = registered_action_view(
        key="cancel_refund",
        service=booking_cancel_by_staff_with_refund,
        done_message=gettext_lazy("Cancelled and refunded in full. Both participants are told by email."),
    )
    return [path("ops/sessions/<int:pk>/cancel-refund/", view, name="ops_session_cancel_refund")]


@hooks.register("register_admin_urls")
def register_ops_money_urls():
    urls = []
    for view, slug, name in (
        (PaymentsView, "payments", "ops_payments"),
        (RefundsView, "refunds", "ops_refunds"),
        (DisputesView, "disputes", "ops_disputes"),
    ):
        urls += [
            path(f"ops/money/{slug}/", view.as_view(), name=name),
            path(f"ops/money/{slug}/results/", view.as_view(results_only=True), name=f"{name}_results"),
        ]
    return urls


class MoneyMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_money_menu():
    items = [
        MoneyMenuItem(
            gettext_lazy("Payments"), reverse("ops_payments"), name="ops-payments", icon_name="list-ul", order=1
        ),
        MoneyMenuItem(gettext_lazy("Refunds"), reverse("ops_refunds"), name="ops-refunds", icon_name="undo", order=2),
        MoneyMenuItem(
            gettext_lazy("Disputes"), reverse("ops_disputes"), name="ops-disputes", icon_name="warning", order=3
        ),
    ]
    return SubmenuMenuItem(gettext_lazy("Money"), Menu(items=items), name="ops-money", icon_name="list-ul", order=230)
