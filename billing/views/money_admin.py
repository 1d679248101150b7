"""The operations console's money in the Wagtail admin: payments, refunds and disputes
(``/admin/ops/money/...``), for finance and administrators (``billing.view_payment``).

Each list is two queries per page (the rows with payer and payee, the count) and one more for its
totals by currency over everything the filters match; over every payment the totals equal the
ledger (``payment_totals_by_currency``). Read-only: money moves through the product's services.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from core.money import Money
from core.spreadsheets import GuardedSpreadsheetExportMixin

from ..models import Payment
from ..selectors import payment_totals_by_currency, payments_for_staff

VIEW_PERMISSION = "billing.view_payment"


class PaymentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Payment.Status.choices, label=_("Status"))
    currency = django_filters.CharFilter(field_name="currency", lookup_expr="iexact", label=_("Currency"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = Payment
        fields: list[str] = []


def _money(field: str):
    return lambda payment: Money(int(getattr(payment, field)), payment.currency).format()


class PaymentsView(GuardedSpreadsheetExportMixin, ReportView):
    page_title = _("Payments")
    header_icon = "list-ul"
    index_url_name = "ops_payments"
    index_results_url_name = "ops_payments_results"
    results_template_name = "billing/admin/money_results.html"
    filterset_class = PaymentFilterSet
    is_searchable = True
    search_fields = ["payer__email", "payer__full_name", "payee__email", "payee__full_name", "reference"]
    columns = [
        Column("reference", label=_("Reference")),
        DateColumn("created_at", label=_("Created")),
        Column("payer", label=_("Learner"), accessor="payer.email"),
        Column("payee", label=_("Expert"), accessor="payee.email"),
        Column("amount", label=_("Amount"), accessor=_money("amount_minor")),
        Column("refunded", label=_("Refunded"), accessor=_money("refunded_minor")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("dispute", label=_("Dispute"), accessor="get_dispute_status_display"),
    ]
    list_export = [
        "reference",
        "created_at",
        "payer.email",
        "payee.email",
        "amount_minor",
        "refunded_minor",
        "currency",
        "status",
        "dispute_status",
    ]
    export_headings = {
        "reference": _("Reference"),
        "created_at": _("Created (UTC)"),
        "payer.email": _("Learner"),
        "payee.email": _("Expert"),
        "amount_minor": _("Amount (minor units)"),
        "refunded_minor": _("Refunded (minor units)"),
        "currency": _("Currency"),
        "status": _("Status"),
        "dispute_status": _("Dispute"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return payments_for_staff()

    def get_queryset(self):
        return self.search_queryset(self.base_queryset())

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        totals = payment_totals_by_currency(payments=self.object_list)
        context["totals"] = [
            (currency, {key: Money(value, currency).format() for key, value in amounts.items()}, amounts)
            for currency, amounts in totals.items()
        ]
        return context


class RefundsView(PaymentsView):
    page_title = _("Refunds")
    index_url_name = "ops_refunds"
    index_results_url_name = "ops_refunds_results"

    def base_queryset(self):
        return payments_for_staff().filter(refunded_minor__gt=0)


class DisputesView(PaymentsView):
    page_title = _("Disputes")
    index_url_name = "ops_disputes"
    index_results_url_name = "ops_disputes_results"

    def base_queryset(self):
        return payments_for_staff().exclude(dispute_status="")
