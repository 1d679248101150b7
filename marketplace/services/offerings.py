"""Offerings apply at once (no moderation): session types and packages.

Changing a session type can move the expert's next free time (the shortest
active session decides it); ``bookings`` hears of it through the model signals
and refreshes it on commit, so the catalogue never calls into bookings.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.locking import locked_transaction
from core.money import Money

from ..errors import OfferingError
from ..models import ExpertProfile, Package, SessionType


def expert_profile_refresh_price_from(*, profile: ExpertProfile) -> None:
    """Keep the denormalised "price from" (own and reference currency) in step with offerings."""
    cheapest = (
        SessionType.objects.filter(profile=profile, is_active=True)
        .order_by("price_minor")
        .values_list("price_minor", flat=True)
        .first()
    )
    if cheapest is None:
        own = ref = None
    else:
        own = cheapest
        ref = Money(cheapest, profile.currency).to_reference().amount
    if (profile.price_from_minor, profile.price_from_ref_minor) != (own, ref):
        profile.price_from_minor, profile.price_from_ref_minor = own, ref
        profile.save(update_fields=["price_from_minor", "price_from_ref_minor", "updated_at"])


def _lock(profile: ExpertProfile) -> ExpertProfile:
    return ExpertProfile.objects.select_for_update().get(pk=profile.pk)


@locked_transaction()
def session_type_create(*, profile: ExpertProfile, duration_minutes: int, price: Money) -> SessionType:
    profile = _lock(profile)
    if price.currency != profile.currency:
        raise OfferingError(_("Prices must be in your currency, %(cur)s.") % {"cur": profile.currency})
    if SessionType.objects.filter(profile=profile, duration_minutes=duration_minutes).exists():
        raise OfferingError(_("You already offer a %(n)s-minute session; edit it instead.") % {"n": duration_minutes})
    try:
        with transaction.atomic():
            session = SessionType.objects.create(
                profile=profile, duration_minutes=duration_minutes, price_minor=price.amount, currency=price.currency
            )
    except IntegrityError as exc:
        raise OfferingError(_("That session type is not allowed.")) from exc
    expert_profile_refresh_price_from(profile=profile)
    return session


@locked_transaction()
def session_type_update(*, session_type: SessionType, price: Money, is_active: bool) -> SessionType:
    profile = _lock(session_type.profile)
    if price.currency != profile.currency:
        raise OfferingError(_("Prices must be in your currency, %(cur)s.") % {"cur": profile.currency})
    session_type.price_minor, session_type.is_active = price.amount, is_active
    session_type.save(update_fields=["price_minor", "is_active"])
    expert_profile_refresh_price_from(profile=profile)
    return session_type


@locked_transaction()
def session_type_delete(*, session_type: SessionType) -> None:
    profile = _lock(session_type.profile)
    session_type.delete()  # its packages go with it
    expert_profile_refresh_price_from(profile=profile)


@locked_transaction()
def package_create(
    *, profile: ExpertProfile, session_type: SessionType, sessions_count: int, price: Money, validity_days: int
) -> Package:
    profile = _lock(profile)
    if session_type.profile_id != profile.pk:
        raise OfferingError(_("Choose one of your own session types."))
    if price.currency != profile.currency:
        raise OfferingError(_("Prices must be in your currency, %(cur)s.") % {"cur": profile.currency})
    try:
        with transaction.atomic():
            return Package.objects.create(
                profile=profile,
                session_type=session_type,
                sessions_count=sessions_count,
                price_minor=price.amount,
                currency=price.currency,
                validity_days=validity_days,
            )
    except IntegrityError as exc:
        raise OfferingError(_("Those package terms are not allowed.")) from exc


@locked_transaction()
def package_update(
    *, package: Package, sessions_count: int, price: Money, validity_days: int, is_active: bool
) -> Package:
    profile = _lock(package.profile)
    if price.currency != profile.currency:
        raise OfferingError(_("Prices must be in your currency, %(cur)s.") % {"cur": profile.currency})
    package.sessions_count, package.price_minor = sessions_count, price.amount
    package.validity_days, package.is_active = validity_days, is_active
    try:
        with transaction.atomic():
            package.save(update_fields=["sessions_count", "price_minor", "validity_days", "is_active"])
    except IntegrityError as exc:
        raise OfferingError(_("Those package terms are not allowed.")) from exc
    return package


@locked_transaction()
def package_delete(*, package: Package) -> None:
    package.delete()
