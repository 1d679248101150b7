"""Is a host on the public internet? One check for every outgoing request to an address a user typed.

Webhooks (``api.webhooks``) and imported calendars (``bookings.calendars``) both
fetch URLs that users give us; neither may be turned into a probe of our own
network. ``host_problem`` resolves the host (DNS) and refuses it when any of its
addresses is private, loopback, link-local, reserved or multicast. The caller
may allow loopback alone (the demo serves its calendars on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket


def address_is_public(address: str, *, allow_loopback: bool = False) -> bool:
    """True for a global unicast address (or a loopback one, when allowed)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if allow_loopback and ip.is_loopback:
        return True
    return ip.is_global and not ip.is_multicast


def host_problem(hostname: str, port: int, *, allow_loopback: bool = False) -> str | None:
    """None when every address of ``hostname`` is public; else "unresolved" or "private"."""
    try:
        infos = socket.getaddrinfo(hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        return "unresolved"
    if not infos:
        return "unresolved"
    for info in infos:
        if not address_is_public(str(info[4][0]), allow_loopback=allow_loopback):
            return "private"
    return None
