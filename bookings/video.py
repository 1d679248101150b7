"""Video rooms behind a small provider interface.

``VIDEO_PROVIDER`` picks the adapter ("jitsi" by default). Zoom and Google
Meet adapters will register themselves in ``PROVIDERS`` with the same
``create_room`` signature.

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


class VideoProvider(Protocol):
    name: str

    def create_room(self, booking_ref: str) -> Room: ...

    def join_url(self, room: Room, *, display_name: str, email: str, moderator: bool, expires: datetime) -> str: ...

    def room_from_url(self, url: str) -> Room: ...


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


# name -> factory. Zoom / Google Meet adapters add themselves here.
PROVIDERS = {"jitsi": "bookings.video.jitsi_from_settings"}


def video_provider() -> VideoProvider:
    name = getattr(settings, "VIDEO_PROVIDER", "jitsi")
    try:
        factory = PROVIDERS[name]
    except KeyError:
        raise ValueError(f"unknown VIDEO_PROVIDER {name!r}; known: {', '.join(sorted(PROVIDERS))}") from None
    return import_string(factory)()


def video_room_create(*, booking_ref: str) -> Room:
    return video_provider().create_room(booking_ref)
