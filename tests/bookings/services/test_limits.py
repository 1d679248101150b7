"""Velocity limits on holds: cycling holds cannot keep an expert's calendar blocked, and staff see who tried."""

from datetime import timedelta

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from bookings.errors import HoldLimitReached
from bookings.models import Booking
from core.limits import LIMIT_REACHED
from tests.builders import bookable_expert, held_booking
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = pytest.mark.django_db


def starts(count):
    """``count`` listed times of a weekday 9-to-5 expert, two hours apart (no two overlap)."""
    first = next_monday_nine_berlin()
    return [first + timedelta(days=index // 4, hours=2 * (index % 4)) for index in range(count)]


def test_cycling_holds_on_one_expert_stops_after_a_few_unpaid_ones(settings):
    assert (settings.BOOKING_MAX_LIVE_HOLDS, settings.BOOKING_UNPAID_HOLDS_PER_EXPERT_PER_DAY) == (3, 3)
    learner, session_type = UserFactory(), bookable_expert()
    times = starts(4)
    # Hold four times in a row, then the released ones again: every new hold lets go of the oldest.
    for start in [*times, times[0], times[1]]:
        held_booking(learner=learner, session_type=session_type, start=start)
    assert Booking.objects.filter(learner=learner, status=Booking.Status.EXPIRED).count() == 3
    with pytest.raises(HoldLimitReached) as refused:
        held_booking(learner=learner, session_type=session_type, start=times[2])
    assert refused.value.code == "unpaid_holds_per_expert" and "without paying" in refused.value.message
    assert Booking.objects.filter(learner=learner).count() == 6  # the refused hold wrote nothing
    # Other learners, and this learner with another expert, are not affected.
    assert held_booking(learner=UserFactory(), session_type=session_type, start=starts(8)[7]).pk
    assert held_booking(learner=learner, session_type=bookable_expert(), start=starts(8)[6]).pk


def test_a_learner_who_pays_is_never_stopped_by_the_unpaid_limit(settings):
    settings.BOOKING_HOLDS_PER_HOUR = 100
    learner, session_type = UserFactory(), bookable_expert()
    for start in starts(6):
        booking = held_booking(learner=learner, session_type=session_type, start=start)
        Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CONFIRMED)
    assert Booking.objects.filter(learner=learner, status=Booking.Status.CONFIRMED).count() == 6


def test_holds_per_hour_with_any_expert_are_limited(settings):
    settings.BOOKING_HOLDS_PER_HOUR = 2
    learner = UserFactory()
    held_booking(learner=learner, session_type=bookable_expert(), start=starts(1)[0])
    held_booking(learner=learner, session_type=bookable_expert(), start=starts(2)[1])
    with pytest.raises(HoldLimitReached) as refused:
        held_booking(learner=learner, session_type=bookable_expert(), start=starts(3)[2])
    assert refused.value.code == "holds_per_hour"


def test_the_limit_is_counted_from_the_bookings_table_in_one_query(django_assert_num_queries):
    learner, session_type = UserFactory(), bookable_expert()
    held_booking(learner=learner, session_type=session_type, start=starts(1)[0])
    # savepoint, lock, limits, session type and profile, weekly hours, days off, busy times, insert, release
    with django_assert_num_queries(9):
        held_booking(learner=learner, session_type=session_type, start=starts(2)[1])


def test_reaching_a_limit_is_recorded_for_staff_and_listed_in_the_wagtail_admin(client, settings, staff_user):
    settings.BOOKING_HOLDS_PER_HOUR = 1
    learner = UserFactory(full_name="Carla Cycler")
    held_booking(learner=learner, session_type=bookable_expert(), start=starts(1)[0])
    for _attempt in range(2):
        with pytest.raises(HoldLimitReached):
            held_booking(learner=learner, session_type=bookable_expert(), start=starts(2)[1])
    entries = ModelLogEntry.objects.filter(action=LIMIT_REACHED, object_id=str(learner.pk))
    assert entries.count() == 2
    assert entries.first().data["limit"] == "holds_per_hour" and entries.first().user_id == learner.pk
    client.force_login(staff_user)
    html = client.get(reverse("wagtailadmin_reports:site_history"), {"action": LIMIT_REACHED}).content.decode()
    assert "Reached the limit of holds per hour (1 within 1 h)" in html and "Carla Cycler" in html


def test_the_hold_form_says_why_and_holds_nothing(client, ada, settings):
    settings.BOOKING_HOLDS_PER_HOUR = 0
    learner = UserFactory()
    client.force_login(learner)
    response = client.post(
        reverse("booking_start", kwargs={"page_id": ada.pages.first().pk}),
        {"session": "60", "start": next_monday_nine_berlin().isoformat()},
    )
    assert response.status_code == 302 and not Booking.objects.exists()
    assert "Please wait a while before holding another time" in client.get(response["Location"]).content.decode()
