import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """Accept only IANA zone names such as ``Europe/Berlin`` or ``Asia/Kathmandu``."""
    if value not in available_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone. Choose one such as Europe/Berlin."),
            code="invalid_time_zone",
            params={"value": value},
        )
