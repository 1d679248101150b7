from datetime import time

import pytest

from bookings.models import WeeklyHours
from bookings.services import weekly_hours_replace
from demo.base import Tally
from demo.bookings import AVAILABILITY_PATTERNS, _seed_availability
from tests.factories import ExpertUserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


def test_every_demo_expert_gets_weekly_hours_once_and_keeps_their_own_edits(expert_index):
    demo = [
        make_expert(expert_index, name=f"Demo {n}", user=ExpertUserFactory(email=f"demo{n}@experts.taptime.example"))
        for n in range(4)
    ]
    outsider = make_expert(expert_index, name="Real Person", user=ExpertUserFactory(email="real@example.com"))
    weekly_hours_replace(profile=demo[0], windows=[(6, time(7), time(8))])  # an expert's own edit

    _seed_availability(Tally())
    assert list(WeeklyHours.objects.filter(profile=demo[0]).values_list("weekday", "start")) == [(6, time(7))]
    for profile in demo[1:]:
        rows = list(WeeklyHours.objects.filter(profile=profile).values_list("weekday", "start", "end"))
        assert sorted(rows) in [sorted(windows) for windows, _buffer in AVAILABILITY_PATTERNS]
    assert not WeeklyHours.objects.filter(profile=outsider).exists()

    before = list(WeeklyHours.objects.order_by("pk").values_list())
    tally = Tally()
    _seed_availability(tally)
    assert list(WeeklyHours.objects.order_by("pk").values_list()) == before
    assert tally.created == {"weekly hours": 0}
