"""What a session's browser says about itself, and roughly where its address is — all offline.

No outside service is asked: the browser and system come from the User-Agent
header by a few ordered patterns (enough to tell "Firefox on Windows" from
"Safari on iPhone"; exotic agents read "Unknown browser"), and the place from
the address alone — loopback and private ranges say so, and a public address
gives its country from the Regional Internet Registries' allocation table that
the `iptocc` wheel embeds (no file, no network; docs/decisions.md #231), named
in the reader's language by Babel. The fingerprint of a device is the pair
(browser family, system family, device kind), so a browser update is not a
"new device" but another browser or another computer is.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from iptocc import country_code

# First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("Opera", re.compile(r"\b(?:OPR|Opera)/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(?:Chrome|CriOS|HeadlessChrome|Chromium)/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
    ("TapTime app", re.compile(r"^TapTime/")),
)
SYSTEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iOS", re.compile(r"\b(?:iPhone|iPad|iPod)\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)
TABLET = re.compile(r"\biPad\b|\bTablet\b|Android(?!.*\bMobile\b)")
PHONE = re.compile(r"\bMobile\b|\biPhone\b|\bAndroid\b")


@dataclass(frozen=True)
class Device:
    browser: str
    system: str
    kind: str  # "computer", "phone" or "tablet"

    @property
    def label(self) -> str:
        return _("%(browser)s on %(system)s") % {"browser": self.browser, "system": self.system}

    def fingerprint(self, user_id: int) -> str:
        raw = f"{user_id}|{self.browser}|{self.system}|{self.kind}"
        return hashlib.sha256(raw.encode()).hexdigest()


def _first(patterns: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    return next((name for name, pattern in patterns if pattern.search(text)), None)


def device_from_user_agent(user_agent: str | None) -> Device:
    text = (user_agent or "")[:512]
    browser = _first(BROWSERS, text) or str(_("Unknown browser"))
    system = _first(SYSTEMS, text) or str(_("unknown system"))
    if TABLET.search(text):
        kind = "tablet"
    elif PHONE.search(text):
        kind = "phone"
    else:
        kind = "computer"
    return Device(browser=browser, system=system, kind=kind)


def place_from_ip(ip: str | None) -> str:
    """A rough place for an address, without asking anyone: only what the address itself says."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return str(_("Unknown place"))
    if address.is_loopback:
        return str(_("This computer"))
    if address.is_private or address.is_link_local:
        return str(_("Local network"))
    code = country_code(str(address)) if address.is_global else None
    return country_name(code) if code else str(_("Unknown place"))


def country_name(code: str) -> str:
    """The country's name in the active language ("Germany", "Alemania"), else its code."""
    try:
        locale = Locale.parse((get_language() or "en").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    return locale.territories.get(code.upper(), code.upper())
