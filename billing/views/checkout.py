"""The pay step of a booking: review and pay a held booking, and the return from Stripe.

Outside live mode the review form pays on the server with a Stripe test card
(``booking_pay``). In live mode the page renders Stripe's Payment Element
(``static/js/payment-element.js``) for a PaymentIntent created here at the
booking's server-side price; the browser confirms it and Stripe sends the
learner to ``booking_paid``, which re-reads the outcome from Stripe. Webhooks
remain the source of truth; both paths confirm through the same receiver.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from bookings.access import participant_booking
from bookings.errors import BookingError
from bookings.models import Booking
from core.errors import ApplicationError

from ..forms import BookingPayForm
from ..models import Payment
from ..selectors import booking_declined_payment_reason
from ..services.checkout import (
    booking_goals_note_save,
    booking_pay,
    booking_payment_intent,
    booking_payment_return,
)
from ..services.packages import booking_credit_offer

REVIEW_TEMPLATE = "billing/booking_review.html"


def payment_page(view):
    """The review and return pages: never cached, and no script origin but our own (plus Stripe's
    on the page that loads Stripe.js): the analytics origins of the site-wide policy are dropped."""

    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response._csp_replace = {"script-src": ["'self'"]}
        return response

    return wrapped


def _review_context(request: HttpRequest, booking: Booking, form: BookingPayForm, **extra) -> dict:
    expired = not booking.hold_is_live(timezone.now())
    return {
        "booking": booking,
        "form": form,
        "expert_page": booking.expert.expert_profile.pages.live().first(),
        "duration_minutes": booking.duration_minutes,
        "learner_zone": booking.learner_zone,
        "expert_zone": booking.expert_zone,
        "expired": expired,
        # A released hold after a declined card says why, once, instead of a second banner.
        "declined_reason": booking_declined_payment_reason(booking=booking) if expired else None,
        "live_mode": settings.STRIPE_LIVE_MODE,
        # A package credit for this expert and length: book with it instead of paying (one query).
        "credit_offer": None if expired else booking_credit_offer(booking=booking),
        **extra,
    }


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "POST"])
@payment_page
def booking_review(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the held booking with its price. POST: pay for it (test cards) or, in live mode, keep the note."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    booking = participant_booking(request, pk, role="learner")
    if booking.status == Booking.Status.CONFIRMED:
        return redirect("booking_detail", pk=booking.pk)
    if settings.STRIPE_LIVE_MODE:
        return _review_live(request, booking)
    if request.method != "POST":
        form = BookingPayForm(initial={"goals_note": booking.goals_note})
        return render(request, REVIEW_TEMPLATE, _review_context(request, booking, form))
    form = BookingPayForm(request.POST)
    if not form.is_valid():
        return render(request, REVIEW_TEMPLATE, _review_context(request, booking, form), status=400)
    try:
        payment = booking_pay(
            booking=booking, test_card=form.cleaned_data["test_card"], goals_note=form.cleaned_data["goals_note"]
        )
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect("booking_review", pk=booking.pk)
    booking.refresh_from_db()
    return _after_payment(request, booking, payment)


# What the learner is told about a payment that did not book the session, by its status.
_OUTCOME_MESSAGES = {
    Payment.Status.REQUIRES_ACTION: (
        messages.WARNING,
        gettext_lazy(
            "Your bank needs to authenticate this payment. Nothing was charged yet; "
            "please try again or use another card."
        ),
    ),
    Payment.Status.SUCCEEDED: (
        messages.ERROR,
        gettext_lazy("Your payment arrived after the hold expired. Our team will refund you."),
    ),
    Payment.Status.REFUNDED: (
        messages.ERROR,
        gettext_lazy(
            "Your payment arrived after this time was no longer free, so we refunded it in full "
            "and nothing was booked. Please choose another time."
        ),
    ),
    Payment.Status.PENDING: (
        messages.INFO,
        gettext_lazy("Your payment is not complete yet. Please enter your card details to pay."),
    ),
    Payment.Status.CANCELED: (
        messages.ERROR,
        gettext_lazy("This payment was cancelled and nothing was charged. Please try again."),
    ),
}
_STILL_PROCESSING = (
    messages.INFO,
    gettext_lazy("Your payment is being processed. This page will show the booking once it is."),
)


def _after_payment(request: HttpRequest, booking: Booking, payment: Payment) -> HttpResponse:
    """Tell the learner what became of a payment attempt; confirmed bookings go to their page."""
    if booking.status == Booking.Status.CONFIRMED:
        messages.success(request, _("Payment received: your session is booked."))
        return redirect("booking_detail", pk=booking.pk)
    declined = payment.status == Payment.Status.FAILED or (
        payment.status == Payment.Status.CANCELED and payment.last_error
    )
    if not declined:  # a decline is told by the review page itself, with its reason, once
        level, message = _OUTCOME_MESSAGES.get(payment.status, _STILL_PROCESSING)
        messages.add_message(request, level, message)
    return redirect("booking_review", pk=booking.pk)


def _review_live(request: HttpRequest, booking: Booking) -> HttpResponse:
    """Live mode: the page carries Stripe's Payment Element; a POST only keeps the goals note.

    The browser posts the note (``Accept: application/json``) right before it
    asks Stripe to confirm, so the note is stored even if the learner never
    comes back from a bank's authentication page.
    """
    if request.method == "POST":
        form = BookingPayForm(request.POST, live_mode=True)
        try:
            if not form.is_valid():
                raise BookingError(
                    " ".join(str(error) for errors in form.errors.values() for error in errors), code="bad_note"
                )
            booking_goals_note_save(booking=booking, goals_note=form.cleaned_data["goals_note"])
        except ApplicationError as refused:
            if _wants_json(request):
                return JsonResponse({"error": refused.message}, status=400)
            messages.error(request, refused.message)
            return redirect("booking_review", pk=booking.pk)
        if _wants_json(request):
            return JsonResponse({"ok": True})
        messages.success(request, _("Your note is saved."))
        return redirect("booking_review", pk=booking.pk)

    form = BookingPayForm(live_mode=True, initial={"goals_note": booking.goals_note})
    extra: dict = {}
    if booking.hold_is_live(timezone.now()):
        try:
            browser = booking_payment_intent(booking=booking)
        except BookingError:
            pass  # the hold ran out in the meantime: the page says so
        except ApplicationError as failed:
            extra["payment_error"] = failed.message
        else:
            if browser.payment.status in (Payment.Status.PROCESSING, Payment.Status.SUCCEEDED):
                # Paid (or paying) in another tab: never offer to pay twice.
                return redirect("booking_paid", pk=booking.pk)
            extra["stripe_config"] = {
                "publishableKey": settings.STRIPE_PUBLISHABLE_KEY,
                "clientSecret": browser.client_secret,
                "returnUrl": request.build_absolute_uri(reverse("booking_paid", kwargs={"pk": booking.pk})),
                "locale": getattr(request, "LANGUAGE_CODE", "auto"),
                "messages": {
                    "unavailable": _("The card form could not load. Please check your connection and reload the page."),
                    "failed": _("The payment could not be completed. Please try again."),
                },
            }
    response = render(request, REVIEW_TEMPLATE, _review_context(request, booking, form, **extra))
    if "stripe_config" in extra:
        # Stripe.js may only load on the page that needs it (see STRIPE_JS_CSP).
        response._csp_update = settings.STRIPE_JS_CSP
    return response


@require_GET
@payment_page
def booking_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """Stripe's ``return_url``: re-read the booking's payment from Stripe and say what became of it.

    The ``payment_intent``, ``payment_intent_client_secret`` and
    ``redirect_status`` query parameters Stripe adds are ignored on purpose:
    anyone can type them. Only the booking's own payment, re-read from Stripe,
    counts. Once the visitor is known to be the booking's learner, the browser
    is sent to the same page without them, so the client secret does not stay
    in the address bar, the history or a shared link; the login redirect never
    carries them either, and anyone else gets the same 404 as for an unknown id.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)
    booking = participant_booking(request, pk, role="learner")
    if request.GET:
        return redirect(request.path)
    if booking.status == Booking.Status.CONFIRMED:
        return redirect("booking_detail", pk=booking.pk)
    try:
        payment = booking_payment_return(booking=booking)
    except ApplicationError as failed:
        messages.error(request, failed.message)
        return redirect("booking_review", pk=booking.pk)
    if payment is None:
        return redirect("booking_review", pk=booking.pk)
    booking.refresh_from_db()
    if payment.status in (Payment.Status.PROCESSING, Payment.Status.SUCCEEDED) and (
        booking.status != Booking.Status.CONFIRMED
    ):
        # A page of its own rather than a redirect: the review page sends paid
        # and paying bookings here, so bouncing back would loop.
        return render(
            request,
            "billing/booking_paid.html",
            {
                "booking": booking,
                "processing": payment.status == Payment.Status.PROCESSING,
                "check_again_url": reverse("booking_paid", kwargs={"pk": booking.pk}),
            },
        )
    return _after_payment(request, booking, payment)
