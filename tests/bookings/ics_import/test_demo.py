"""The demo's two calendars: served on loopback, connected to the demo expert by the seeder."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import ExpertCalendar, ImportedBusy
from demo.base import Tally
from demo.bookings import _seed_calendars
from demo.marketplace import DEMO_EXPERT_EMAIL
from tests.builders import bookable_expert
from tests.factories import ExpertUserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_serves_its_two_calendars_and_nothing_else(client):
    for name in ("google", "outlook"):
        response = client.get(f"/demo/calendars/{name}.ics")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        assert b"".join(response.streaming_content).startswith(b"BEGIN:VCALENDAR")
    assert client.get("/demo/calendars/..%2Fsettings.ics").status_code == 404
    assert client.get("/demo/calendars/other.ics").status_code == 404


def test_the_seeder_connects_both_calendars_once_and_their_times_are_busy():
    profile = bookable_expert(user=ExpertUserFactory(email=DEMO_EXPERT_EMAIL)).profile
    _seed_calendars(Tally())
    _seed_calendars(Tally())
    calendars = list(ExpertCalendar.objects.filter(profile=profile))
    assert [c.name for c in calendars] == ["Work (Google)", "Clients (Outlook)"]
    assert all(c.busy_count > 0 and c.last_success_at and not c.last_error for c in calendars)
    now = timezone.now()
    blocks = ImportedBusy.objects.filter(expert=profile.user)
    # Weekly meetings in both files, over the whole horizon.
    assert blocks.filter(start__gt=now + timedelta(days=50)).exists()
    assert calendars[0].url_hint.endswith("/…ogle.ics")
