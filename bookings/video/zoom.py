"""Zoom meetings through a Server-to-Server OAuth app, and the checks on Zoom's webhooks.

Token (Zoom, "Server-to-Server OAuth"): ``POST https://zoom.us/oauth/token?grant_type=
account_credentials&account_id=<id>`` with HTTP basic auth (client id : client secret);
the answer is ``{"access_token", "token_type": "bearer", "expires_in": 3599, "scope",
"api_url"}``. There is no refresh token: a new token is asked for when the cached one is
about to expire.

Meetings (Zoom Meeting API v2): ``POST /v2/users/me/meetings`` (201 with ``id``,
``uuid``, ``join_url``, ``start_url``…), ``PATCH /v2/meetings/{id}`` (204),
``DELETE /v2/meetings/{id}`` (204; 404 with code 3001 when it is gone already),
``GET /v2/meetings/{id}`` (200, a fresh ``start_url``). Meetings are created for
``me``, the account the app belongs to, so every meeting's host is the platform's Zoom
user: the expert becomes the host through the ``start_url``, which the join view fetches
at the moment the expert joins (it carries a host key that expires after two hours, so it
is neither stored nor emailed). The learner gets the ``join_url``, and waits in the
waiting room until the expert starts the meeting (``join_before_host`` false).

Webhooks: ``x-zm-signature`` is ``v0=`` + hex HMAC-SHA256 of ``v0:{x-zm-request-timestamp}
:{raw body}`` keyed with the app's secret token; the endpoint's URL check
(``endpoint.url_validation``) is answered with the HMAC of its ``plainToken``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from django.conf import settings

from . import MeetingRequest, Room
from .http import BearerClient, TokenCache, VideoProviderError, error_from_response, json_body, send

TOKEN_URL = "https://zoom.us/oauth/token"  # noqa: S105 - an address, not a secret
API_URL = "https://api.zoom.us/v2"
# Webhooks older than this are refused (a replayed capture), and so are ones this far in the future.
WEBHOOK_MAX_AGE_SECONDS = 300


class ZoomProvider:
    name = "zoom"

    def __init__(
        self, *, account_id: str, client_id: str, client_secret: str, clock: Callable[[], float] | None = None
    ):
        if not (account_id and client_id and client_secret):
            raise ValueError("set VIDEO_ZOOM_ACCOUNT_ID, VIDEO_ZOOM_CLIENT_ID and VIDEO_ZOOM_CLIENT_SECRET")
        self.account_id = account_id
        self.client_id = client_id
        self.client_secret = client_secret
        extra = {"clock": clock} if clock else {}
        self.tokens = TokenCache(key=f"zoom:{account_id}:{client_id}", fetch=self._fetch_token, **extra)
        self.client = BearerClient(provider="Zoom", tokens=self.tokens)

    def _fetch_token(self) -> dict[str, Any]:
        response = send(
            "Zoom",
            "POST",
            TOKEN_URL,
            params={"grant_type": "account_credentials", "account_id": self.account_id},
            auth=(self.client_id, self.client_secret),
        )
        if response.status_code != 200:
            raise error_from_response("Zoom OAuth", response)
        return json_body("Zoom OAuth", response)

    @staticmethod
    def _schedule(meeting: MeetingRequest) -> dict[str, Any]:
        return {
            "start_time": meeting.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "duration": max(int((meeting.end - meeting.start).total_seconds() // 60), 1),
            "timezone": "UTC",
        }

    def create_meeting(self, meeting: MeetingRequest) -> Room:
        body = {
            "topic": meeting.topic[:200],
            "type": 2,  # a scheduled meeting
            **self._schedule(meeting),
            "settings": {
                "waiting_room": True,
                "join_before_host": False,
                "auto_recording": "none",
                "host_video": True,
                "participant_video": True,
                "mute_upon_entry": False,
            },
        }
        response = self.client.call("POST", f"{API_URL}/users/me/meetings", ok=(201,), json=body)
        answer = json_body("Zoom", response)
        meeting_id, join_url = answer.get("id"), answer.get("join_url")
        if not meeting_id or not isinstance(join_url, str) or not join_url.startswith("https://"):
            raise VideoProviderError("Zoom created a meeting without an id or join_url", retryable=False)
        return Room(url=join_url, provider=self.name, room_id=str(meeting_id))

    def update_meeting(self, room_id: str, meeting: MeetingRequest) -> None:
        self.client.call(
            "PATCH", f"{API_URL}/meetings/{quote(room_id, safe='')}", ok=(204,), json=self._schedule(meeting)
        )

    def delete_meeting(self, room_id: str) -> None:
        """Delete it; a meeting that is gone already (404) is what we wanted."""
        self.client.call("DELETE", f"{API_URL}/meetings/{quote(room_id, safe='')}", ok=(204, 404))

    def room_from_url(self, url: str) -> Room:
        return Room(url=url, provider=self.name, room_id="")

    def host_url(self, room_id: str) -> str:
        """A fresh ``start_url`` for the host (the expert); its host key lasts two hours."""
        response = self.client.call("GET", f"{API_URL}/meetings/{quote(room_id, safe='')}", ok=(200,))
        start_url = json_body("Zoom", response).get("start_url")
        if not isinstance(start_url, str) or not start_url.startswith("https://"):
            raise VideoProviderError("Zoom answered without a start_url", retryable=False)
        return start_url

    def join_url(self, room: Room, *, display_name: str, email: str, moderator: bool, expires: datetime) -> str:
        """The learner's way in is the meeting's ``join_url``; the expert's is a fresh ``start_url``
        (``host_url``), which the join view asks for and falls back from to the ``join_url``."""
        return room.url


def zoom_from_settings() -> ZoomProvider:
    return ZoomProvider(
        account_id=settings.VIDEO_ZOOM_ACCOUNT_ID,
        client_id=settings.VIDEO_ZOOM_CLIENT_ID,
        client_secret=settings.VIDEO_ZOOM_CLIENT_SECRET,
    )


def zoom_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def zoom_webhook_verify(*, secret: str, timestamp: str, signature: str, body: bytes, now: float) -> bool:
    """The request is Zoom's (signature) and recent (timestamp within ``WEBHOOK_MAX_AGE_SECONDS``)."""
    if not (secret and timestamp.isdigit() and signature):
        return False
    if abs(now - int(timestamp)) > WEBHOOK_MAX_AGE_SECONDS:
        return False
    return hmac.compare_digest(zoom_signature(secret=secret, timestamp=timestamp, body=body), signature)


def zoom_url_validation(*, secret: str, plain_token: str) -> dict[str, str]:
    """The answer to ``endpoint.url_validation``."""
    encrypted = hmac.new(secret.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}
