"""A payment that arrives after its hold books the time only if a new hold could be made now.

Before, only the busy times and "not started yet" were rechecked, so a stale
PaymentIntent could book a time the expert no longer offers, inside their
minimum notice, at an old price, or with an expert who paused or left.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bookings.errors import BookingError
from bookings.models import Booking
from bookings.services import booking_confirm, day_off_add, scheduling_policy_update, weekly_hours_replace
from marketplace.models import ExpertProfile, SessionType
from tests.builders import bookable_expert, held_booking, session_type_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)  # a Monday
SLOT = datetime(2026, 6, 3, 8, tzinfo=UTC)  # Wednesday 10:00 in Berlin
LATER = NOW + timedelta(days=1)  # the payment arrives long after the ten-minute hold


@pytest.fixture
def lapsed():
    """A hold made at NOW whose time ran out; its payment is about to succeed at LATER."""
    session_type = bookable_expert()
    return held_booking(learner=UserFactory(), session_type=session_type, start=SLOT, now=NOW)


def confirm_late(booking):
    return booking_confirm(booking=booking, now=LATER)


def test_a_late_payment_still_books_an_unchanged_free_time(lapsed):
    assert confirm_late(lapsed).status == Booking.Status.CONFIRMED


def refused(booking, *, status=Booking.Status.HELD) -> str:
    """The late confirmation's refusal code; the booking is left unconfirmed, in ``status``."""
    with pytest.raises(BookingError) as error:
        confirm_late(booking)
    booking.refresh_from_db()
    assert (booking.status, booking.video_url) == (status, "") and error.value.message
    return error.value.code


def test_hours_the_expert_no_longer_offers_are_refused(lapsed):
    weekly_hours_replace(profile=lapsed.expert.expert_profile, windows=[(2, time(14), time(17))])
    assert refused(lapsed) == "not_available"


def test_a_day_off_on_that_date_is_refused(lapsed):
    day_off_add(profile=lapsed.expert.expert_profile, day=date(2026, 6, 3), today=date(2026, 6, 1))
    assert refused(lapsed) == "not_available"


def test_a_start_now_inside_the_minimum_notice_is_refused(lapsed):
    profile = lapsed.expert.expert_profile
    scheduling_policy_update(
        profile=profile, min_notice_hours=48, horizon_days=60, buffer_minutes=0, slot_step_minutes=30
    )
    assert refused(lapsed) == "too_soon"


def test_a_paused_expert_is_refused(lapsed):
    ExpertProfile.objects.filter(user=lapsed.expert).update(status=ExpertProfile.Status.PAUSED)
    assert refused(lapsed) == "not_offered"


def test_an_expert_whose_account_was_deactivated_is_refused(lapsed):
    type(lapsed.expert).objects.filter(pk=lapsed.expert_id).update(is_active=False)
    assert refused(lapsed) == "not_offered"


@pytest.mark.parametrize("change", [{"price_minor": 9_000}, {"is_active": False}])
def test_a_session_type_changed_or_withdrawn_since_is_refused(lapsed, change):
    SessionType.objects.filter(pk=lapsed.session_type_id).update(**change)
    assert refused(lapsed) == "offer_changed"


def test_a_time_someone_else_took_meanwhile_is_refused(lapsed):
    # The new hold marks the lapsed one expired on its way in (it was in the way of the constraints).
    held_booking(learner=UserFactory(), session_type=session_type_of(lapsed.expert), start=SLOT, now=LATER)
    assert refused(lapsed, status=Booking.Status.EXPIRED) == "time_taken"


def test_a_deactivated_expert_cannot_be_held_either():
    session_type = bookable_expert()
    type(session_type.profile.user).objects.filter(pk=session_type.profile.user_id).update(is_active=False)
    with pytest.raises(BookingError) as error:
        held_booking(learner=UserFactory(), session_type=session_type, start=SLOT, now=NOW)
    assert error.value.code == "not_offered" and not Booking.objects.exists()
