"""The providers' real request and response shapes, as their documentation shows them.

Zoom: Server-to-Server OAuth token (developers.zoom.us/docs/internal-apps/s2s-oauth), "Create a
meeting" (POST /v2/users/{userId}/meetings, 201), "Get a meeting", error bodies ``{"code",
"message"}``, and the webhook events ``meeting.participant_joined`` / ``_left`` and
``recording.completed`` (Zoom's event reference, as typed in zoom/rivet-javascript).
Google: OAuth 2.0 refresh-token exchange and Calendar ``events.insert`` with
``conferenceDataVersion=1`` (the Event resource with ``conferenceData`` and ``hangoutLink``),
error bodies ``{"error": {"errors": [...], "code", "message"}}``.
"""

ZOOM_TOKEN = {
    "access_token": "eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIiwidiI6IjIuMCIsImtpZCI6ImFjY2Vzcy0xIn0.zoom-token-one",
    "token_type": "bearer",
    "expires_in": 3599,
    "scope": "meeting:write:meeting:admin meeting:read:meeting:admin meeting:update:meeting:admin "
    "meeting:delete:meeting:admin",
    "api_url": "https://api.zoom.us",
}
ZOOM_TOKEN_2 = {**ZOOM_TOKEN, "access_token": "eyJzdiI6IjAwMDAwMSJ9.zoom-token-two"}

ZOOM_MEETING = {
    "uuid": "4444AAAiAAAAAiAiAiiAii==",
    "id": 85746065432,
    "host_id": "KDcuGIm1QgePTO8WbOqwIQ",
    "host_email": "sessions@taptime.example",
    "assistant_id": "",
    "topic": "TapTime session 1",
    "type": 2,
    "status": "waiting",
    "start_time": "2026-12-07T09:00:00Z",
    "duration": 60,
    "timezone": "UTC",
    "created_at": "2026-11-29T22:00:00Z",
    "start_url": "https://us05web.zoom.us/s/85746065432?zak=eyJ0eXAiOiJKV1QiLCJzdiI6IjAwMDAwMSJ9.host-key-1",
    "join_url": "https://us05web.zoom.us/j/85746065432?pwd=Rk1RbGtnb3Y2c0FCK0xyRlhTdz09",
    "password": "f4Tq9x",
    "h323_password": "483920",
    "pstn_password": "483920",
    "encrypted_password": "Rk1RbGtnb3Y2c0FCK0xyRlhTdz09",
    "settings": {
        "host_video": True,
        "participant_video": True,
        "join_before_host": False,
        "mute_upon_entry": False,
        "waiting_room": True,
        "auto_recording": "none",
        "approval_type": 2,
        "audio": "voip",
        "meeting_authentication": False,
    },
    "pre_schedule": False,
}
ZOOM_MEETING_FRESH_HOST = {
    **ZOOM_MEETING,
    "start_url": "https://us05web.zoom.us/s/85746065432?zak=eyJ0eXAiOiJKV1QiLCJzdiI6IjAwMDAwMSJ9.host-key-2",
}
ZOOM_INVALID_TOKEN = {"code": 124, "message": "Invalid access token."}
ZOOM_RATE_LIMITED = {
    "code": 429,
    "message": "You have exceeded the daily rate limit of (100) for Create a meeting API.",
}
ZOOM_NO_MEETING = {"code": 3001, "message": "Meeting does not exist: 85746065432."}
ZOOM_BAD_REQUEST = {"code": 300, "message": "Invalid meeting id."}


def zoom_participant_event(event: str, *, meeting_id: int, at: str, email: str = "lena@example.com") -> dict:
    field = "join_time" if event == "meeting.participant_joined" else "leave_time"
    participant = {
        "user_id": "16778240",
        "user_name": "Lena Learner",
        "id": "",
        "participant_uuid": "D4DB2D8D-6E43-4D3B-8AA8-1F3A8F5E8F01",
        "email": email,
        "participant_user_id": "",
        "customer_key": "",
        "phone_number": "",
        field: at,
    }
    if field == "leave_time":
        participant["leave_reason"] = "left the meeting. Reason : left the meeting"
    return {
        "event": event,
        "event_ts": 1796378413000,
        "payload": {
            "account_id": "AAAAAABBBB",
            "object": {
                "id": str(meeting_id),
                "uuid": "4444AAAiAAAAAiAiAiiAii==",
                "host_id": "KDcuGIm1QgePTO8WbOqwIQ",
                "topic": "TapTime session 1",
                "type": 2,
                "start_time": "2026-12-07T09:00:00Z",
                "timezone": "UTC",
                "duration": 60,
                "participant": participant,
            },
        },
    }


def zoom_recording_completed(*, meeting_id: int) -> dict:
    def recording_file(file_id: str, file_type: str, extension: str, recording_type: str, size: int) -> dict:
        return {
            "id": file_id,
            "meeting_id": "4444AAAiAAAAAiAiAiiAii==",
            "recording_start": "2026-12-07T09:01:12Z",
            "recording_end": "2026-12-07T09:58:40Z",
            "file_type": file_type,
            "file_size": size,
            "file_extension": extension,
            "play_url": f"https://us05web.zoom.us/rec/play/{file_id}",
            "download_url": f"https://us05web.zoom.us/rec/download/{file_id}",
            "status": "completed",
            "recording_type": recording_type,
        }

    return {
        "event": "recording.completed",
        "event_ts": 1796382000000,
        "download_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.download-token-for-24-hours",
        "payload": {
            "account_id": "AAAAAABBBB",
            "object": {
                "id": meeting_id,
                "uuid": "4444AAAiAAAAAiAiAiiAii==",
                "account_id": "AAAAAABBBB",
                "host_id": "KDcuGIm1QgePTO8WbOqwIQ",
                "host_email": "sessions@taptime.example",
                "topic": "TapTime session 1",
                "type": 2,
                "start_time": "2026-12-07T09:00:00Z",
                "timezone": "UTC",
                "password": "f4Tq9x",
                "duration": 58,
                "share_url": "https://us05web.zoom.us/rec/share/abc",
                "total_size": 193_000_000,
                "recording_count": 2,
                "recording_files": [
                    recording_file("a1b2c3d4-mp4", "MP4", "MP4", "shared_screen_with_speaker_view", 190_000_000),
                    recording_file("a1b2c3d4-m4a", "M4A", "M4A", "audio_only", 3_000_000),
                ],
            },
        },
    }


GOOGLE_TOKEN = {
    "access_token": "ya29.a0AfB_byC-google-token-one",
    "expires_in": 3599,
    "scope": "https://www.googleapis.com/auth/calendar.events",
    "token_type": "Bearer",
}
GOOGLE_TOKEN_REVOKED = {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}


def google_event(*, event_id: str, request_id: str, status: str = "success", code: str = "abc-mnop-xyz") -> dict:
    conference = {
        "createRequest": {
            "requestId": request_id,
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
            "status": {"statusCode": status},
        },
    }
    body = {
        "kind": "calendar#event",
        "etag": '"3481161784712000"',
        "id": event_id,
        "status": "confirmed",
        "htmlLink": f"https://www.google.com/calendar/event?eid={event_id}",
        "created": "2026-11-29T22:00:00.000Z",
        "updated": "2026-11-29T22:00:00.356Z",
        "summary": "TapTime session 1",
        "creator": {"email": "sessions@taptime.example", "self": True},
        "organizer": {"email": "sessions@taptime.example", "self": True},
        "start": {"dateTime": "2026-12-07T09:00:00Z", "timeZone": "UTC"},
        "end": {"dateTime": "2026-12-07T10:00:00Z", "timeZone": "UTC"},
        "iCalUID": f"{event_id}@google.com",
        "sequence": 0,
        "visibility": "private",
        "guestsCanInviteOthers": False,
        "reminders": {"useDefault": False},
        "eventType": "default",
        "conferenceData": conference,
    }
    if status == "success":
        body["hangoutLink"] = f"https://meet.google.com/{code}"
        conference.update(
            {
                "entryPoints": [
                    {
                        "entryPointType": "video",
                        "uri": f"https://meet.google.com/{code}",
                        "label": f"meet.google.com/{code}",
                    },
                    {
                        "entryPointType": "more",
                        "uri": f"https://tel.meet/{code}?pin=4471190318120",
                        "pin": "4471190318120",
                    },
                ],
                "conferenceSolution": {
                    "key": {"type": "hangoutsMeet"},
                    "name": "Google Meet",
                    "iconUri": "https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png",
                },
                "conferenceId": code,
            }
        )
    return body


def google_error(code: int, reason: str, message: str) -> dict:
    return {
        "error": {
            "errors": [{"domain": "global", "reason": reason, "message": message}],
            "code": code,
            "message": message,
        }
    }
