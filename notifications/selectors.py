"""Reads of the notifications app shaped for a screen, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from .models import PhoneNumber, PhoneVerification
from .phones import phone_number_display


@dataclass(frozen=True)
class PhoneState:
    """What the settings page shows of a person's number: none, waiting for a code, or verified."""

    number: str = ""
    display: str = ""
    verified: bool = False
    code_pending: bool = False
    failure_code: str = ""

    @property
    def has_number(self) -> bool:
        return bool(self.number)


def phone_state(*, user, now: datetime) -> PhoneState:
    """The person's number and whether a usable code is out for it (two queries at most)."""
    phone = PhoneNumber.objects.filter(user=user).first()
    if phone is None:
        return PhoneState()
    pending = (
        not phone.is_verified
        and PhoneVerification.objects.filter(
            user=user,
            number=phone.number,
            used_at__isnull=True,
            expires_at__gt=now,
            attempts__lt=settings.PHONE_CODE_MAX_TRIES,
            created_at__gt=now - timedelta(days=1),
        ).exists()
    )
    return PhoneState(
        number=phone.number,
        display=phone_number_display(phone.number),
        verified=phone.is_verified,
        code_pending=pending,
        failure_code=phone.failure_code,
    )


def user_has_verified_phone(*, user) -> bool:
    return PhoneNumber.objects.filter(user=user, verified_at__isnull=False).exists()
