"""Busy times of connected Google and Outlook calendars: the 15-minute job, the slot engine, the hold's
recheck, failures that keep the last good blocks, the failing-streak email, and choosing the calendar
sessions are written to. HTTP is mocked at the boundary with ``responses`` in the providers' shapes."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.urls import reverse
from django.utils.module_loading import import_string

from bookings.calendars import Tokens
from bookings.calendars.google import event_id_for
from bookings.errors import SlotTaken
from bookings.models import ConnectedCalendar, ConnectedCalendarEvent, ImportedBusy
from bookings.selectors.calendars import calendars_in_error_rows
from bookings.selectors.slots import expert_slot_listing
from bookings.services import booking_cancel
from bookings.services.connected_busy import connected_calendar_sync, connected_calendars_sync_all
from bookings.services.connected_calendars import (
    CalendarConnectError,
    connected_calendar_choose,
    connected_calendar_save,
)
from core.models import OutboxMessage
from tests.builders import bookable_expert, confirmed_booking, held_booking, session_type_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)  # Monday 08:00 in Berlin
SLOT = datetime(2026, 6, 3, 8, tzinfo=UTC)  # Wednesday 10:00 in Berlin
HOUR = timedelta(hours=1)
GOOGLE_API = "https://www.googleapis.com/calendar/v3"
FREEBUSY = f"{GOOGLE_API}/freeBusy"
CALENDAR_LIST = f"{GOOGLE_API}/users/me/calendarList"
GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"
GRAPH = "https://graph.microsoft.com/v1.0"
FAILING = "bookings.tasks.send_connected_calendar_failing"
TEAM = "c_9f1e2d3c4b5a@group.calendar.google.com"


@pytest.fixture
def configured(settings):
    settings.CALENDAR_GOOGLE_CLIENT_ID = "cid.apps.googleusercontent.com"
    settings.CALENDAR_GOOGLE_CLIENT_SECRET = "GOCSPX-secret"
    settings.CALENDAR_MICROSOFT_CLIENT_ID = "00000000-0000-0000-0000-000000000000"
    settings.CALENDAR_MICROSOFT_CLIENT_SECRET = "ms-secret"


@pytest.fixture
def session_type(db):
    return bookable_expert(buffer=15)


def connect(expert, *, provider="google", minutes=60, email="ada@gmail.example", calendar_id=""):
    tokens = Tokens("ya29.live", "1//refresh", datetime.now(UTC) + timedelta(minutes=minutes))
    return connected_calendar_save(
        expert=expert, provider=provider, account_email=email, tokens=tokens, calendar_id=calendar_id
    )


def google_busy(*spans, calendar="primary"):
    busy = [{"start": s.strftime("%Y-%m-%dT%H:%M:%SZ"), "end": e.strftime("%Y-%m-%dT%H:%M:%SZ")} for s, e in spans]
    return {
        "kind": "calendar#freeBusy",
        "timeMin": "2026-05-31T06:00:00.000Z",
        "timeMax": "2026-08-01T06:00:00.000Z",
        "calendars": {calendar: {"busy": busy}},
    }


def starts(session_type):
    listing = expert_slot_listing(
        profile=session_type.profile, session_type=session_type, viewer_zone="UTC", week=0, now=NOW
    )
    return [start for day in listing.days for start in day.starts]


def blocks(connection):
    return list(ImportedBusy.objects.filter(connection=connection).order_by("start").values_list("start", "end"))


def failing_emails():
    return OutboxMessage.objects.filter(handler=FAILING).count()


@responses.activate
def test_a_connected_busy_interval_removes_slots_with_the_buffer_and_the_hold_recheck_refuses(session_type, configured):
    expert = session_type.profile.user
    assert SLOT in starts(session_type)
    connection = connect(expert)
    responses.post(FREEBUSY, json=google_busy((SLOT, SLOT + HOUR)))
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "updated"
    assert blocks(connection) == [(SLOT, SLOT + HOUR)]
    connection.refresh_from_db()
    assert (connection.busy_count, connection.failures_in_a_row, connection.last_error) == (1, 0, "")
    assert connection.last_synced_at is not None and connection.last_attempt_at == NOW
    offered = starts(session_type)
    assert SLOT not in offered
    assert SLOT - HOUR not in offered and SLOT + HOUR not in offered  # the 15-minute buffer
    assert SLOT + 2 * HOUR in offered
    with pytest.raises(SlotTaken):
        held_booking(learner=UserFactory(), session_type=session_type, start=SLOT, now=NOW)
    # The horizon (60 days + a day each side) is asked in pieces Graph would accept (at most 62 days).
    sent = [json.loads(call.request.body) for call in responses.calls]
    assert len(sent) == 2 and sent[0]["items"] == [{"id": "primary"}]
    for body in sent:
        span = datetime.fromisoformat(body["timeMax"]) - datetime.fromisoformat(body["timeMin"])
        assert timedelta(0) < span <= timedelta(days=62)
    assert sent[0]["timeMin"] == "2026-05-31T06:00:00Z" and sent[-1]["timeMax"] == "2026-08-01T06:00:00Z"


@responses.activate
def test_outlook_get_schedule_blocks_busy_and_tentative_but_not_free(session_type, configured):
    expert = session_type.profile.user
    connection = connect(expert, provider="microsoft", email="ada@contoso.example")

    def item(status, start, end):
        return {
            "isPrivate": False,
            "status": status,
            "subject": "x",
            "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"},
            "end": {"dateTime": end.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"},
        }

    responses.post(
        f"{GRAPH}/me/calendar/getSchedule",
        json={
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)",
            "value": [
                {
                    "scheduleId": "ada@contoso.example",
                    "availabilityView": "0000200",
                    "scheduleItems": [
                        item("busy", SLOT, SLOT + HOUR),
                        item("tentative", SLOT + 30 * timedelta(minutes=1), SLOT + 2 * HOUR),
                        item("free", SLOT + 5 * HOUR, SLOT + 6 * HOUR),
                    ],
                    "workingHours": {},
                }
            ],
        },
    )
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "updated"
    assert blocks(connection) == [(SLOT, SLOT + 2 * HOUR)]  # merged; the free item does not block
    body = json.loads(responses.calls[0].request.body)
    assert body["schedules"] == ["ada@contoso.example"] and body["availabilityViewInterval"] == 15
    assert SLOT + 5 * HOUR in starts(session_type)


@responses.activate
def test_an_unchanged_answer_rewrites_nothing_and_a_changed_one_replaces_the_blocks(session_type, configured):
    connection = connect(session_type.profile.user)
    responses.post(FREEBUSY, json=google_busy((SLOT, SLOT + HOUR)))
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "updated"
    first_ids = set(ImportedBusy.objects.values_list("pk", flat=True))
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "unchanged"
    assert set(ImportedBusy.objects.values_list("pk", flat=True)) == first_ids
    responses.replace(responses.POST, FREEBUSY, json=google_busy((SLOT + 3 * HOUR, SLOT + 4 * HOUR)))
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "updated"
    assert blocks(connection) == [(SLOT + 3 * HOUR, SLOT + 4 * HOUR)]
    assert SLOT in starts(session_type)


@responses.activate
def test_a_401_refreshes_the_token_once_and_the_read_goes_on(session_type, configured):
    connection = connect(session_type.profile.user)
    responses.post(FREEBUSY, status=401, json={"error": {"code": 401, "message": "Invalid Credentials"}})
    responses.post(GOOGLE_TOKEN, json={"access_token": "ya29.fresh", "expires_in": 3599, "token_type": "Bearer"})
    responses.post(FREEBUSY, json=google_busy((SLOT, SLOT + HOUR)))
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "updated"
    assert responses.calls[2].request.headers["Authorization"] == "Bearer ya29.fresh"
    connection.refresh_from_db()
    assert "ya29.fresh" not in connection.access_token and connection.status == ConnectedCalendar.Status.ACTIVE
    assert blocks(connection) == [(SLOT, SLOT + HOUR)]


@responses.activate
def test_a_revoked_grant_needs_reconnecting_keeps_the_blocks_and_emails_at_once(session_type, configured, mailoutbox):
    expert = session_type.profile.user
    connection = connect(expert)
    responses.post(FREEBUSY, json=google_busy((SLOT, SLOT + HOUR)))
    connected_calendar_sync(connection_id=connection.pk, now=NOW)
    ConnectedCalendar.objects.filter(pk=connection.pk).update(token_expires_at=NOW - HOUR)
    responses.post(
        GOOGLE_TOKEN,
        status=400,
        json={"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
    )
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "failed"
    connection.refresh_from_db()
    assert connection.status == ConnectedCalendar.Status.BROKEN
    assert connection.get_status_display() == "Reconnect needed"
    assert connection.last_error.startswith("TapTime may no longer use this calendar")
    assert blocks(connection) == [(SLOT, SLOT + HOUR)]  # the last good blocks still block
    assert SLOT not in starts(session_type)
    assert failing_emails() == 1  # no retry can mend it, so the expert hears now
    assert import_string(FAILING)(connection.pk) == 1
    assert "Connect" in mailoutbox[-1].subject and "/expert/calendars/" in mailoutbox[-1].body
    assert "ya29" not in mailoutbox[-1].body
    # Left alone by the job until the expert connects again.
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "broken"


@responses.activate
def test_a_rate_limit_keeps_the_blocks_and_the_job_waits_for_retry_after(session_type, configured, monkeypatch):
    connection = connect(session_type.profile.user)
    responses.post(FREEBUSY, json=google_busy((SLOT, SLOT + HOUR)))
    connected_calendar_sync(connection_id=connection.pk, now=NOW)
    responses.replace(
        responses.POST,
        FREEBUSY,
        status=429,
        headers={"Retry-After": "1800"},
        json={"error": {"code": 429, "message": "Rate Limit Exceeded", "errors": [{"reason": "rateLimitExceeded"}]}},
    )
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "failed"
    connection.refresh_from_db()
    assert blocks(connection) == [(SLOT, SLOT + HOUR)]
    assert connection.next_attempt_after == NOW + timedelta(seconds=1800)
    assert "will try again" in connection.last_error and connection.status == ConnectedCalendar.Status.ACTIVE
    queued = []
    monkeypatch.setattr("bookings.services.connected_busy.async_task", lambda name, pk: queued.append((name, pk)))
    assert connected_calendars_sync_all(now=NOW + timedelta(minutes=15)) == 0
    assert connected_calendars_sync_all(now=NOW + timedelta(minutes=31)) == 1
    assert queued == [("bookings.tasks.sync_connected_calendar", connection.pk)]


@responses.activate
def test_server_errors_keep_the_blocks_and_email_once_per_failing_streak(session_type, configured, mailoutbox):
    connection = connect(session_type.profile.user)
    responses.post(FREEBUSY, json=google_busy((SLOT, SLOT + HOUR)))
    connected_calendar_sync(connection_id=connection.pk, now=NOW)
    responses.replace(responses.POST, FREEBUSY, status=503, json={"error": {"code": 503, "message": "Backend Error"}})
    for attempt in range(1, 5):
        assert connected_calendar_sync(connection_id=connection.pk, now=NOW + attempt * 15 * timedelta(minutes=1))
        assert failing_emails() == (1 if attempt >= 3 else 0)
    connection.refresh_from_db()
    assert connection.failures_in_a_row == 4 and blocks(connection) == [(SLOT, SLOT + HOUR)]
    assert import_string(FAILING)(connection.pk) == 1
    assert "is not syncing" in mailoutbox[-1].subject
    assert "4 times" in mailoutbox[-1].body
    # It recovers, then breaks again: a new streak, a new email.
    responses.replace(responses.POST, FREEBUSY, json=google_busy((SLOT, SLOT + HOUR)))
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW + 2 * HOUR) == "unchanged"
    ConnectedCalendar.objects.filter(pk=connection.pk).update(last_synced_at=NOW + 2 * HOUR)
    responses.replace(responses.POST, FREEBUSY, status=500, body="")
    for _attempt in range(3):
        connected_calendar_sync(connection_id=connection.pk, now=NOW + 3 * HOUR)
    assert failing_emails() == 2


def test_a_recovered_calendar_sends_no_late_email(session_type):
    connection = connect(session_type.profile.user)
    assert import_string(FAILING)(connection.pk) == 0
    assert import_string(FAILING)(connection.pk + 1000) == 0


def test_the_job_queues_nothing_when_no_provider_is_configured(session_type, monkeypatch):
    connect(session_type.profile.user)
    monkeypatch.setattr("bookings.services.connected_busy.async_task", lambda *args: pytest.fail("queued"))
    assert connected_calendars_sync_all(now=NOW) == 0
    assert connected_calendar_sync(connection_id=ConnectedCalendar.objects.get().pk, now=NOW) == "not_configured"


def test_disconnecting_removes_its_blocks(session_type, client):
    expert = session_type.profile.user
    connection = connect(expert)
    ImportedBusy.objects.create(connection=connection, expert=expert, start=SLOT, end=SLOT + HOUR)
    client.force_login(expert)
    client.post(reverse("connected_calendar_disconnect", kwargs={"pk": connection.pk}))
    assert not ImportedBusy.objects.exists()


# Choosing the calendar sessions are written to.


def google_calendar_list():
    return {
        "kind": "calendar#calendarList",
        "etag": '"p33c"',
        "nextSyncToken": "CPDA",
        "items": [
            {
                "kind": "calendar#calendarListEntry",
                "id": "ada@gmail.example",
                "summary": "ada@gmail.example",
                "timeZone": "Europe/Berlin",
                "accessRole": "owner",
                "primary": True,
            },
            {"kind": "calendar#calendarListEntry", "id": TEAM, "summary": "TapTime sessions", "accessRole": "owner"},
            {
                "kind": "calendar#calendarListEntry",
                "id": "en.german#holiday@group.v.calendar.google.com",
                "summary": "Holidays in Germany",
                "accessRole": "reader",
            },
        ],
    }


@responses.activate
def test_choosing_a_google_calendar_sends_new_sessions_there_and_leaves_earlier_ones(session_type, configured):
    expert = session_type.profile.user
    connection = connect(expert)
    learner = UserFactory()
    earlier = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT, now=NOW)
    ConnectedCalendarEvent.objects.create(
        connection=connection, booking=earlier, event_id=event_id_for(earlier.reference), calendar_id=""
    )
    responses.get(CALENDAR_LIST, json=google_calendar_list())
    with pytest.raises(CalendarConnectError):
        connected_calendar_choose(expert=expert, connection_id=connection.pk, calendar_id="someone-else@gmail.example")
    with pytest.raises(CalendarConnectError):  # listed, but read-only
        connected_calendar_choose(
            expert=expert, connection_id=connection.pk, calendar_id="en.german#holiday@group.v.calendar.google.com"
        )
    assert ConnectedCalendar.objects.get().calendar_id == ""
    assert connected_calendar_choose(expert=UserFactory(), connection_id=connection.pk, calendar_id=TEAM) is None
    connected_calendar_choose(expert=expert, connection_id=connection.pk, calendar_id=TEAM)
    connection.refresh_from_db()
    assert (connection.calendar_id, connection.calendar_name) == (TEAM, "TapTime sessions")
    assert responses.calls[0].request.params["minAccessRole"] == "writer"

    team_events = f"{GOOGLE_API}/calendars/{TEAM.replace('@', '%40')}/events"
    later = confirmed_booking(learner=learner, session_type=session_type_of(expert), start=SLOT + 2 * HOUR, now=NOW)
    responses.post(team_events, json={"kind": "calendar#event", "id": event_id_for(later.reference)})
    responses.delete(f"{GOOGLE_API}/calendars/primary/events/{event_id_for(earlier.reference)}", status=204)
    booking_cancel(booking=earlier, by=learner, now=NOW)
    for message in OutboxMessage.objects.filter(handler="bookings.tasks.sync_connected_calendars"):
        import_string(message.handler)(**message.payload)
    urls = [
        (call.request.method, call.request.url.split("?")[0])
        for call in responses.calls
        if "calendarList" not in call.request.url
    ]
    assert ("POST", team_events) in urls
    assert ("DELETE", f"{GOOGLE_API}/calendars/primary/events/{event_id_for(earlier.reference)}") in urls
    assert ConnectedCalendarEvent.objects.get(booking=later).calendar_id == TEAM

    # Busy times are read from the main calendar and the chosen one.
    responses.post(FREEBUSY, json={"calendars": {"primary": {"busy": []}, TEAM: {"busy": []}}})
    assert connected_calendar_sync(connection_id=connection.pk, now=NOW) == "unchanged"
    assert json.loads(responses.calls[-1].request.body)["items"] == [{"id": "primary"}, {"id": TEAM}]


@responses.activate
def test_choosing_an_outlook_calendar_lists_graph_calendars_and_stores_the_default_as_empty(session_type, configured):
    expert = session_type.profile.user
    connection = connect(expert, provider="microsoft", email="ada@contoso.example")
    responses.get(
        f"{GRAPH}/me/calendars",
        json={
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('ada')/calendars",
            "value": [
                {"id": "AAMkAGI2TG93AAA=", "name": "Calendar", "canEdit": True, "isDefaultCalendar": True},
                {"id": "AAMkAGI2TG94AAA=", "name": "Birthdays", "canEdit": False, "isDefaultCalendar": False},
                {"id": "AAMkAGI2TG95AAA=", "name": "Consulting", "canEdit": True, "isDefaultCalendar": False},
            ],
        },
    )
    with pytest.raises(CalendarConnectError):
        connected_calendar_choose(expert=expert, connection_id=connection.pk, calendar_id="AAMkAGI2TG94AAA=")
    connected_calendar_choose(expert=expert, connection_id=connection.pk, calendar_id="AAMkAGI2TG95AAA=")
    assert ConnectedCalendar.objects.get().calendar_id == "AAMkAGI2TG95AAA="
    connected_calendar_choose(expert=expert, connection_id=connection.pk, calendar_id="AAMkAGI2TG93AAA=")
    assert ConnectedCalendar.objects.get().calendar_id == ""  # the default calendar


# The screens.

CHOOSE = "connected_calendar_choose"


@responses.activate
def test_the_chooser_page_lists_choices_and_refuses_other_ids_cleanly(client, session_type, configured):
    expert = session_type.profile.user
    connection = connect(expert)
    responses.get(CALENDAR_LIST, json=google_calendar_list())
    client.force_login(expert)
    url = reverse(CHOOSE, kwargs={"pk": connection.pk})
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "TapTime sessions" in text and "Holidays in Germany" not in text
    refused = client.post(url, {"calendar": "../../primary"}, follow=True)
    assert "Choose one of the calendars listed for this account." in refused.content.decode()
    assert client.post(url, {}).status_code == 302
    done = client.post(url, {"calendar": TEAM}, follow=True)
    assert "New sessions will be added to the calendar you chose" in done.content.decode()
    assert ConnectedCalendar.objects.get().calendar_id == TEAM
    client.force_login(bookable_expert().profile.user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"calendar": TEAM}).status_code == 404
    assert client.get(reverse(CHOOSE, kwargs={"pk": 999_999})).status_code == 404


@responses.activate
def test_the_chooser_says_so_when_the_provider_fails_or_the_connection_is_old(client, session_type, configured):
    expert = session_type.profile.user
    connection = connect(expert)
    client.force_login(expert)
    url = reverse(CHOOSE, kwargs={"pk": connection.pk})
    responses.get(
        CALENDAR_LIST,
        status=403,
        json={"error": {"code": 403, "message": "Request had insufficient authentication scopes."}},
    )
    assert "Connect it again to choose one" in client.get(url, follow=True).content.decode()
    responses.replace(responses.GET, CALENDAR_LIST, status=500, body="oops")
    assert "TapTime will try again" in client.get(url, follow=True).content.decode()
    responses.replace(responses.GET, CALENDAR_LIST, json={"kind": "calendar#calendarList", "items": "nope"})
    assert client.get(url, follow=True).status_code == 200


def test_the_chooser_refuses_visitors_and_learners(client, session_type):
    connection = connect(session_type.profile.user)
    url = reverse(CHOOSE, kwargs={"pk": connection.pk})
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_the_calendars_page_shows_connected_health_in_plain_words(client, session_type):
    expert = session_type.profile.user
    working = connect(expert)
    ConnectedCalendar.objects.filter(pk=working.pk).update(last_synced_at=NOW, busy_count=7)
    broken = connect(expert, provider="microsoft", email="ada@contoso.example")
    ConnectedCalendar.objects.filter(pk=broken.pk).update(
        status="broken", failures_in_a_row=1, last_error="TapTime may no longer use this calendar."
    )
    client.force_login(expert)
    text = client.get(reverse("expert_calendars")).content.decode()
    assert "Reconnect needed" in text and "TapTime may no longer use this calendar." in text
    assert "<td>7</td>" in text and "Main calendar" in text
    assert "Choose the calendar for ada@gmail.example" in text
    assert "Connect ada@contoso.example again" in text


def test_the_calendars_page_costs_the_same_queries_for_1_and_10_calendars(client, session_type):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from bookings.models import ExpertCalendar

    expert = session_type.profile.user
    profile = session_type.profile
    client.force_login(expert)
    counts = []
    for size in (1, 10):
        while ConnectedCalendar.objects.filter(expert=expert).count() < size:
            n = ConnectedCalendar.objects.count()
            connect(expert, email=f"ada{n}@gmail.example")
            ExpertCalendar.objects.create(profile=profile, name=f"Cal {n}", url_encrypted="x", url_hint="https://x/…")
        client.get(reverse("expert_calendars"))
        with CaptureQueriesContext(db) as queries:
            page = client.get(reverse("expert_calendars"))
        assert page.status_code == 200
        assert page.content.decode().count("Disconnect Google Calendar") == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_staff_see_connected_calendars_in_error_in_the_report(client, session_type):
    expert = session_type.profile.user
    connect(expert)  # healthy: not listed
    broken = connect(expert, provider="microsoft", email="ada@contoso.example")
    ConnectedCalendar.objects.filter(pk=broken.pk).update(
        status="broken", failures_in_a_row=2, last_error="TapTime may no longer use this calendar."
    )
    rows = calendars_in_error_rows()
    assert [(row.kind, row.calendar, row.failures_in_a_row) for row in rows] == [
        ("Microsoft Outlook", "ada@contoso.example", 2)
    ]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("calendars_in_error_report"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "ada@contoso.example" in text and "TapTime may no longer use this calendar." in text
    assert "ya29" not in text


# Bad input on the connect flow and the disconnect button.


@pytest.mark.parametrize(
    "query",
    [
        {"state": "x" * 5000, "code": "y" * 5000},
        {"state": "\u202e\u0000\ud7ff", "code": "%00"},
        {"state": ["a", "b"], "code": ["c", "d"]},
    ],
)
@responses.activate
def test_a_tampered_state_or_code_connects_nothing_and_never_fails(client, session_type, configured, query):
    client.force_login(session_type.profile.user)
    client.post(reverse("connected_calendar_connect", kwargs={"provider": "google"}))
    page = client.get(reverse("connected_calendar_callback", kwargs={"provider": "google"}), query, follow=True)
    assert page.status_code == 200
    assert "was not started here" in page.content.decode()
    assert not ConnectedCalendar.objects.exists() and len(responses.calls) == 0


@responses.activate
def test_a_tampered_code_with_the_right_state_is_refused_in_plain_words(client, session_type, configured):
    client.force_login(session_type.profile.user)
    started = client.post(reverse("connected_calendar_connect", kwargs={"provider": "google"}))
    from urllib.parse import parse_qs, urlsplit

    state = parse_qs(urlsplit(started["Location"]).query)["state"][0]
    responses.post(
        GOOGLE_TOKEN, status=400, json={"error": "invalid_grant", "error_description": "Malformed auth code."}
    )
    page = client.get(
        reverse("connected_calendar_callback", kwargs={"provider": "google"}),
        {"state": state, "code": "4/0AX4XfWh-tampered"},
        follow=True,
    )
    assert page.status_code == 200 and "could not be connected" in page.content.decode()
    assert not ConnectedCalendar.objects.exists()


def test_disconnecting_someone_elses_calendar_is_a_404_and_changes_nothing(client, session_type):
    theirs = connect(session_type.profile.user)
    ImportedBusy.objects.create(connection=theirs, expert=theirs.expert, start=SLOT, end=SLOT + HOUR)
    client.force_login(bookable_expert().profile.user)
    assert client.post(reverse("connected_calendar_disconnect", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("connected_calendar_disconnect", kwargs={"pk": theirs.pk})).status_code == 405
    assert ConnectedCalendar.objects.filter(pk=theirs.pk).exists() and ImportedBusy.objects.count() == 1


def test_a_block_needs_exactly_one_source(session_type):
    from django.db import IntegrityError, transaction

    expert = session_type.profile.user
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportedBusy.objects.create(expert=expert, start=SLOT, end=SLOT + HOUR)
