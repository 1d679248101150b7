"""Which booking a signed-in user may see: the one place that answers 404 for everyone else."""

from __future__ import annotations

from typing import Literal

from django.http import Http404, HttpRequest

from .models import Booking

Role = Literal["participant", "learner", "expert"]


def participant_booking(request: HttpRequest, pk: int, *, role: Role = "participant") -> Booking:
    """The booking if the signed-in user takes part in it (``role="learner"`` / ``"expert"``: is its learner / expert).

    Anyone else, and an unknown id, get the same 404: the URL space reveals
    nothing. The booking comes with both participants and the expert's profile
    (for their zone) in the same query.
    """
    booking = (
        Booking.objects.select_related("expert__expert_profile", "learner", "session_type__profile")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404
    allowed = {
        "learner": (booking.learner_id,),
        "expert": (booking.expert_id,),
    }.get(role, (booking.learner_id, booking.expert_id))
    if request.user.pk not in allowed:
        raise Http404
    return booking
