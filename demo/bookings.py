"""Bookings: weekly hours for every demo expert, the demo learner's sessions, next free times.

Deterministic and idempotent like the other seeders: hours are given once (an
expert's own edits survive a re-seed), sessions are keyed by their goals note,
and only never-computed next free times are computed.
"""

from __future__ import annotations

import zlib
from datetime import time, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from accounts.secrets import secret_encrypt
from bookings.models import Booking, ExpertCalendar, ExpertRefundPolicy, RefundTier, WeeklyHours, expert_refund_terms
from bookings.services import scheduling_policy_update, weekly_hours_replace
from bookings.services.calendars import expert_calendar_import_body, url_hint
from bookings.services.next_free import expert_next_available_refresh_many
from bookings.services.reminders import reminders_plan
from bookings.video import video_room_create
from marketplace.models import ExpertProfile

from .base import Log, Tally
from .calendars import FOLDER as CALENDAR_FOLDER
from .marketplace import DEMO_EXPERT_EMAIL


def seed(*, log: Log) -> str:
    tally = Tally()
    _seed_availability(tally)
    _seed_sessions(tally, log)
    _seed_calendars(tally)
    # Last, so the demo sessions already count against the next free times.
    _seed_next_available(tally)
    return tally.summary()


def _hours(days, *ranges) -> list[tuple[int, time, time]]:
    return [(day, time(start), time(end)) for day in days for start, end in ranges]


# Weekly patterns in each expert's own zone, and the buffer (minutes) that goes with them.
AVAILABILITY_PATTERNS = [
    (_hours(range(5), (9, 12), (13, 17)), 0),  # office hours, lunch break
    (_hours(range(1, 6), (10, 18)), 15),  # Tuesday to Saturday
    (_hours(range(4), (8, 11), (18, 21)), 15),  # before and after a day job
    (_hours((0, 2, 4), (12, 20)) + _hours((5,), (9, 13)), 0),  # three long days and Saturday morning
]


def _seed_availability(tally: Tally) -> None:
    """Give every demo expert weekly hours, once: an expert who has any keeps them (their edits survive)."""
    demo_profiles = (
        ExpertProfile.objects.filter(user__email__endswith="@experts.taptime.example")
        | ExpertProfile.objects.filter(user__email=DEMO_EXPERT_EMAIL)
    ).select_related("user")
    with_hours = set(WeeklyHours.objects.values_list("profile_id", flat=True).distinct())
    for profile in demo_profiles.order_by("user__email"):
        if profile.pk in with_hours:
            tally.add("weekly hours", False)
            continue
        # The pattern depends on the email only (crc32 is stable across runs and machines).
        windows, buffer = AVAILABILITY_PATTERNS[zlib.crc32(profile.user.email.encode()) % len(AVAILABILITY_PATTERNS)]
        weekly_hours_replace(profile=profile, windows=windows)
        if buffer:
            scheduling_policy_update(
                profile=profile,
                min_notice_hours=profile.min_notice_hours,
                horizon_days=profile.horizon_days,
                buffer_minutes=buffer,
                slot_step_minutes=profile.slot_step_minutes,
            )
        tally.add("weekly hours", True)


# The demo learner's sessions with the demo expert, so both dashboards have something to show.
# (days from the day of the first seed, hour in UTC, status, goals note). The note is the
# session's stable key: a session whose note is present is never created again, so the
# upcoming ones stay upcoming for a while after the first seed and a re-seed changes nothing.
DEMO_LEARNER_EMAIL = "learner@taptime.example"
DEMO_SESSIONS = [
    (-21, 15, Booking.Status.COMPLETED, "Demo session: review the structure of my Django project."),
    (-7, 15, Booking.Status.COMPLETED, "Demo session: plan a testing strategy for a small team."),
    (2, 15, Booking.Status.CONFIRMED, "Demo session: pair on a tricky database migration."),
    (9, 16, Booking.Status.CONFIRMED, "Demo session: talk through moving into a software architect role."),
]


def demo_session_bookings():
    """The bookings ``_seed_sessions`` made (billing's demo gives them their payments)."""
    notes = [note for *_rest, note in DEMO_SESSIONS]
    return Booking.objects.filter(
        learner__email=DEMO_LEARNER_EMAIL, expert__email=DEMO_EXPERT_EMAIL, goals_note__in=notes
    ).order_by("pk")


def _seed_sessions(tally: Tally, log: Log) -> None:
    learner = User.objects.filter(email=DEMO_LEARNER_EMAIL).first()
    profile = ExpertProfile.objects.filter(user__email=DEMO_EXPERT_EMAIL).select_related("user").first()
    session_type = (
        profile.session_types.filter(is_active=True).order_by("duration_minutes").first() if profile else None
    )
    if learner is None or session_type is None:
        return
    expert = profile.user
    # The demo expert sells under the moderate policy: the session two days ahead refunds half
    # when cancelled, the one nine days ahead in full. A tier the expert chose since is kept.
    ExpertRefundPolicy.objects.get_or_create(profile=profile, defaults={"tier": RefundTier.MODERATE})
    terms = expert_refund_terms(profile)
    existing = set(demo_session_bookings().values_list("goals_note", flat=True))
    today = timezone.now().replace(minute=0, second=0, microsecond=0)
    for days, hour, status, note in DEMO_SESSIONS:
        if note in existing:
            tally.add("demo sessions", False)
            continue
        start = (today + timedelta(days=days)).replace(hour=hour)
        end = start + timedelta(minutes=session_type.duration_minutes)
        busy = Booking.objects.filter(
            learner__in=[learner, expert], status__in=Booking.SLOT_HOLDING, start__lt=end, end__gt=start
        ) | Booking.objects.filter(
            expert__in=[learner, expert], status__in=Booking.SLOT_HOLDING, start__lt=end, end__gt=start
        )
        if busy.exists():
            log(f"skipped a demo session at {start:%Y-%m-%d %H:%M}Z: the time is taken")
            continue
        booking = Booking.objects.create(
            learner=learner,
            expert=expert,
            session_type=session_type,
            start=start,
            end=end,
            status=status,
            amount_minor=session_type.price_minor,
            currency=session_type.currency,
            goals_note=note,
            confirmed_at=start - timedelta(days=5),
            **terms.snapshot(),
        )
        booking.video_url = video_room_create(booking_ref=booking.reference).url
        booking.save(update_fields=["video_url"])
        if status == Booking.Status.CONFIRMED:
            reminders_plan(booking=booking, now=timezone.now())
        tally.add("demo sessions", True)


def _seed_next_available(tally: Tally) -> None:
    """Compute the next free time of every expert never computed, in one batch.

    Only never-checked rows: a second run finds none and changes nothing (the
    snapshot test), and values that have aged are the schedule's job
    (``bookings.tasks.refresh_stale_next_available``), not the seed's.
    """
    user_ids = list(
        ExpertProfile.objects.filter(next_available_checked_at__isnull=True)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    expert_next_available_refresh_many(user_ids=user_ids)
    tally.add("next free times", False)
    for _user_id in user_ids:
        tally.add("next free times", True)


def _seed_calendars(tally: Tally) -> None:
    """The demo expert's two imported calendars, served by the dev server on loopback (demo.calendars).

    Their busy blocks are read from the files at once (the server is not up while
    seeding); the 15-minute job then fetches them over HTTP like any calendar.
    Only where loopback may be fetched (dev and test settings); once per database.
    """
    if not settings.CALENDAR_ALLOW_LOOPBACK:
        return
    profile = ExpertProfile.objects.filter(user__email=DEMO_EXPERT_EMAIL).first()
    if profile is None or ExpertCalendar.objects.filter(profile=profile).exists():
        return
    for name, label in (("google", "Work (Google)"), ("outlook", "Clients (Outlook)")):
        url = f"{settings.BASE_URL}/demo/calendars/{name}.ics"
        calendar = ExpertCalendar.objects.create(
            profile=profile, name=label, url_encrypted=secret_encrypt(url), url_hint=url_hint(url)
        )
        expert_calendar_import_body(calendar_id=calendar.pk, body=(CALENDAR_FOLDER / f"{name}.ics").read_bytes())
        tally.add("imported calendar", True)
