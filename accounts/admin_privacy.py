"""Staff side of data-subject requests (Wagtail admin → Data requests): the queue of every request,
and export or erasure on someone's behalf with identity-check notes. Every request is a
``DataRequest`` row and a Wagtail log entry (who, when, what)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.pagination import page_number

from .errors import AccountsError
from .forms import DataRequestAdminForm
from .models import DataRequest
from .privacy_services import privacy_erasure_request, privacy_export_request

VIEW_PERMISSION = "accounts.view_datarequest"
ADD_PERMISSION = "accounts.add_datarequest"
PER_PAGE = 50


def data_requests_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    status = request.GET.get("status", "")
    rows = DataRequest.objects.select_related("subject", "requested_by", "handled_by").order_by("-created_at", "-pk")
    if status in DataRequest.Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    notices: list[str] = []
    paginator = Paginator(rows, PER_PAGE)
    page_obj = paginator.get_page(page_number(request.GET.get("page"), notices))
    return TemplateResponse(
        request,
        "accounts/admin/data_requests.html",
        {
            "page_obj": page_obj,
            "status": status,
            "statuses": DataRequest.Status.choices,
            "notices": notices,
            "extra_query": f"status={status}" if status else "",
            "can_add": request.user.has_perm(ADD_PERMISSION),
        },
    )


@require_http_methods(["GET", "POST"])
def data_request_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    form = DataRequestAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = form.cleaned_data["email"]
        notes = form.cleaned_data["identity_check"]
        try:
            if form.cleaned_data["kind"] == "export":
                privacy_export_request(subject=subject, requested_by=request.user, identity_check=notes)
                messages.success(request, _("The export is being prepared; the person gets the link by email."))
            else:
                made = privacy_erasure_request(subject=subject, requested_by=request.user, identity_check=notes)
                messages.success(
                    request,
                    _("The erasure is scheduled for %(date)s; the person is told and can cancel until then.")
                    % {"date": made.due_at.strftime("%Y-%m-%d %H:%M UTC")},
                )
        except AccountsError as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("accounts_data_requests")
    return TemplateResponse(
        request, "accounts/admin/data_request_new.html", {"form": form}, status=400 if form.errors else 200
    )
