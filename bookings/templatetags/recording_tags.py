"""The session page's recording section: ``{% load recording_tags %}{% recording_section booking %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from ..forms import RecordingUploadForm
from ..selectors.recordings import recording_section as recording_section_read

register = template.Library()


@register.inclusion_tag("bookings/includes/_recordings.html", takes_context=True)
def recording_section(context, booking) -> dict[str, Any]:
    """Consent (before the start), the upload form (the expert, when allowed) and the players; two queries."""
    request = context["request"]
    return {
        "section": recording_section_read(booking=booking, viewer=request.user, now=timezone.now()),
        "upload_form": RecordingUploadForm(),
        "viewer_zone": context.get("viewer_zone", "UTC"),
        "csrf_token": context.get("csrf_token"),
    }
