"""Imported busy blocks in the slot engine: the listing, the next free time and the hold's recheck under the lock."""

from datetime import UTC, datetime, timedelta

import pytest

from bookings.errors import SlotTaken
from bookings.models import ExpertCalendar, ImportedBusy
from bookings.selectors.slots import expert_slot_listing
from bookings.services.next_free import expert_next_available_refresh_many
from tests.builders import bookable_expert, held_booking
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)  # Monday 08:00 in Berlin
SLOT = datetime(2026, 6, 3, 8, tzinfo=UTC)  # Wednesday 10:00 in Berlin
HOUR = timedelta(hours=1)


def busy(session_type, *spans):
    profile = session_type.profile
    calendar = ExpertCalendar.objects.create(profile=profile, name="Work", url_encrypted="x", url_hint="https://x/…")
    ImportedBusy.objects.bulk_create(
        [ImportedBusy(calendar=calendar, expert_id=profile.user_id, start=s, end=e) for s, e in spans]
    )


def starts(session_type):
    listing = expert_slot_listing(
        profile=session_type.profile, session_type=session_type, viewer_zone="UTC", week=0, now=NOW
    )
    return [start for day in listing.days for start in day.starts]


def test_an_imported_block_and_the_buffer_around_it_are_not_offered():
    session_type = bookable_expert(buffer=15)
    bystander = bookable_expert(buffer=15)
    busy(session_type, (SLOT, SLOT + HOUR))
    offered = starts(session_type)
    assert SLOT not in offered
    assert SLOT - HOUR not in offered  # would end at 10:00, inside the 15-minute buffer
    assert SLOT + HOUR not in offered  # starts at the block's end, inside the buffer
    assert SLOT + 2 * HOUR in offered
    assert SLOT in starts(bystander)  # another expert's calendar blocks nothing of hers


def test_a_hold_on_a_time_that_became_busy_is_refused_under_the_lock():
    session_type = bookable_expert()
    assert SLOT in starts(session_type)
    busy(session_type, (SLOT + timedelta(minutes=30), SLOT + 2 * HOUR))
    with pytest.raises(SlotTaken) as refused:
        held_booking(learner=UserFactory(), session_type=session_type, start=SLOT, now=NOW)
    assert refused.value.code == "taken"


def test_the_next_free_time_skips_imported_blocks():
    session_type = bookable_expert(notice=0)
    profile = session_type.profile
    first = expert_next_available_refresh_many(user_ids=[profile.user_id], now=NOW)[profile.user_id]
    busy(session_type, (first, first + 3 * HOUR))
    later = expert_next_available_refresh_many(user_ids=[profile.user_id], now=NOW)[profile.user_id]
    assert later >= first + 3 * HOUR


def test_the_slot_listing_reads_many_blocks_in_the_same_number_of_queries(django_assert_num_queries):
    session_type = bookable_expert()
    busy(session_type, (SLOT, SLOT + HOUR))
    with django_assert_num_queries(3):
        few = starts(session_type)
    # 2,000 one-minute blocks in this week's nights (16:00–06:00 UTC), outside her hours: read, but nothing changes.
    nights = (NOW + timedelta(minutes=2 * n) for n in range(10_000))
    many = [(at, at + timedelta(minutes=1)) for at in nights if at.hour >= 16 or at.hour < 6][:2000]
    assert len(many) == 2000 and many[-1][0] < NOW + timedelta(days=7)
    busy(session_type, *many)
    with django_assert_num_queries(3):
        assert starts(session_type) == few
