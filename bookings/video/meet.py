"""Google Meet rooms through the Google Calendar API's conference creation.

Auth: one Google account of the platform (a Workspace user that owns the session
calendar), authorised once by an operator for the ``calendar.events`` scope; its
OAuth client id, client secret and refresh token are configuration
(``VIDEO_GOOGLE_*``). An access token comes from ``POST https://oauth2.googleapis.com/
token`` (``grant_type=refresh_token``; answer ``{"access_token", "expires_in": 3599,
"scope", "token_type": "Bearer"}``) and is cached until shortly before it expires.
Per-expert tokens arrive with calendar sync (issue 14); the adapter takes its token
source in the constructor so that change stays here.

Rooms: ``POST /calendar/v3/calendars/{calendar}/events?conferenceDataVersion=1`` with
``conferenceData.createRequest`` (``conferenceSolutionKey.type`` "hangoutsMeet", a
``requestId`` made from the booking) and an event ``id`` made from the booking too, so
a retry after a lost answer gets 409 and reads the event it already made instead of
making a second one. The room is the ``video`` entry point of
``conferenceData.entryPoints`` (or ``hangoutLink``). The event has no attendees: Google
would otherwise mail them the Meet link, and the join view is the only way in.
``PATCH …/events/{id}`` moves it; ``DELETE …/events/{id}`` (204; 404 or 410 when gone)
removes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from django.conf import settings

from . import MeetingRequest, Room
from .http import BearerClient, TokenCache, VideoProviderError, error_from_response, json_body, send

TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 - an address, not a secret
API_URL = "https://www.googleapis.com/calendar/v3"


def event_id_for(booking_ref: str) -> str:
    """A Calendar event id for the booking: base32hex characters (a–v, 0–9), 5–1024 long."""
    digest = hashlib.sha256(booking_ref.encode()).hexdigest()  # 0-9a-f: a subset of base32hex
    return f"taptime{digest[:24]}"


class GoogleMeetProvider:
    name = "google_meet"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        calendar_id: str = "primary",
        clock: Callable[[], float] | None = None,
    ):
        if not (client_id and client_secret and refresh_token):
            raise ValueError("set VIDEO_GOOGLE_CLIENT_ID, VIDEO_GOOGLE_CLIENT_SECRET and VIDEO_GOOGLE_REFRESH_TOKEN")
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.events_url = f"{API_URL}/calendars/{quote(calendar_id or 'primary', safe='')}/events"
        extra = {"clock": clock} if clock else {}
        self.tokens = TokenCache(key=f"google:{client_id}:{refresh_token}", fetch=self._fetch_token, **extra)
        self.client = BearerClient(provider="Google Calendar", tokens=self.tokens)

    def _fetch_token(self) -> dict[str, Any]:
        response = send(
            "Google OAuth",
            "POST",
            TOKEN_URL,
            data={
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "refresh_token": self.refresh_token,
                "grant_type": "refresh_token",
            },
        )
        if response.status_code != 200:
            # 400 invalid_grant: the refresh token was revoked or expired; an operator must authorise again.
            raise error_from_response("Google OAuth", response)
        return json_body("Google OAuth", response)

    @staticmethod
    def _times(meeting: MeetingRequest) -> dict[str, Any]:
        def moment(value: datetime) -> dict[str, str]:
            return {"dateTime": value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "timeZone": "UTC"}

        return {"start": moment(meeting.start), "end": moment(meeting.end)}

    def _room(self, event: dict[str, Any]) -> Room:
        conference = event.get("conferenceData") or {}
        entry_points = conference.get("entryPoints") or []
        video = next((point.get("uri") for point in entry_points if point.get("entryPointType") == "video"), None)
        url = video or event.get("hangoutLink")
        event_id = event.get("id")
        if not isinstance(url, str) or not url.startswith("https://meet.google.com/") or not event_id:
            # The conference can still be "pending"; the next attempt reads the same event (409 below).
            status = ((conference.get("createRequest") or {}).get("status") or {}).get("statusCode", "none")
            raise VideoProviderError(f"Google Meet room not ready (conference status {status})", retryable=True)
        return Room(url=url, provider=self.name, room_id=str(event_id))

    def create_meeting(self, meeting: MeetingRequest) -> Room:
        event_id = event_id_for(meeting.ref)
        body = {
            "id": event_id,
            "summary": meeting.topic[:200],
            **self._times(meeting),
            "visibility": "private",
            "guestsCanInviteOthers": False,
            "reminders": {"useDefault": False},
            "conferenceData": {
                "createRequest": {"requestId": f"{meeting.ref}-meet", "conferenceSolutionKey": {"type": "hangoutsMeet"}}
            },
        }
        response = self.client.call(
            "POST", self.events_url, ok=(200, 409), params={"conferenceDataVersion": 1}, json=body
        )
        if response.status_code == 409:  # made by an attempt whose answer was lost: read it
            response = self.client.call("GET", f"{self.events_url}/{event_id}", ok=(200,))
        return self._room(json_body("Google Calendar", response))

    def update_meeting(self, room_id: str, meeting: MeetingRequest) -> None:
        self.client.call("PATCH", f"{self.events_url}/{quote(room_id, safe='')}", ok=(200,), json=self._times(meeting))

    def delete_meeting(self, room_id: str) -> None:
        """Delete the event (and with it the Meet link); one that is gone already is what we wanted."""
        self.client.call("DELETE", f"{self.events_url}/{quote(room_id, safe='')}", ok=(204, 200, 404, 410))

    def room_from_url(self, url: str) -> Room:
        return Room(url=url, provider=self.name, room_id="")

    def join_url(self, room: Room, *, display_name: str, email: str, moderator: bool, expires: datetime) -> str:
        return room.url


def google_meet_from_settings() -> GoogleMeetProvider:
    return GoogleMeetProvider(
        client_id=settings.VIDEO_GOOGLE_CLIENT_ID,
        client_secret=settings.VIDEO_GOOGLE_CLIENT_SECRET,
        refresh_token=settings.VIDEO_GOOGLE_REFRESH_TOKEN,
        calendar_id=settings.VIDEO_GOOGLE_CALENDAR_ID,
    )
