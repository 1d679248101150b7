import re
import unicodedata
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


# Invisible and control characters a name never needs: C0/C1 controls, format
# characters (bidi overrides that flip how the text reads, zero-width spaces),
# line separators, private-use and unassigned code points. Zero-width joiner and
# non-joiner stay: Persian, Hindi and other scripts write names with them.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}
# Anything a mail client or browser could turn into a link: a scheme, "www.", a
# host name such as "evil.example/refund", a path or an email address.
_LINK_LIKE = re.compile(
    r"""
    [a-z][a-z0-9+.-]*:            # a scheme: https:, javascript:, mailto:
    | www\.
    | [/\\@]
    | (?<![\w.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?=$|[\s?#:])   # a host name
    """,
    re.IGNORECASE | re.VERBOSE,
)


def validate_full_name(value: str) -> None:
    """A person's name as we show it to others and put it in emails: no links, no hidden characters."""
    if any(
        unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _ALLOWED_FORMAT_CHARACTERS for char in value
    ):
        raise ValidationError(
            _("Your name contains invisible or control characters. Please type it again."), code="control_characters"
        )
    if _LINK_LIKE.search(value):
        raise ValidationError(_("Please enter just your name, without web or email addresses."), code="link_in_name")
