"""A week of an expert's free times, grouped by the viewer's local days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from marketplace.models import ExpertProfile, SessionType

from ..scheduling import compute_slots
from .availability import expert_availability
from .busy import busy_intervals_by_expert

SLOT_DAYS_PER_PAGE = 7


@dataclass
class SlotDay:
    day: date  # in the viewer's zone
    starts: list[datetime]  # UTC; the template shows them in the viewer's zone


@dataclass
class SlotListing:
    session_type: SessionType
    viewer_zone: str
    expert_zone: str
    week: int
    days: list[SlotDay]
    has_previous: bool
    has_next: bool

    @property
    def is_empty(self) -> bool:
        return not any(day.starts for day in self.days)


def expert_slot_listing(
    *, profile: ExpertProfile, session_type: SessionType, viewer_zone: str, week: int, now: datetime
) -> SlotListing:
    """One week of bookable starts for a session type, grouped by the viewer's local days: three queries.

    The same engine (``compute_slots``) that ``booking_hold`` validates with
    produces the list, so a listed slot is bookable and an unlisted one is not.
    """
    zone = ZoneInfo(viewer_zone)
    first_day = now.astimezone(zone).date() + timedelta(days=SLOT_DAYS_PER_PAGE * week)
    days = [first_day + timedelta(days=offset) for offset in range(SLOT_DAYS_PER_PAGE)]
    begin = datetime.combine(days[0], datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(UTC)
    starts, horizon = _free_starts(profile=profile, session_type=session_type, begin=begin, end=end, now=now)
    by_day: dict[date, list[datetime]] = {day: [] for day in days}
    for start in starts:
        by_day.setdefault(start.astimezone(zone).date(), []).append(start)
    return SlotListing(
        session_type=session_type,
        viewer_zone=viewer_zone,
        expert_zone=profile.time_zone,
        week=week,
        days=[SlotDay(day=day, starts=by_day[day]) for day in days],
        has_previous=week > 0,
        has_next=end < now + horizon,
    )


def expert_free_starts(
    *, profile: ExpertProfile, session_type: SessionType, begin: datetime, end: datetime, now: datetime
) -> list[datetime]:
    """Bookable starts (UTC) of a session type in [begin, end): the API's list, three queries.

    The same engine and the same busy times as the expert page's week; the
    caller bounds the range (a month at most), as the page bounds its weeks.
    """
    return _free_starts(profile=profile, session_type=session_type, begin=begin, end=end, now=now)[0]


def _free_starts(
    *, profile: ExpertProfile, session_type: SessionType, begin: datetime, end: datetime, now: datetime
) -> tuple[list[datetime], timedelta]:
    """The starts and the expert's booking horizon."""
    availability = expert_availability(profile=profile, from_date=begin.date() - timedelta(days=2))
    duration = timedelta(minutes=session_type.duration_minutes)
    margin = availability.policy.buffer + duration + timedelta(days=1)
    busy = busy_intervals_by_expert(expert_ids=[profile.user_id], begin=begin - margin, end=end + margin, now=now)[
        profile.user_id
    ]
    slots = compute_slots(
        availability=availability,
        duration=duration,
        range_start=begin,
        range_end=end,
        now=now,
        bookings=busy.bookings,
        holds=busy.holds,
        busy=busy.imported,
    )
    return [slot.start for slot in slots], availability.policy.horizon
