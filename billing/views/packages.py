"""Packages for learners: buy one on the expert's page, pay for it, see its credits, book with one.

Every object is the signed-in learner's own: another learner's purchase or booking id is a 404,
like an unknown one. Paying uses the test cards outside live mode, as the booking review does.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings.access import participant_booking
from core.errors import ApplicationError
from core.pagination import page_number

from ..forms import PackagePayForm
from ..models import PackagePurchase, Payment
from ..selectors import learner_package_purchase, learner_package_purchases, package_purchase_credits
from ..services.packages import (
    booking_book_with_credit,
    offered_package,
    package_pay,
    package_payment_intent,
    package_payment_return,
    package_purchase_start,
)
from .checkout import payment_page

PURCHASE_TEMPLATE = "billing/package_purchase.html"


@require_http_methods(["GET", "POST"])
@login_required
def package_buy(request: HttpRequest, package_id: int) -> HttpResponse:
    """GET: what the package is, with a button to continue (the expert's page is cached for visitors,
    so it links here rather than carrying a form). POST: start (or continue) buying it; the purchase
    page takes the payment."""
    if request.method != "POST":
        package = offered_package(package_id=package_id)
        if package is None:
            raise Http404
        return render(request, "billing/package_buy.html", {"package": package})
    try:
        purchase = package_purchase_start(learner=request.user, package_id=package_id)
    except ApplicationError as refused:
        if refused.code == "not_offered":
            raise Http404 from None
        messages.error(request, refused.message)
        return redirect("learner_packages")
    return redirect("package_purchase", pk=purchase.pk)


def _purchase_context(purchase: PackagePurchase, form: PackagePayForm | None) -> dict:
    credits = package_purchase_credits(purchase=purchase) if purchase.status != PackagePurchase.Status.PENDING else []
    used = sum(1 for credit in credits if credit.status == credit.Status.USED)
    return {
        "purchase": purchase,
        "form": form,
        "credits": credits,
        "used": used,
        "live_mode": settings.STRIPE_LIVE_MODE,
        "zone": purchase.learner.time_zone or "UTC",
    }


@require_http_methods(["GET", "POST"])
@payment_page
@login_required
def package_purchase(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the purchase (pay form while unpaid, its credits once paid). POST: pay with a test card."""
    purchase = learner_package_purchase(learner=request.user, pk=pk)
    if purchase is None:
        raise Http404
    pending = purchase.status == PackagePurchase.Status.PENDING
    if settings.STRIPE_LIVE_MODE:
        return _purchase_live(request, purchase, pending)
    if request.method != "POST":
        form = PackagePayForm() if pending and not settings.STRIPE_LIVE_MODE else None
        return render(request, PURCHASE_TEMPLATE, _purchase_context(purchase, form))
    form = PackagePayForm(request.POST)
    if not form.is_valid():
        return render(request, PURCHASE_TEMPLATE, _purchase_context(purchase, form), status=400)
    try:
        payment = package_pay(purchase=purchase, test_card=form.cleaned_data["test_card"])
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect("package_purchase", pk=purchase.pk)
    _say_outcome(request, purchase, payment)
    return redirect("package_purchase", pk=purchase.pk)


def _purchase_live(request: HttpRequest, purchase: PackagePurchase, pending: bool) -> HttpResponse:
    """Live mode: the page carries Stripe's Payment Element for the purchase's PaymentIntent.

    The browser script posts the form (``Accept: application/json``) before it asks Stripe to
    confirm; there is nothing to save for a package, so the answer is just "go on"."""
    if request.method == "POST":
        return JsonResponse({"ok": True})
    context = _purchase_context(purchase, None)
    if pending:
        try:
            browser = package_payment_intent(purchase=purchase)
        except ApplicationError as refused:
            context["payment_error"] = refused.message
        else:
            if browser.payment.status in (Payment.Status.PROCESSING, Payment.Status.SUCCEEDED):
                return redirect("package_purchase_paid", pk=purchase.pk)  # paid in another tab
            context["stripe_config"] = {
                "publishableKey": settings.STRIPE_PUBLISHABLE_KEY,
                "clientSecret": browser.client_secret,
                "returnUrl": request.build_absolute_uri(reverse("package_purchase_paid", kwargs={"pk": purchase.pk})),
                "locale": getattr(request, "LANGUAGE_CODE", "auto"),
                "messages": {
                    "unavailable": _("The card form could not load. Please check your connection and reload the page."),
                    "failed": _("The payment could not be completed. Please try again."),
                },
            }
    response = render(request, PURCHASE_TEMPLATE, context)
    if "stripe_config" in context:
        response._csp_update = settings.STRIPE_JS_CSP  # Stripe.js only on the page that needs it
    return response


@require_GET
@payment_page
@login_required
def package_purchase_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """Stripe's ``return_url``: re-read the purchase's payment from Stripe (its query string is ignored)."""
    purchase = learner_package_purchase(learner=request.user, pk=pk)
    if purchase is None:
        raise Http404
    try:
        payment = package_payment_return(purchase=purchase)
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect("package_purchase", pk=purchase.pk)
    _say_outcome(request, purchase, payment)
    return redirect("package_purchase", pk=purchase.pk)


def _say_outcome(request: HttpRequest, purchase: PackagePurchase, payment: Payment | None) -> None:
    if payment is None:
        return
    if payment.status == Payment.Status.SUCCEEDED:
        count = purchase.sessions_count
        messages.success(
            request,
            ngettext(
                "Payment received: your package's %(count)d session is ready to book.",
                "Payment received: your package's %(count)d sessions are ready to book.",
                count,
            )
            % {"count": count},
        )
    elif payment.status == Payment.Status.FAILED:
        messages.error(
            request,
            _("The payment did not go through: %(reason)s Nothing was charged.") % {"reason": payment.last_error},
        )
    elif payment.status == Payment.Status.PROCESSING:
        messages.info(request, _("Your payment is being processed. This page will show your sessions once it is."))
    else:
        messages.warning(request, _("Your bank needs to authenticate this payment. Nothing was charged yet."))


@require_GET
@login_required
def learner_packages(request: HttpRequest) -> HttpResponse:
    """The learner's packages with their credits used and left, 20 a page."""
    page = Paginator(learner_package_purchases(learner=request.user), 20).get_page(page_number(request))
    return render(
        request,
        "billing/learner_packages.html",
        {"page_obj": page, "purchases": page.object_list, "zone": request.user.time_zone or "UTC"},
    )


@require_POST
@login_required
def booking_use_credit(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the learner's held booking with one of their package credits: no payment."""
    booking = participant_booking(request, pk, role="learner")
    note = request.POST.get("goals_note", "")
    try:
        booking = booking_book_with_credit(booking=booking, goals_note=note[:2000])
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect("booking_review", pk=booking.pk)
    messages.success(
        request,
        _("Booked with a package credit: %(used)d of %(total)d used.")
        % {"used": booking.credit_used, "total": booking.credit_total},
    )
    return redirect("booking_detail", pk=booking.pk)
