"""Google Calendar for one connected expert account (OAuth scope ``calendar.events`` + ``calendar.freebusy``).

Busy times: ``POST https://www.googleapis.com/calendar/v3/freeBusy`` with
``{"timeMin", "timeMax", "items": [{"id": <calendar>}]}``; the answer is
``{"kind": "calendar#freeBusy", "calendars": {<calendar>: {"busy": [{"start", "end"}],
"errors"?: [{"domain", "reason"}]}}}`` (RFC 3339 times).

The chosen calendar's busy times are read with the primary one's (both in one
``items`` list): the expert lives in the primary calendar even when sessions go
to another.

Calendars to write to: ``GET /users/me/calendarList?minAccessRole=writer`` (scope
``calendar.calendarlist.readonly``) answers ``{"kind": "calendar#calendarList",
"items": [{"id", "summary", "summaryOverride"?, "primary"?, "accessRole"}],
"nextPageToken"?}``.

Sessions: ``POST /calendars/{calendar}/events`` with an event ``id`` made from
the booking (base32hex), so a retry after a lost answer gets 409 and keeps the
event it already made; ``PATCH /calendars/{calendar}/events/{id}`` moves it;
``DELETE`` (204; 404 or 410 when gone) removes it. No attendees: Google would
mail them.

Tokens: ``POST https://oauth2.googleapis.com/token`` (``grant_type=refresh_token``
or ``authorization_code``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from . import MAX_LIST_PAGES, Busy, CalendarChoice, CalendarSyncError, SessionEvent, Tokens
from .http import BearerClient, json_body, token_request, utc_now

TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 - an address, not a secret
API_URL = "https://www.googleapis.com/calendar/v3"
SCOPES = (
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.freebusy",
    "https://www.googleapis.com/auth/calendar.calendarlist.readonly",
)


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a time without an offset")
    return moment.astimezone(UTC)


def event_id_for(ref: str) -> str:
    """A Calendar event id for the session (base32hex characters, 5–1024 long), distinct from Meet's."""
    return "taptimecal" + hashlib.sha256(ref.encode()).hexdigest()[:24]


AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"


def google_authorize_url(*, client_id: str, redirect_uri: str, state: str) -> str:
    """Google's consent page; ``access_type=offline`` and ``prompt=consent`` so a refresh token comes back."""
    query = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": " ".join(SCOPES),
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
        "state": state,
    }
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


def google_token_exchange(
    *, client_id: str, client_secret: str, code: str, redirect_uri: str, now: datetime | None = None
) -> Tokens:
    """The connect flow's last step: the authorization code for tokens (needs ``access_type=offline``)."""
    data = {
        "client_id": client_id,
        "client_secret": client_secret,
        "code": code,
        "redirect_uri": redirect_uri,
        "grant_type": "authorization_code",
    }
    return token_request("Google OAuth", TOKEN_URL, data, now=now or utc_now())


class GoogleCalendar:
    name = "google"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        tokens: Tokens,
        calendar_id: str = "primary",
        on_refresh: Callable[[Tokens], None] = lambda tokens: None,
        clock: Callable[[], datetime] = utc_now,
    ):
        self.client_id, self.client_secret = client_id, client_secret
        self.calendar_id = calendar_id or "primary"
        self.events_url = f"{API_URL}/calendars/{quote(self.calendar_id, safe='')}/events"
        self.client = BearerClient(
            provider="Google Calendar", tokens=tokens, refresh=self._refresh, on_refresh=on_refresh, clock=clock
        )
        self.clock = clock

    def _refresh(self, refresh_token: str) -> Tokens:
        data = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": refresh_token,
            "grant_type": "refresh_token",
        }
        return token_request("Google OAuth", TOKEN_URL, data, now=self.clock(), refresh_token=refresh_token)

    def busy(self, start: datetime, end: datetime) -> list[Busy]:
        ids = list(dict.fromkeys(["primary", self.calendar_id]))
        body = {"timeMin": _rfc3339(start), "timeMax": _rfc3339(end), "items": [{"id": pk} for pk in ids]}
        answer = json_body("Google Calendar", self.client.call("POST", f"{API_URL}/freeBusy", ok=(200,), json=body))
        found: list[Busy] = []
        for calendar_id in ids:
            entry = (answer.get("calendars") or {}).get(calendar_id)
            if not isinstance(entry, dict):
                raise CalendarSyncError("Google Calendar left the chosen calendar out of its answer", retryable=True)
            if entry.get("errors"):
                errors = entry["errors"] if isinstance(entry["errors"], list) else []
                reasons = ", ".join(str(error.get("reason", "?")) for error in errors if isinstance(error, dict))
                # notFound: the calendar was deleted or unshared; backendError: Google's side, try again.
                raise CalendarSyncError(f"Google Calendar: {reasons}", retryable="backendError" in reasons)
            try:
                found.extend(
                    Busy(start=_parse(item["start"]), end=_parse(item["end"])) for item in entry.get("busy") or []
                )
            except (KeyError, TypeError, ValueError):
                raise CalendarSyncError("Google Calendar answered busy times in an unexpected shape") from None
        return found

    def calendars(self) -> list[CalendarChoice]:
        """The calendars of the account the expert may write to (owner or writer), primary first."""
        found: list[CalendarChoice] = []
        params: dict[str, str] = {"minAccessRole": "writer", "maxResults": "250"}
        for _page in range(MAX_LIST_PAGES):
            response = self.client.call("GET", f"{API_URL}/users/me/calendarList", ok=(200,), params=params)
            answer = json_body("Google Calendar", response)
            items = answer.get("items")
            if not isinstance(items, list):
                raise CalendarSyncError("Google Calendar answered a calendar list in an unexpected shape")
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item.get("deleted"):
                    continue
                if item.get("accessRole") not in ("owner", "writer"):
                    continue
                name = item.get("summaryOverride") or item.get("summary") or item["id"]
                found.append(CalendarChoice(id=item["id"], name=str(name)[:255], primary=bool(item.get("primary"))))
            token = answer.get("nextPageToken")
            if not isinstance(token, str) or not token:
                break
            params = {**params, "pageToken": token}
        return sorted(found, key=lambda choice: not choice.primary)

    def _body(self, event: SessionEvent) -> dict[str, Any]:
        return {
            "summary": event.summary[:200],
            "description": event.join_url,
            "location": event.join_url,
            "start": {"dateTime": _rfc3339(event.start), "timeZone": "UTC"},
            "end": {"dateTime": _rfc3339(event.end), "timeZone": "UTC"},
            "source": {"title": "TapTime", "url": event.join_url},
            "visibility": "private",
            "transparency": "opaque",
        }

    def event_create(self, event: SessionEvent) -> str:
        event_id = event_id_for(event.ref)
        response = self.client.call("POST", self.events_url, ok=(200, 409), json={"id": event_id, **self._body(event)})
        if response.status_code == 409:  # made by an attempt whose answer was lost: bring it up to date
            self.event_update(event_id, event)
        return event_id

    def event_update(self, event_id: str, event: SessionEvent) -> None:
        body = {**self._body(event), "status": "confirmed"}
        self.client.call("PATCH", f"{self.events_url}/{quote(event_id, safe='')}", ok=(200,), json=body)

    def account_address(self) -> str:
        """The connected account's address: the id of its primary calendar (``GET /calendars/primary``)."""
        body = json_body("Google Calendar", self.client.call("GET", f"{API_URL}/calendars/primary", ok=(200,)))
        address = body.get("id")
        if not isinstance(address, str) or "@" not in address:
            raise CalendarSyncError("Google Calendar did not say which account this is")
        return address

    def event_delete(self, event_id: str) -> None:
        self.client.call("DELETE", f"{self.events_url}/{quote(event_id, safe='')}", ok=(200, 204, 404, 410))
