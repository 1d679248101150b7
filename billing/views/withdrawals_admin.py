"""Staff approve or reject withdrawals in the Wagtail admin (``/admin/withdrawals/``).

Only users with ``billing.decide_withdrawal`` (the "Withdrawal approvers" group, or superusers) get
past ``approver_required``; Wagtail's admin wrapper already sent everyone without admin access to
the login page. Each decision is one POST to one service, which locks the withdrawal, so a second
POST or two staff at once are told it is already decided.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import permission_denied

from core.errors import ApplicationError
from core.parsing import parse_int

from ..models import Withdrawal
from ..services.withdrawals import DECIDE_PERMISSION, NOTE_MAX, withdrawal_approve, withdrawal_reject

MAX_ID = 2**63 - 1


class WithdrawalDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))])
    note = forms.CharField(
        label=gettext_lazy("Note to the expert"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def approver_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(DECIDE_PERMISSION):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return wrapper


@approver_required
@require_http_methods(["GET"])
def withdrawals_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    rows = Withdrawal.objects.select_related("expert", "payout_account").order_by("created_at", "pk")
    if status == "open":
        rows = rows.filter(status__in=Withdrawal.OPEN)
    elif status in Withdrawal.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(parse_int(request.GET.get("p"), minimum=1, maximum=10**6) or 1)
    return TemplateResponse(
        request,
        "billing/admin/withdrawals.html",
        {"page_obj": page, "status": status, "statuses": Withdrawal.Status.choices},
    )


@approver_required
@require_http_methods(["GET", "POST"])
def withdrawal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if parse_int(str(pk), minimum=1, maximum=MAX_ID) is None:
        raise Http404
    withdrawal = Withdrawal.objects.select_related("expert", "payout_account", "decided_by").filter(pk=pk).first()
    if withdrawal is None:
        raise Http404
    form = WithdrawalDecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    decided = withdrawal_approve(withdrawal=withdrawal, by=request.user, note=form.cleaned_data["note"])
                else:
                    decided = withdrawal_reject(withdrawal=withdrawal, by=request.user, note=form.cleaned_data["note"])
            except ApplicationError as refused:
                messages.error(request, refused.message)
                return redirect("billing_withdrawal_detail", pk=withdrawal.pk)
            messages.success(
                request,
                _("Withdrawal %(id)s: %(status)s. The expert is told by email.")
                % {"id": decided.pk, "status": decided.get_status_display()},
            )
            return redirect("billing_withdrawal_detail", pk=withdrawal.pk)
        messages.error(request, _("Nothing was decided: please correct the form."))
    return TemplateResponse(
        request,
        "billing/admin/withdrawal_detail.html",
        {"withdrawal": withdrawal, "form": form},
        status=400 if request.method == "POST" else 200,
    )
