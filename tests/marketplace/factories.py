"""Builders for marketplace data, going through the services like the product does."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from PIL import Image as PILImage

from bookings.services import weekly_hours_replace
from core.money import Money
from marketplace.models import Category, ExpertIndexPage, ExpertProfile, Language
from marketplace.services import expert_profile_create, package_create, session_type_create
from tests.factories import ExpertUserFactory, make_image


def image_bytes(*, size=(400, 400), fmt="JPEG", exif=None, color="#336699") -> bytes:
    buffer = io.BytesIO()
    image = PILImage.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def make_category(name, slug, *, parent=None, sort_order=0) -> Category:
    return Category.objects.create(name=name, slug=slug, parent=parent, sort_order=sort_order)


def make_expert(
    index_page: ExpertIndexPage,
    *,
    name: str,
    headline: str = "Helpful expert",
    currency: str = "USD",
    prices: dict[int, str] | None = None,
    rating: str = "0",
    rating_count: int = 0,
    sessions: int = 0,
    categories=(),
    languages=("en",),
    skills=(),
    photo=False,
    status: str = ExpertProfile.Status.ACTIVE,
    user=None,
) -> ExpertProfile:
    user = user or ExpertUserFactory(full_name=name)
    profile = expert_profile_create(
        user=user,
        index_page=index_page,
        headline=headline,
        currency=currency,
        time_zone="Europe/Berlin",
        categories=list(categories),
        languages=list(Language.objects.filter(code__in=languages)),
        skills=list(skills),
        photo=make_image(f"Photo of {name}", description=f"Photo of {name}", size=(400, 400)) if photo else None,
        extra={"rating_avg": Decimal(rating), "rating_count": rating_count, "sessions_completed": sessions},
    )
    for duration, major in (prices or {}).items():
        session_type_create(profile=profile, duration_minutes=duration, price=Money.from_major(major, currency))
    if status != ExpertProfile.Status.ACTIVE:
        profile.status = status
        profile.save(update_fields=["status"])
    return profile


def add_package(profile, *, duration=60, count=5, major="200", validity_days=90):
    session_type = profile.session_types.get(duration_minutes=duration)
    return package_create(
        profile=profile,
        session_type=session_type,
        sessions_count=count,
        price=Money.from_major(major, profile.currency),
        validity_days=validity_days,
    )


def next_monday_nine_berlin() -> datetime:
    """A Monday 09:00 Berlin time at least two days ahead (past the default 12 h notice), in UTC."""
    berlin = ZoneInfo("Europe/Berlin")
    day = (timezone.now() + timedelta(days=2)).astimezone(berlin).date()
    while day.weekday() != 0:
        day += timedelta(days=1)
    return datetime.combine(day, time(9), tzinfo=berlin).astimezone(UTC)


def make_ada(index_page: ExpertIndexPage, **fields) -> ExpertProfile:
    """The booking tests' expert: Europe/Berlin, a 60-minute session at EUR 80, Mondays 09:00-12:00."""
    profile = make_expert(index_page, name="Ada Lovelace", prices={60: "80"}, currency="EUR", **fields)
    weekly_hours_replace(profile=profile, windows=[(0, time(9), time(12))])
    return profile
