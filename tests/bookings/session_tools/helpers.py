"""Shared set-up of the session tools tests: an expert, a learner and sessions in each state."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from bookings.models import Booking
from tests.builders import booking_in_state

ROOM = "https://meet.jit.si/TapTime-tools-room"


def session(learner, expert_user, *, starts_in=timedelta(days=2), status=Booking.Status.CONFIRMED, note="", **fields):
    """A paid session ``starts_in`` from now (negative: in the past)."""
    return booking_in_state(
        learner=learner,
        expert=expert_user,
        start=(timezone.now() + starts_in).replace(microsecond=0),
        status=status,
        goals_note=note,
        video_url=ROOM,
        **fields,
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def tools_section(response) -> str:
    html = response.content.decode()
    return html.split('id="session-tools"', 1)[1].split("</section>", 1)[0]
