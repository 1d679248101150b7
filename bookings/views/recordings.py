"""Recording a session: consent on the session page, the expert's upload, playback for the two participants.

Every file goes out through ``recording_file``, which checks the viewer on each request: anyone
but the session's learner and expert (signed in or not) gets the 404 an unknown id gets.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError

from ..access import participant_booking
from ..forms import RecordingUploadForm
from ..recording_files import recording_file_response
from ..selectors.recordings import recording_for_participant
from ..services.recordings import recording_consent_give, recording_consent_withdraw, recording_upload


def _back(booking_pk: int) -> HttpResponse:
    return redirect(reverse("booking_detail", kwargs={"pk": booking_pk}) + "#recording")


@require_POST
def booking_recording_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """POST ``answer=give`` or ``answer=withdraw``: the signed-in participant's consent to recording."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("booking_detail", kwargs={"pk": pk}))
    booking = participant_booking(request, pk)
    answer = request.POST.get("answer")
    try:
        if answer == "give":
            recording_consent_give(booking=booking, by=request.user)
            messages.success(request, _("You agreed to record this session. It is recorded only if both of you agree."))
        elif answer == "withdraw":
            recording_consent_withdraw(booking=booking, by=request.user)
            messages.success(request, _("You withdrew your consent. This session will not be recorded."))
        else:
            messages.error(request, _("Something was missing from the form. Please try again."))
    except ApplicationError as refused:
        messages.error(request, refused.message)
    return _back(booking.pk)


@require_POST
def booking_recording_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's expert uploads a recording file (multipart ``file``)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("booking_detail", kwargs={"pk": pk}))
    booking = participant_booking(request, pk, role="expert")
    form = RecordingUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", [_("Choose a file to upload.")])))
        return _back(booking.pk)
    try:
        recording_upload(booking=booking, by=request.user, upload=form.cleaned_data["file"])
    except ApplicationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The recording is saved. Only the two of you can play it."))
    return _back(booking.pk)


@require_GET
def recording_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The recording, inline for the page's player or as a download (``?download=1``), byte ranges allowed."""
    recording = recording_for_participant(user=request.user, pk=pk)
    if recording is None:
        raise Http404
    return recording_file_response(request, recording, download=request.GET.get("download") == "1")
