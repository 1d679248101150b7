"""Billing in the Wagtail admin: withdrawals staff approve or reject ("Withdrawals (N)"), the
operations console's money lists (Money → Payments, Refunds, Disputes, for ``billing.view_payment``)
and "cancel with refund" on a session's page.

Bookings' session page cannot import billing, so billing registers the action there
(``bookings.session_actions``) and serves its POST at ``/admin/ops/sessions/<pk>/cancel-refund/``.
"""

from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.person_registry import PersonSection, SuspensionRule, person_section_register, suspension_rule_register
from bookings.models import Booking
from bookings.session_actions import SessionAction, session_action_register
from bookings.views.sessions_admin import registered_action_view
from core.errors import ApplicationError
from core.money import Money

from .models import Payment, TaxRate
from .selectors import withdrawals_waiting_count
from .services.refunds import LOG_REFUND
from .services.staff_cancellation import booking_cancel_by_staff_with_refund
from .services.transfer_reversals import LOG_REVERSED
from .services.withdrawals import (
    DECIDE_PERMISSION,
    LOG_APPROVE,
    LOG_FAILED,
    LOG_PAID,
    LOG_REJECT,
    LOG_REQUEST,
)
from .views.money_admin import VIEW_PERMISSION, DisputesView, PaymentsView, RefundsView
from .views.withdrawals_admin import withdrawal_detail, withdrawals_list


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


# --- The person page and suspension (accounts cannot import billing) --------------------------------


def _person_payments(person) -> list[tuple[str, str]]:
    """Their latest payments as payer or payee, one query; amounts and states only, never card data."""

    rows = Payment.objects.filter(Q(payer=person) | Q(payee=person)).order_by("-created_at")[:20]
    return [
        (
            f"{payment.created_at:%Y-%m-%d} · {payment.reference} · "
            f"{Money(int(payment.amount_minor), payment.currency).format()} · {payment.get_status_display()}",
            "",
        )
        for payment in rows
    ]


def _cancel_upcoming_with_refund(*, user, by, reason: str) -> int:
    """Suspension rule: each upcoming confirmed session of the person (as learner or expert) is
    cancelled by staff with a full refund, one at a time through the console's own service; one that
    fails (the gateway refused) stays booked and is left for staff to retry from its page."""

    upcoming = Booking.objects.filter(
        Q(learner=user) | Q(expert=user), status=Booking.Status.CONFIRMED, end__gt=timezone.now()
    ).order_by("start")
    done = 0
    for booking in upcoming:
        try:
            booking_cancel_by_staff_with_refund(booking=booking, by=by, reason=f"Account suspended: {reason}")
        except ApplicationError:
            continue
        done += 1
    return done


person_section_register(
    PersonSection("payments", gettext_lazy("Payments"), VIEW_PERMISSION, _person_payments, order=20)
)
suspension_rule_register(
    SuspensionRule(
        "cancel_refund",
        gettext_lazy("Cancel them, with a full refund to the learner"),
        _cancel_upcoming_with_refund,
    )
)


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
        (LOG_REFUND, _("Payment refunded")),
        (LOG_REVERSED, _("Withdrawal transfer reversed")),
    ):
        actions.register_action(action)(type("WithdrawalLogFormatter", (LogFormatter,), {"label": label}))


class TaxRateViewSet(SnippetViewSet):
    """Settings → Tax rates: the VAT/GST table receipts read by the learner's country."""

    model = TaxRate
    icon = "table"
    menu_label = _("Tax rates")
    menu_name = "tax-rates"
    add_to_settings_menu = True
    list_display = ["country", "name", "rate_bp", "inclusive"]
    search_fields = ["country", "name"]


register_snippet(TaxRateViewSet)
