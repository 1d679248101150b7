"""The Google Calendar and Outlook adapters at the HTTP boundary, with the providers' request and answer shapes."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
import responses

from bookings.calendars import CalendarSyncError, SessionEvent, Tokens
from bookings.calendars.google import GoogleCalendar, event_id_for, google_token_exchange
from bookings.calendars.microsoft import OutlookCalendar, microsoft_token_exchange

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"
GOOGLE_API = "https://www.googleapis.com/calendar/v3"
MS_TOKEN = "https://login.microsoftonline.com/common/oauth2/v2.0/token"
GRAPH = "https://graph.microsoft.com/v1.0"
EVENT = SessionEvent(
    ref="booking-7",
    start=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
    end=datetime(2026, 12, 2, 10, 0, tzinfo=UTC),
    summary="TapTime session with Lena Learner",
    join_url="https://taptime.example/bookings/7/join/",
)


def fresh(access="ya29.old", refresh="1//refresh", minutes=30) -> Tokens:
    return Tokens(access_token=access, refresh_token=refresh, expires_at=NOW + timedelta(minutes=minutes))


def google(tokens=None, stored=None):
    return GoogleCalendar(
        client_id="cid",
        client_secret="csecret",
        tokens=tokens or fresh(),
        calendar_id="team@example.com",
        on_refresh=(stored.append if stored is not None else lambda tokens: None),
        clock=lambda: NOW,
    )


def outlook(tokens=None, stored=None):
    return OutlookCalendar(
        client_id="cid",
        client_secret="csecret",
        tokens=tokens or fresh(access="eyJ0.old"),
        account_email="expert@contoso.example",
        calendar_id="AAMkAGI2",
        on_refresh=(stored.append if stored is not None else lambda tokens: None),
        clock=lambda: NOW,
    )


def form(call) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(call.request.body).items()}


class TestGoogle:
    @responses.activate
    def test_free_busy_sends_the_window_and_reads_the_busy_times(self):
        responses.post(
            f"{GOOGLE_API}/freeBusy",
            json={
                "kind": "calendar#freeBusy",
                "timeMin": "2026-12-01T00:00:00.000Z",
                "timeMax": "2026-12-08T00:00:00.000Z",
                "calendars": {
                    "primary": {"busy": []},
                    "team@example.com": {
                        "busy": [
                            {"start": "2026-12-02T09:00:00Z", "end": "2026-12-02T10:30:00Z"},
                            {"start": "2026-12-03T14:00:00+01:00", "end": "2026-12-03T15:00:00+01:00"},
                        ]
                    },
                },
            },
        )
        busy = google().busy(NOW, NOW + timedelta(days=7))
        sent = json.loads(responses.calls[0].request.body)
        assert sent == {
            "timeMin": "2026-12-01T08:00:00Z",
            "timeMax": "2026-12-08T08:00:00Z",
            "items": [{"id": "primary"}, {"id": "team@example.com"}],
        }
        assert responses.calls[0].request.headers["Authorization"] == "Bearer ya29.old"
        assert [(b.start, b.end) for b in busy] == [
            (datetime(2026, 12, 2, 9, tzinfo=UTC), datetime(2026, 12, 2, 10, 30, tzinfo=UTC)),
            (datetime(2026, 12, 3, 13, tzinfo=UTC), datetime(2026, 12, 3, 14, tzinfo=UTC)),
        ]

    @responses.activate
    def test_a_calendar_google_cannot_read_is_an_error_not_a_free_week(self):
        responses.post(
            f"{GOOGLE_API}/freeBusy",
            json={
                "calendars": {
                    "primary": {"busy": []},
                    "team@example.com": {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []},
                }
            },
        )
        with pytest.raises(CalendarSyncError, match="notFound") as caught:
            google().busy(NOW, NOW + timedelta(days=1))
        assert not caught.value.retryable

    @responses.activate
    def test_an_expired_token_is_refreshed_once_and_handed_back_for_storage(self):
        responses.post(
            GOOGLE_TOKEN,
            json={"access_token": "ya29.new", "expires_in": 3599, "scope": "x", "token_type": "Bearer"},
        )
        responses.post(
            f"{GOOGLE_API}/freeBusy", json={"calendars": {"primary": {"busy": []}, "team@example.com": {"busy": []}}}
        )
        stored = []
        assert google(tokens=fresh(minutes=-5), stored=stored).busy(NOW, NOW + timedelta(days=1)) == []
        assert form(responses.calls[0]) == {
            "client_id": "cid",
            "client_secret": "csecret",
            "refresh_token": "1//refresh",
            "grant_type": "refresh_token",
        }
        assert responses.calls[1].request.headers["Authorization"] == "Bearer ya29.new"
        # Google keeps the refresh token it did not resend.
        assert stored == [Tokens("ya29.new", "1//refresh", NOW + timedelta(seconds=3599))]

    @responses.activate
    def test_a_401_refreshes_once_then_gives_up(self):
        responses.post(
            f"{GOOGLE_API}/freeBusy", status=401, json={"error": {"code": 401, "message": "Invalid Credentials"}}
        )
        responses.post(GOOGLE_TOKEN, json={"access_token": "ya29.new", "expires_in": 3599, "token_type": "Bearer"})
        with pytest.raises(CalendarSyncError) as caught:
            google().busy(NOW, NOW + timedelta(days=1))
        assert caught.value.status == 401 and not caught.value.retryable
        assert [call.request.url for call in responses.calls] == [
            f"{GOOGLE_API}/freeBusy",
            GOOGLE_TOKEN,
            f"{GOOGLE_API}/freeBusy",
        ]

    @responses.activate
    def test_revoked_access_is_invalid_grant(self):
        responses.post(
            GOOGLE_TOKEN,
            status=400,
            json={"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
        )
        with pytest.raises(CalendarSyncError) as caught:
            google(tokens=fresh(minutes=-1)).busy(NOW, NOW + timedelta(days=1))
        assert caught.value.revoked and not caught.value.retryable
        assert len(responses.calls) == 1

    @pytest.mark.parametrize(
        ("status", "headers", "body", "retry_after"),
        [
            (429, {"Retry-After": "120"}, {"error": {"code": 429, "message": "Too Many Requests"}}, 120.0),
            (403, {}, {"error": {"errors": [{"reason": "rateLimitExceeded"}], "code": 403}}, None),
            (503, {}, {"error": {"code": 503, "message": "Backend Error"}}, None),
            (500, {}, {"error": {"code": 500}}, None),
        ],
    )
    @responses.activate
    def test_rate_limits_and_server_errors_are_retryable(self, status, headers, body, retry_after):
        responses.post(f"{GOOGLE_API}/calendars/team%40example.com/events", status=status, headers=headers, json=body)
        with pytest.raises(CalendarSyncError) as caught:
            google().event_create(EVENT)
        assert caught.value.retryable and caught.value.retry_after == retry_after

    @responses.activate
    def test_a_session_is_inserted_with_a_stable_id_moved_and_deleted(self):
        events = f"{GOOGLE_API}/calendars/team%40example.com/events"
        event_id = event_id_for("booking-7")
        responses.post(events, json={"kind": "calendar#event", "id": event_id, "status": "confirmed"})
        responses.patch(f"{events}/{event_id}", json={"kind": "calendar#event", "id": event_id})
        responses.delete(f"{events}/{event_id}", status=204)
        adapter = google()
        assert adapter.event_create(EVENT) == event_id
        body = json.loads(responses.calls[0].request.body)
        assert body["id"] == event_id and body["summary"] == EVENT.summary
        assert body["start"] == {"dateTime": "2026-12-02T09:00:00Z", "timeZone": "UTC"}
        assert "attendees" not in body and "@" not in json.dumps(body).replace("team@example.com", "")
        adapter.event_update(event_id, EVENT)
        assert json.loads(responses.calls[1].request.body)["end"]["dateTime"] == "2026-12-02T10:00:00Z"
        adapter.event_delete(event_id)
        assert responses.calls[2].request.method == "DELETE"

    @responses.activate
    def test_an_insert_whose_answer_was_lost_patches_the_event_it_made(self):
        events = f"{GOOGLE_API}/calendars/team%40example.com/events"
        event_id = event_id_for("booking-7")
        responses.post(
            events, status=409, json={"error": {"code": 409, "message": "The requested identifier already exists."}}
        )
        responses.patch(f"{events}/{event_id}", json={"id": event_id})
        assert google().event_create(EVENT) == event_id
        assert len(responses.calls) == 2

    @responses.activate
    def test_a_session_already_gone_from_the_calendar_counts_as_deleted(self):
        responses.delete(
            f"{GOOGLE_API}/calendars/team%40example.com/events/abc", status=410, json={"error": {"code": 410}}
        )
        google().event_delete("abc")

    @responses.activate
    def test_the_connect_flow_exchanges_the_code_for_tokens(self):
        responses.post(
            GOOGLE_TOKEN,
            json={
                "access_token": "ya29.a",
                "expires_in": 3599,
                "refresh_token": "1//r",
                "scope": "s",
                "token_type": "Bearer",
            },
        )
        tokens = google_token_exchange(
            client_id="cid", client_secret="cs", code="4/0Ab", redirect_uri="https://taptime.example/cb", now=NOW
        )
        assert tokens == Tokens("ya29.a", "1//r", NOW + timedelta(seconds=3599))
        assert form(responses.calls[0])["grant_type"] == "authorization_code"
        assert form(responses.calls[0])["code"] == "4/0Ab"

    @responses.activate
    def test_a_connect_without_offline_access_is_refused(self):
        responses.post(GOOGLE_TOKEN, json={"access_token": "ya29.a", "expires_in": 3599, "token_type": "Bearer"})
        with pytest.raises(CalendarSyncError, match="refresh_token"):
            google_token_exchange(
                client_id="c", client_secret="s", code="x", redirect_uri="https://t.example/cb", now=NOW
            )


class TestOutlook:
    @responses.activate
    def test_get_schedule_reads_busy_tentative_and_away_but_not_free_or_elsewhere(self):
        item = lambda status, hour: {  # noqa: E731
            "isPrivate": False,
            "status": status,
            "subject": "private",
            "start": {"dateTime": f"2026-12-02T{hour:02d}:00:00.0000000", "timeZone": "UTC"},
            "end": {"dateTime": f"2026-12-02T{hour:02d}:30:00.0000000", "timeZone": "UTC"},
        }
        responses.post(
            f"{GRAPH}/me/calendar/getSchedule",
            json={
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)",
                "value": [
                    {
                        "scheduleId": "expert@contoso.example",
                        "availabilityView": "0220",
                        "scheduleItems": [
                            item("busy", 9),
                            item("tentative", 10),
                            item("oof", 11),
                            item("free", 12),
                            item("workingElsewhere", 13),
                        ],
                        "workingHours": {},
                    }
                ],
            },
        )
        busy = outlook().busy(NOW, NOW + timedelta(days=7))
        sent = json.loads(responses.calls[0].request.body)
        assert sent == {
            "schedules": ["expert@contoso.example"],
            "startTime": {"dateTime": "2026-12-01T08:00:00", "timeZone": "UTC"},
            "endTime": {"dateTime": "2026-12-08T08:00:00", "timeZone": "UTC"},
            "availabilityViewInterval": 15,
        }
        assert [b.start.hour for b in busy] == [9, 10, 11]
        assert busy[0].start.tzinfo is UTC

    @responses.activate
    def test_a_schedule_error_is_an_error(self):
        responses.post(
            f"{GRAPH}/me/calendar/getSchedule",
            json={
                "value": [
                    {
                        "scheduleId": "expert@contoso.example",
                        "error": {"message": "Mailbox not found", "responseCode": "ErrorMailboxNotFound"},
                    }
                ]
            },
        )
        with pytest.raises(CalendarSyncError, match="Mailbox not found"):
            outlook().busy(NOW, NOW + timedelta(days=1))

    @responses.activate
    def test_an_expired_token_is_refreshed_with_the_scope_and_the_new_refresh_token_kept(self):
        responses.post(
            MS_TOKEN,
            json={
                "token_type": "Bearer",
                "scope": "Calendars.ReadWrite",
                "expires_in": 3736,
                "access_token": "eyJ0.new",
                "refresh_token": "M.R3_new",
            },
        )
        responses.post(f"{GRAPH}/me/calendar/getSchedule", json={"value": [{"scheduleId": "x", "scheduleItems": []}]})
        stored = []
        outlook(tokens=fresh(access="eyJ0.old", refresh="M.R3_old", minutes=-1), stored=stored).busy(
            NOW, NOW + timedelta(days=1)
        )
        sent = form(responses.calls[0])
        assert sent["grant_type"] == "refresh_token" and sent["refresh_token"] == "M.R3_old"
        assert sent["scope"] == "offline_access Calendars.ReadWrite"
        assert stored == [Tokens("eyJ0.new", "M.R3_new", NOW + timedelta(seconds=3736))]
        assert responses.calls[1].request.headers["Authorization"] == "Bearer eyJ0.new"

    @responses.activate
    def test_revoked_consent_is_invalid_grant(self):
        responses.post(
            MS_TOKEN,
            status=400,
            json={
                "error": "invalid_grant",
                "error_description": "AADSTS70000: The user has revoked consent.",
                "error_codes": [70000],
            },
        )
        with pytest.raises(CalendarSyncError) as caught:
            outlook(tokens=fresh(minutes=-1)).event_delete("AAMkAD")
        assert caught.value.revoked

    @responses.activate
    def test_throttling_carries_retry_after(self):
        responses.post(
            f"{GRAPH}/me/calendars/AAMkAGI2/events",
            status=429,
            headers={"Retry-After": "30"},
            json={"error": {"code": "TooManyRequests", "message": "Please retry after"}},
        )
        with pytest.raises(CalendarSyncError) as caught:
            outlook().event_create(EVENT)
        assert caught.value.retryable and caught.value.retry_after == 30.0

    @responses.activate
    def test_a_session_is_created_in_the_chosen_calendar_moved_and_deleted(self):
        responses.post(f"{GRAPH}/me/calendars/AAMkAGI2/events", status=201, json={"id": "AAMkAD_event", "subject": "x"})
        responses.patch(f"{GRAPH}/me/events/AAMkAD_event", json={"id": "AAMkAD_event"})
        responses.delete(f"{GRAPH}/me/events/AAMkAD_event", status=204)
        adapter = outlook()
        assert adapter.event_create(EVENT) == "AAMkAD_event"
        body = json.loads(responses.calls[0].request.body)
        assert body["subject"] == EVENT.summary and body["start"] == {
            "dateTime": "2026-12-02T09:00:00",
            "timeZone": "UTC",
        }
        assert body["transactionId"] and "attendees" not in body
        again = outlook()
        responses.post(f"{GRAPH}/me/calendars/AAMkAGI2/events", status=201, json={"id": "AAMkAD_event"})
        again.event_create(EVENT)
        assert json.loads(responses.calls[1].request.body)["transactionId"] == body["transactionId"]
        adapter.event_update("AAMkAD_event", EVENT)
        adapter.event_delete("AAMkAD_event")
        assert [call.request.method for call in responses.calls[2:]] == ["PATCH", "DELETE"]

    @responses.activate
    def test_the_connect_flow_exchanges_the_code_for_tokens(self):
        responses.post(
            MS_TOKEN,
            json={
                "token_type": "Bearer",
                "scope": "Calendars.ReadWrite",
                "expires_in": 3599,
                "access_token": "eyJ0.a",
                "refresh_token": "M.R3",
            },
        )
        tokens = microsoft_token_exchange(
            client_id="c", client_secret="s", code="0.AXo", redirect_uri="https://t.example/cb", now=NOW
        )
        assert tokens.refresh_token == "M.R3"
        assert form(responses.calls[0])["scope"] == "offline_access Calendars.ReadWrite"

    @responses.activate
    def test_an_unreachable_graph_is_retryable(self):
        with pytest.raises(CalendarSyncError) as caught:  # responses refuses any call not registered
            outlook().busy(NOW, NOW + timedelta(days=1))
        assert caught.value.retryable
