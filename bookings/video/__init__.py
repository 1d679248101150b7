"""Video rooms behind a small provider interface.

``PROVIDERS`` maps a name to the factory of its adapter: Jitsi (always
available, and the room every confirmed booking gets at once), Zoom
(``bookings.video.zoom``) and Google Meet (``bookings.video.meet``), the last
two only when their credentials are configured (``configured_providers``).
``VIDEO_PROVIDER`` is the platform's default for experts who chose none; each
expert may choose another configured one (``bookings.models.ExpertVideoSetting``).
Zoom and Meet rooms need a network call, so they are made after the
confirmation, outside its row lock (``bookings.services.video_rooms``).

Jitsi: each session gets an unguessable room name (``secrets.token_urlsafe``,
about 190 bits). Nobody is shown or emailed the room's address: the only way
in is ``/bookings/<id>/join/``, which checks that the viewer is one of the two
participants and that the session is on, then redirects to ``join_url``. With
``VIDEO_JITSI_APP_ID`` and ``VIDEO_JITSI_SECRET`` set (a self-hosted Jitsi or
8x8's JaaS with token authentication), that URL carries a per-participant
HS256 JWT scoped to the one room and expiring when the session ends: the
expert is the moderator and skips the lobby, the learner waits in it, and a
forwarded room address without a token gets nobody in. On public meet.jit.si
(no secret) the redirect goes to the bare room, whose name is the only secret
(docs/decisions.md).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import quote, unquote, urlsplit

import jwt
from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Room:
    url: str
    provider: str
    room_id: str


@dataclass(frozen=True)
class MeetingRequest:
    """What a remote provider needs to schedule a booking's meeting; ``ref`` is the booking's reference."""

    ref: str
    topic: str
    start: datetime
    end: datetime


class VideoProvider(Protocol):
    name: str

    def join_url(self, room: Room, *, display_name: str, email: str, moderator: bool, expires: datetime) -> str: ...

    def room_from_url(self, url: str) -> Room: ...


class RemoteVideoProvider(VideoProvider, Protocol):
    """A provider whose rooms are meetings on someone else's server (Zoom, Google Meet)."""

    def create_meeting(self, meeting: MeetingRequest) -> Room: ...

    def update_meeting(self, room_id: str, meeting: MeetingRequest) -> None: ...

    def delete_meeting(self, room_id: str) -> None: ...


class JitsiProvider:
    name = "jitsi"

    def __init__(self, *, base_url: str, app_id: str = "", secret: str = "") -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in {"https", "http"} or not parts.netloc:
            raise ValueError("VIDEO_JITSI_BASE_URL must be an absolute http(s) URL")
        if bool(app_id) != bool(secret):
            raise ValueError("set both VIDEO_JITSI_APP_ID and VIDEO_JITSI_SECRET, or neither")
        self.base_url = base_url.rstrip("/")
        self.host = parts.hostname or ""
        self.app_id = app_id
        self.secret = secret

    def create_room(self, booking_ref: str) -> Room:
        # The booking reference is not part of the name: names must not be guessable.
        room_id = f"TapTime-{secrets.token_urlsafe(24)}"
        return Room(url=f"{self.base_url}/{quote(room_id)}", provider=self.name, room_id=room_id)

    def room_from_url(self, url: str) -> Room:
        """The room a booking stored (its ``video_url``)."""
        return Room(url=url, provider=self.name, room_id=unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]))

    def join_url(self, room: Room, *, display_name: str, email: str, moderator: bool, expires: datetime) -> str:
        """The URL one participant opens; carries a room-scoped JWT when tokens are configured.

        The claims follow Jitsi's token authentication (``aud``/``iss``/``sub``/
        ``room``) and the context the common Prosody plugins read:
        ``moderator`` (JaaS, ``token_moderation``), ``affiliation`` ("owner" or
        "member", ``token_affiliation``), ``lobby_bypass`` for the moderator
        (``token_lobby_bypass``) and ``lobby`` for everyone else
        (``token_lobby_ondemand``, which also switches the room's lobby on).
        """
        if not self.secret:
            return room.url
        now = datetime.now(UTC)
        claims = {
            "aud": "jitsi",
            "iss": self.app_id,
            "sub": self.host,
            "room": room.room_id,
            "iat": int(now.timestamp()),
            "nbf": int((now - timedelta(minutes=1)).timestamp()),
            "exp": int(expires.timestamp()),
            "context": {
                "user": {
                    "name": display_name,
                    "email": email,
                    "moderator": moderator,
                    "affiliation": "owner" if moderator else "member",
                    "lobby_bypass": moderator,
                    "lobby": not moderator,
                },
                "room": {"lobby": True},
            },
        }
        token = jwt.encode(claims, self.secret, algorithm="HS256")
        return f"{room.url}?jwt={token}"


def jitsi_from_settings() -> JitsiProvider:
    return JitsiProvider(
        base_url=getattr(settings, "VIDEO_JITSI_BASE_URL", "https://meet.jit.si"),
        app_id=getattr(settings, "VIDEO_JITSI_APP_ID", ""),
        secret=getattr(settings, "VIDEO_JITSI_SECRET", ""),
    )


JITSI = "jitsi"
ZOOM = "zoom"
GOOGLE_MEET = "google_meet"

# name -> factory.
PROVIDERS = {
    JITSI: "bookings.video.jitsi_from_settings",
    ZOOM: "bookings.video.zoom.zoom_from_settings",
    GOOGLE_MEET: "bookings.video.meet.google_meet_from_settings",
}
# The settings each provider needs (all of them non-empty) before it is offered.
_CREDENTIALS = {
    JITSI: (),
    ZOOM: ("VIDEO_ZOOM_ACCOUNT_ID", "VIDEO_ZOOM_CLIENT_ID", "VIDEO_ZOOM_CLIENT_SECRET"),
    GOOGLE_MEET: ("VIDEO_GOOGLE_CLIENT_ID", "VIDEO_GOOGLE_CLIENT_SECRET", "VIDEO_GOOGLE_REFRESH_TOKEN"),
}


def configured_providers() -> list[str]:
    """The providers that can make rooms here: Jitsi always, the others when their credentials are set."""
    return [name for name, needed in _CREDENTIALS.items() if all(getattr(settings, key, "") for key in needed)]


def provider_by_name(name: str) -> VideoProvider:
    """The adapter ``name``; ``ValueError`` for an unknown or unconfigured one."""
    if name not in PROVIDERS:
        raise ValueError(f"unknown video provider {name!r}; known: {', '.join(sorted(PROVIDERS))}")
    if name not in configured_providers():
        raise ValueError(f"video provider {name!r} has no credentials configured")
    return import_string(PROVIDERS[name])()


def default_provider_name() -> str:
    """``VIDEO_PROVIDER`` when it names a configured provider, else Jitsi."""
    name = getattr(settings, "VIDEO_PROVIDER", JITSI)
    return name if name in configured_providers() else JITSI


def video_provider() -> VideoProvider:
    """The platform's default provider (``VIDEO_PROVIDER``); an unknown name is refused."""
    name = getattr(settings, "VIDEO_PROVIDER", JITSI)
    if name not in PROVIDERS:
        raise ValueError(f"unknown VIDEO_PROVIDER {name!r}; known: {', '.join(sorted(PROVIDERS))}") from None
    return provider_by_name(name)


def video_room_create(*, booking_ref: str) -> Room:
    """A Jitsi room, named locally (no network call): every confirmed booking gets one at once."""
    return jitsi_from_settings().create_room(booking_ref)
