"""One way to make the things most tests need: bookable experts and bookings in each state.

They go through the services the product uses (``booking_hold``,
``booking_confirm``, the test-mode checkout), so a test's data is data the
product could have made. ``booking_in_state`` is the exception, for states no
service reaches on demand (a session that ended last week, a no-show): it
writes the row directly and says so.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.urls import reverse

from billing.services.checkout import booking_pay
from bookings.models import Booking
from bookings.services import booking_confirm, booking_hold, scheduling_policy_update, weekly_hours_replace
from core.money import Money
from marketplace.models import ExpertProfile, SessionType
from marketplace.services import session_type_create
from tests.factories import ExpertUserFactory

WEEKDAYS_NINE_TO_FIVE = [(day, time(9), time(17)) for day in range(5)]


def bookable_expert(
    *,
    user=None,
    zone: str = "Europe/Berlin",
    windows=WEEKDAYS_NINE_TO_FIVE,
    minutes: int = 60,
    price: str = "60",
    currency: str = "EUR",
    buffer: int = 0,
    notice: int = 12,
    horizon: int = 60,
) -> SessionType:
    """An active expert with weekly hours and one session type, but no public page; returns the session type.

    Enough for everything about time and money. Tests about the catalogue's
    pages use ``tests.marketplace.factories.make_expert`` instead.
    """
    user = user or ExpertUserFactory(time_zone=zone)
    profile = ExpertProfile.objects.create(user=user, time_zone=zone, currency=currency)
    session_type = session_type_create(
        profile=profile, duration_minutes=minutes, price=Money.from_major(Decimal(price), currency)
    )
    weekly_hours_replace(profile=profile, windows=windows)
    if (buffer, notice, horizon) != (0, 12, 60):
        scheduling_policy_update(
            profile=profile,
            min_notice_hours=notice,
            horizon_days=horizon,
            buffer_minutes=buffer,
            slot_step_minutes=profile.slot_step_minutes,
        )
    return SessionType.objects.select_related("profile__user").get(pk=session_type.pk)


def session_type_of(expert) -> SessionType:
    """The one (or shortest) active session type of an expert user or profile, with its profile."""
    profile_id = expert.pk if isinstance(expert, ExpertProfile) else expert.expert_profile.pk
    return (
        SessionType.objects.select_related("profile__user")
        .filter(profile_id=profile_id, is_active=True)
        .order_by("duration_minutes")
        .first()
    )


def held_booking(*, learner, session_type: SessionType, start: datetime, now: datetime | None = None) -> Booking:
    """A live hold, made by ``booking_hold`` exactly as the booking form makes it."""
    return booking_hold(learner=learner, session_type=session_type, start=start, now=now)


def confirmed_booking(*, learner, session_type: SessionType, start: datetime, now: datetime | None = None) -> Booking:
    """A hold confirmed as a succeeded payment confirms it (video room, emails queued), without money."""
    booking = held_booking(learner=learner, session_type=session_type, start=start, now=now)
    return booking_confirm(booking=booking, now=now)


def paid_booking(*, learner, session_type: SessionType, start: datetime, card: str = "success") -> Booking:
    """A hold paid through the test-mode checkout against the loopback Stripe server (``stripe_server``)."""
    booking = held_booking(learner=learner, session_type=session_type, start=start)
    booking_pay(booking=booking, test_card=card)
    booking.refresh_from_db()
    return booking


def booking_in_state(
    *,
    learner,
    expert,
    start: datetime,
    minutes: int = 60,
    status: str = Booking.Status.CONFIRMED,
    amount_minor: int = 8_000,
    currency: str = "EUR",
    **fields,
) -> Booking:
    """A booking written straight to the table, for states and times no service makes on demand.

    Use it for history (sessions that ended, cancellations, no-shows); anything
    a learner could do now goes through ``held_booking`` / ``confirmed_booking``.
    """
    defaults = {"hold_expires_at": start} if status == Booking.Status.HELD else {}
    return Booking.objects.create(
        learner=learner,
        expert=expert,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
        amount_minor=amount_minor,
        currency=currency,
        **{**defaults, **fields},
    )


# --- Through the pages, as a learner clicks -------------------------------------------------------


def hold_through_the_page(client, *, learner, profile: ExpertProfile, start: datetime, minutes: int = 60) -> Booking:
    """Sign ``learner`` in and press a free time on the expert's page; returns the hold."""
    client.force_login(learner)
    client.post(
        reverse("booking_start", kwargs={"page_id": profile.pages.first().pk}),
        {"session": str(minutes), "start": start.isoformat()},
    )
    return Booking.objects.filter(learner=learner).latest("pk")


def pay_through_the_page(client, booking: Booking, *, card: str, capture, **fields):
    """Submit the review page's test-card form, running what commits queue (``capture`` is
    ``django_capture_on_commit_callbacks``); returns the response."""
    with capture(execute=True):
        return client.post(
            reverse("booking_review", kwargs={"pk": booking.pk}), {"test_card": card, "goals_note": "", **fields}
        )


def onboarded(user):
    """``user`` as a learner who finished the onboarding (learning): they sign in to their dashboard,
    where a brand-new learner is first taken to ``/onboarding/``."""
    from django.utils import timezone

    from learning.models import LearnerProfile

    LearnerProfile.objects.update_or_create(user=user, defaults={"onboarding_finished_at": timezone.now()})
    return user
