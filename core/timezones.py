"""The time zones people choose from, and the one name stored for each.

Python knows ~600 zone names, among them ``Factory``, ``localtime``, ``GMT-0`` and
legacy aliases such as ``US/Pacific`` or ``Asia/Calcutta`` (which browsers still
report: ICU keeps the old names). People choose from the zones of the IANA
``zone.tab`` (one or more per country, ~420) plus UTC, grouped by region with
the common ones first. A legacy alias is stored and shown as the zone it links
to (``Asia/Calcutta`` → ``Asia/Kolkata``), read from the tzdata package's own
``tzdata.zi``, so the mapping follows tzdata updates.
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from importlib import resources

from django.utils.translation import gettext_lazy as _

UTC = "UTC"
# Shown first: where most people are, by population and by the demo's markets.
COMMON = (
    UTC,
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)
REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}
# What "UTC" is also called; a zero offset under another name is stored as UTC.
UTC_NAMES = {"Etc/UTC", "Etc/GMT"}
# Names zoneinfo may list that are no place's time: never stored.
NOT_ZONES = {"Factory", "localtime", "posixrules"}


@cache
def _tzdata() -> tuple[frozenset[str], dict[str, str]]:
    """(zones people choose from, alias → target of every link), from the tzdata package."""
    folder = resources.files("tzdata") / "zoneinfo"
    zones = {
        line.split("\t")[2]
        for line in (folder / "zone.tab").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    links = {}
    for line in (folder / "tzdata.zi").read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _kind, target, alias = line.split()
            links[alias] = target
    return frozenset(zones | {UTC}), links


def selectable_zones() -> frozenset[str]:
    return _tzdata()[0]


def canonical_zone(name: str | None) -> str | None:
    """The zone name to store and show for ``name``; None when it is no zone at all.

    A listed zone is itself; a legacy alias becomes the listed zone it links to;
    any zero-offset alias (``Etc/UTC``, ``GMT-0``, ``Zulu``) becomes ``UTC``. A
    real zone outside the list (``Etc/GMT+5``) is kept as it is; ``Factory`` and
    ``localtime`` are no zone.
    """
    if not name or name in NOT_ZONES:
        return None
    zones, links = _tzdata()
    current, seen = name, set()
    while current not in zones and current in links and current not in seen:
        seen.add(current)
        current = links[current]
    if current in zones:
        return current
    if current in UTC_NAMES:
        return UTC
    return name if _is_zone(name) else None


@cache
def all_zones() -> frozenset[str]:
    """Every name zoneinfo accepts (what the models' validator allows)."""
    return frozenset(zoneinfo.available_timezones())


def _is_zone(name: str) -> bool:
    return name in all_zones()


def zone_label(name: str) -> str:
    """A zone as people read it: ``America/Argentina/Buenos_Aires`` → ``Argentina – Buenos Aires``."""
    parts = name.split("/")
    place = parts[1:] if len(parts) > 1 and parts[0] in REGIONS else parts
    return " – ".join(part.replace("_", " ") for part in place)


@cache
def _grouped_names() -> tuple[tuple[str, tuple[str, ...]], ...]:
    by_region: dict[str, list[str]] = {}
    for zone in selectable_zones() - {UTC}:
        by_region.setdefault(zone.split("/", 1)[0], []).append(zone)
    return tuple(
        (region, tuple(sorted(by_region[region], key=lambda zone: zone_label(zone).casefold())))
        for region in REGIONS
        if region in by_region
    )


def zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped ``<select>`` choices: "Common" first, then one group per region, each by place name."""
    common = [(zone, zone_label(zone)) for zone in COMMON]
    return [
        (str(_("Common")), common),
        *((str(REGIONS[region]), [(zone, zone_label(zone)) for zone in zones]) for region, zones in _grouped_names()),
    ]


@cache
def _zone_countries() -> dict[str, str]:
    folder = resources.files("tzdata") / "zoneinfo"
    return {
        parts[2]: parts[0]
        for parts in (
            line.split("\t")
            for line in (folder / "zone.tab").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        )
    }


def zone_country(name: str | None) -> str | None:
    """The ISO 3166 country of a zone (``Europe/Berlin`` → ``DE``), e.g. to read a phone number written
    without its country code; None for UTC and zones of no one country."""
    zone = canonical_zone(name)
    return _zone_countries().get(zone) if zone else None


def country_zones(code: str | None) -> list[str]:
    """The zones of one ISO 3166 country (``PT`` → Lisbon, Madeira, Azores); empty for an unknown code."""
    code = (code or "").upper()
    return sorted(zone for zone, country in _zone_countries().items() if country == code)


def country_codes() -> list[str]:
    """Every country that has a zone of its own."""
    return sorted(set(_zone_countries().values()))
