"""The learner's rating page and the expert's reviews screen: parse, check who asks, call one service.

A booking that is not the signed-in learner's answers 404 (``bookings.access``), and so does a
review that is not one of the signed-in expert's: the URL space reveals nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bookings.access import participant_booking
from core.errors import ApplicationError
from marketplace.access import expert_required

from .errors import ReviewError
from .forms import ReviewReplyForm, ReviewReportForm, SessionRatingForm
from .models import SUB_RATINGS, SessionReview
from .selectors import expert_own_reviews
from .services import review_reply, review_report, review_submit, review_writable_check


@require_http_methods(["GET", "POST"])
@login_required
def booking_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """``/bookings/<id>/rate/``: the learner rates a completed session, or changes the rating within the window."""
    booking = participant_booking(request, pk, role="learner")
    now = timezone.now()
    try:
        review_writable_check(booking=booking, user=request.user, now=now)
    except ReviewError as refused:
        messages.error(request, refused.message)
        return redirect("booking_detail", pk=booking.pk)
    review = SessionReview.objects.filter(booking=booking).first()
    if request.method == "POST":
        form = SessionRatingForm(request.POST)
        if form.is_valid():
            try:
                review_submit(booking=booking, learner=request.user, now=now, **form.cleaned_data)
            except ApplicationError as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request,
                    _("Thank you. Your review is published within a few days; you can change it until then and after."),
                )
                return redirect("learner_dashboard")
    else:
        initial = {}
        if review is not None:
            initial = {name: getattr(review, name) for name in ("rating", *SUB_RATINGS, "text", "private_note")}
        form = SessionRatingForm(initial=initial)
    return render(request, "reviews/rate.html", {"form": form, "booking": booking, "review": review})


@expert_required
def expert_reviews(request: HttpRequest) -> HttpResponse:
    """``/expert/reviews/``: the expert's published reviews, with a reply and a report form each."""
    return render(
        request,
        "reviews/expert_reviews.html",
        {
            "reviews": expert_own_reviews(expert=request.user, raw_page=request.GET.get("page")),
            "reply_form": ReviewReplyForm(),
            "report_form": ReviewReportForm(),
        },
    )


def _own_published_review(request: HttpRequest, pk: int) -> SessionReview:
    review = SessionReview.objects.filter(pk=pk, profile__user=request.user, published_at__isnull=False).first()
    if review is None:
        raise Http404
    return review


def _form_error(form) -> str:
    return next(iter(form.errors.values()))[0]


@require_POST
@expert_required
def expert_review_reply(request: HttpRequest, pk: int) -> HttpResponse:
    review = _own_published_review(request, pk)
    form = ReviewReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form))
        return redirect("expert_reviews")
    try:
        review_reply(review=review, expert=request.user, text=form.cleaned_data["text"])
    except ApplicationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your reply is published under the review."))
    return redirect("expert_reviews")


@require_POST
@expert_required
def expert_review_report(request: HttpRequest, pk: int) -> HttpResponse:
    review = _own_published_review(request, pk)
    form = ReviewReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say why you are reporting this review."))
        return redirect("expert_reviews")
    try:
        review_report(review=review, reporter=request.user, reason=form.cleaned_data["reason"])
    except ApplicationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("Thank you. TapTime's moderators will look at this review; it stays visible meanwhile.")
        )
    return redirect("expert_reviews")
