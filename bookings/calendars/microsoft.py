"""Outlook (Microsoft Graph) for one connected expert account (scopes ``offline_access Calendars.ReadWrite``).

Busy times: ``POST https://graph.microsoft.com/v1.0/me/calendar/getSchedule`` with
``{"schedules": [<account address>], "startTime": {"dateTime", "timeZone": "UTC"},
"endTime": {…}, "availabilityViewInterval": 15}``; the answer is ``{"value":
[{"scheduleId", "availabilityView", "scheduleItems": [{"status", "start": {"dateTime",
"timeZone"}, "end": {…}}], "error"?: {"message", "responseCode"}}]}``. Items whose
status is ``free`` or ``workingElsewhere`` do not block; busy, tentative and oof do.
Graph allows at most 62 days per call (the caller asks for less).

Calendars to write to: ``GET /me/calendars`` answers ``{"value": [{"id", "name",
"canEdit", "isDefaultCalendar", "owner": {"name", "address"}}], "@odata.nextLink"?}``.

Sessions: ``POST /me/calendars/{calendar}/events`` (201 with the event's ``id``), with a
``transactionId`` made from the booking so a retry after a lost answer does not make a
second event; ``PATCH /me/events/{id}`` moves it; ``DELETE /me/events/{id}`` (204; 404
when gone) removes it.

Tokens: ``POST https://login.microsoftonline.com/common/oauth2/v2.0/token``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from . import MAX_LIST_PAGES, Busy, CalendarChoice, CalendarSyncError, SessionEvent, Tokens
from .http import BearerClient, json_body, token_request, utc_now

TOKEN_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/token"  # noqa: S105 - an address
API_URL = "https://graph.microsoft.com/v1.0"
SCOPE = "offline_access Calendars.ReadWrite"
NOT_BLOCKING = frozenset({"free", "workingelsewhere"})


def _graph_time(value: datetime) -> dict[str, str]:
    return {"dateTime": value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}


def _parse(value: Any) -> datetime:
    """Graph's ``{"dateTime": "2026-12-01T09:00:00.0000000", "timeZone": "UTC"}`` (UTC unless a Prefer header)."""
    if not isinstance(value, dict) or str(value.get("timeZone", "UTC")).upper() not in ("UTC", "ETC/UTC"):
        raise ValueError("a schedule time outside UTC")
    text = str(value["dateTime"])[:19]
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


AUTHORIZE_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"


def microsoft_authorize_url(*, client_id: str, redirect_uri: str, state: str) -> str:
    query = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "response_mode": "query",
        "scope": SCOPE,
        "state": state,
    }
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


def microsoft_token_exchange(
    *, client_id: str, client_secret: str, code: str, redirect_uri: str, now: datetime | None = None
) -> Tokens:
    data = {
        "client_id": client_id,
        "client_secret": client_secret,
        "code": code,
        "redirect_uri": redirect_uri,
        "grant_type": "authorization_code",
        "scope": SCOPE,
    }
    return token_request("Microsoft identity platform", TOKEN_URL, data, now=now or utc_now())


class OutlookCalendar:
    name = "microsoft"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        tokens: Tokens,
        account_email: str,
        calendar_id: str = "",
        on_refresh: Callable[[Tokens], None] = lambda tokens: None,
        clock: Callable[[], datetime] = utc_now,
    ):
        self.client_id, self.client_secret = client_id, client_secret
        self.account_email = account_email
        self.calendar_id = calendar_id
        self.client = BearerClient(
            provider="Microsoft Graph", tokens=tokens, refresh=self._refresh, on_refresh=on_refresh, clock=clock
        )
        self.clock = clock

    def _refresh(self, refresh_token: str) -> Tokens:
        data = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": refresh_token,
            "grant_type": "refresh_token",
            "scope": SCOPE,
        }
        return token_request(
            "Microsoft identity platform", TOKEN_URL, data, now=self.clock(), refresh_token=refresh_token
        )

    def busy(self, start: datetime, end: datetime) -> list[Busy]:
        body = {
            "schedules": [self.account_email],
            "startTime": _graph_time(start),
            "endTime": _graph_time(end),
            "availabilityViewInterval": 15,
        }
        response = self.client.call("POST", f"{API_URL}/me/calendar/getSchedule", ok=(200,), json=body)
        schedules = json_body("Microsoft Graph", response).get("value")
        if not isinstance(schedules, list) or not schedules or not isinstance(schedules[0], dict):
            raise CalendarSyncError("Microsoft Graph answered no schedule", retryable=True)
        schedule = schedules[0]
        if schedule.get("error"):
            message = (schedule["error"] or {}).get("message", "unknown error")
            raise CalendarSyncError(f"Microsoft Graph: {message}")
        try:
            return [
                Busy(start=_parse(item["start"]), end=_parse(item["end"]))
                for item in schedule.get("scheduleItems") or []
                if str(item.get("status", "busy")).lower() not in NOT_BLOCKING
            ]
        except (KeyError, TypeError, ValueError):
            raise CalendarSyncError("Microsoft Graph answered busy times in an unexpected shape") from None

    def calendars(self) -> list[CalendarChoice]:
        """The account's calendars the expert may write to (``canEdit``), the default one first."""
        found: list[CalendarChoice] = []
        url: str | None = f"{API_URL}/me/calendars"
        params: dict[str, str] | None = {"$select": "id,name,canEdit,isDefaultCalendar", "$top": "100"}
        for _page in range(MAX_LIST_PAGES):
            if url is None:
                break
            answer = json_body("Microsoft Graph", self.client.call("GET", url, ok=(200,), params=params))
            items = answer.get("value")
            if not isinstance(items, list):
                raise CalendarSyncError("Microsoft Graph answered a calendar list in an unexpected shape")
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item.get("canEdit"):
                    continue
                name = str(item.get("name") or item["id"])[:255]
                found.append(CalendarChoice(id=item["id"], name=name, primary=bool(item.get("isDefaultCalendar"))))
            link = answer.get("@odata.nextLink")
            # The next page's address carries its own query; only Graph's own host is followed.
            url = link if isinstance(link, str) and link.startswith(f"{API_URL}/") else None
            params = None
        return sorted(found, key=lambda choice: not choice.primary)

    def _body(self, event: SessionEvent) -> dict[str, Any]:
        return {
            "subject": event.summary[:200],
            "body": {"contentType": "text", "content": event.join_url},
            "start": _graph_time(event.start),
            "end": _graph_time(event.end),
            "location": {"displayName": event.join_url[:250]},
            "showAs": "busy",
            "sensitivity": "private",
            "isReminderOn": False,
        }

    def event_create(self, event: SessionEvent) -> str:
        url = (
            f"{API_URL}/me/calendars/{quote(self.calendar_id, safe='')}/events"
            if self.calendar_id
            else f"{API_URL}/me/calendar/events"
        )
        transaction_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"taptime:{event.ref}"))
        response = self.client.call("POST", url, ok=(201,), json={**self._body(event), "transactionId": transaction_id})
        event_id = json_body("Microsoft Graph", response).get("id")
        if not isinstance(event_id, str) or not event_id:
            raise CalendarSyncError("Microsoft Graph made an event without an id", retryable=True)
        return event_id

    def event_update(self, event_id: str, event: SessionEvent) -> None:
        self.client.call("PATCH", f"{API_URL}/me/events/{quote(event_id, safe='')}", ok=(200,), json=self._body(event))

    def account_address(self) -> str:
        """The connected account's address (``GET /me``: ``mail``, else ``userPrincipalName``)."""
        response = self.client.call("GET", f"{API_URL}/me", ok=(200,), params={"$select": "mail,userPrincipalName"})
        body = json_body("Microsoft Graph", response)
        address = body.get("mail") or body.get("userPrincipalName")
        if not isinstance(address, str) or "@" not in address:
            raise CalendarSyncError("Microsoft Graph did not say which account this is")
        return address

    def event_delete(self, event_id: str) -> None:
        self.client.call("DELETE", f"{API_URL}/me/events/{quote(event_id, safe='')}", ok=(200, 204, 404, 410))
