"""Connecting a Google or Outlook calendar from the expert's calendars page, through the consent page's return."""

from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.calendars import Tokens
from bookings.models import ConnectedCalendar
from bookings.services.connected_calendars import connected_calendar_save
from tests.builders import bookable_expert

pytestmark = pytest.mark.django_db

PAGE = "/expert/calendars/"
GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"
MS_TOKEN = "https://login.microsoftonline.com/common/oauth2/v2.0/token"


@pytest.fixture
def configured(settings):
    settings.CALENDAR_GOOGLE_CLIENT_ID = "cid.apps.googleusercontent.com"
    settings.CALENDAR_GOOGLE_CLIENT_SECRET = "GOCSPX-secret"
    settings.CALENDAR_MICROSOFT_CLIENT_ID = "11111111-2222-3333-4444-555555555555"
    settings.CALENDAR_MICROSOFT_CLIENT_SECRET = "ms-secret"


@pytest.fixture
def expert(client):
    user = bookable_expert().profile.user
    client.force_login(user)
    return user


def start(client, provider):
    response = client.post(reverse("connected_calendar_connect", kwargs={"provider": provider}))
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)


def back(client, provider, **query):
    return client.get(reverse("connected_calendar_callback", kwargs={"provider": provider}), query, follow=True)


def test_the_demo_says_not_configured_and_connects_nothing(client, expert):
    page = client.get(PAGE)
    assert "No account is connected." in page.text
    assert "Google Calendar: not configured on this site." in page.text
    assert "Microsoft Outlook: not configured on this site." in page.text
    response = client.post(reverse("connected_calendar_connect", kwargs={"provider": "google"}), follow=True)
    assert "not configured on this site" in response.text
    assert "connected_calendar_state" not in client.session


@responses.activate
def test_google_consent_then_return_connects_the_account(client, expert, configured):
    query = start(client, "google")
    assert query["client_id"] == ["cid.apps.googleusercontent.com"]
    assert query["redirect_uri"] == ["http://testserver/expert/connected-calendars/google/callback/"]
    assert query["access_type"] == ["offline"] and query["response_type"] == ["code"]
    assert "https://www.googleapis.com/auth/calendar.events" in query["scope"][0]
    responses.post(
        GOOGLE_TOKEN,
        json={
            "access_token": "ya29.a",
            "expires_in": 3599,
            "refresh_token": "1//r",
            "scope": "x",
            "token_type": "Bearer",
        },
    )
    responses.get(
        "https://www.googleapis.com/calendar/v3/calendars/primary",
        json={"kind": "calendar#calendar", "id": "ada@gmail.example", "summary": "Ada", "timeZone": "Europe/Berlin"},
    )
    page = back(client, "google", state=query["state"][0], code="4/0AbCd", scope="x")
    assert "Google Calendar (ada@gmail.example) is connected" in page.text
    connection = ConnectedCalendar.objects.get(expert=expert)
    assert connection.provider == "google" and connection.account_email == "ada@gmail.example"
    assert "ya29.a" not in connection.access_token
    sent = parse_qs(responses.calls[0].request.body)
    assert sent["code"] == ["4/0AbCd"] and sent["redirect_uri"] == [query["redirect_uri"][0]]
    assert "ada@gmail.example" in client.get(PAGE).text


@responses.activate
def test_outlook_consent_then_return_connects_the_account(client, expert, configured):
    query = start(client, "microsoft")
    assert query["scope"] == ["offline_access Calendars.ReadWrite"] and query["response_mode"] == ["query"]
    responses.post(
        MS_TOKEN,
        json={
            "token_type": "Bearer",
            "scope": "Calendars.ReadWrite",
            "expires_in": 3599,
            "access_token": "eyJ0",
            "refresh_token": "M.R3",
        },
    )
    responses.get(
        "https://graph.microsoft.com/v1.0/me",
        json={"mail": None, "userPrincipalName": "ada@contoso.example"},
    )
    page = back(client, "microsoft", state=query["state"][0], code="0.AXo")
    assert "Microsoft Outlook (ada@contoso.example) is connected" in page.text
    assert ConnectedCalendar.objects.get(expert=expert).account_email == "ada@contoso.example"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"state": "forged", "code": "x"}, "was not started here"),
        ({"code": "x"}, "was not started here"),
        ({"state": "{state}", "error": "access_denied"}, "access was not granted"),
        ({"state": "{state}"}, "access was not granted"),
    ],
)
@responses.activate
def test_a_forged_denied_or_empty_return_connects_nothing(client, expert, configured, query, message):
    state = start(client, "google")["state"][0]
    page = back(client, "google", **{key: value.format(state=state) for key, value in query.items()})
    assert message in page.text
    assert not ConnectedCalendar.objects.exists()
    assert len(responses.calls) == 0


@responses.activate
def test_a_return_for_another_provider_than_started_connects_nothing(client, expert, configured):
    state = start(client, "google")["state"][0]
    assert "was not started here" in back(client, "microsoft", state=state, code="x").text
    assert not ConnectedCalendar.objects.exists()


@responses.activate
def test_a_refused_code_is_told_in_plain_words(client, expert, configured):
    state = start(client, "google")["state"][0]
    responses.post(GOOGLE_TOKEN, status=400, json={"error": "invalid_grant", "error_description": "Bad Request"})
    page = back(client, "google", state=state, code="used-twice")
    assert "could not be connected" in page.text and "Connect it again" in page.text
    assert not ConnectedCalendar.objects.exists()


def test_who_may_connect(client, configured, learner):
    url = reverse("connected_calendar_connect", kwargs={"provider": "google"})
    assert client.post(url)["Location"].startswith("/accounts/login/")
    client.force_login(learner)
    assert client.post(url).status_code == 403
    client.force_login(bookable_expert().profile.user)
    assert client.get(url).status_code == 405
    assert client.post(reverse("connected_calendar_connect", kwargs={"provider": "yahoo"})).status_code == 404


def test_disconnecting_forgets_the_connection(client, expert):
    connection = connected_calendar_save(
        expert=expert, provider="google", account_email="ada@gmail.example", tokens=Tokens("a", "r", timezone.now())
    )
    page = client.post(reverse("connected_calendar_disconnect", kwargs={"pk": connection.pk}), follow=True)
    assert "The calendar is disconnected." in page.text
    assert not ConnectedCalendar.objects.exists()


def test_the_section_costs_the_same_queries_for_one_and_many_connections(client, expert):
    counts = []
    for size in (1, 4):
        while ConnectedCalendar.objects.filter(expert=expert).count() < size:
            n = ConnectedCalendar.objects.count()
            connected_calendar_save(
                expert=expert,
                provider="google",
                account_email=f"a{n}@gmail.example",
                tokens=Tokens("a", "r", timezone.now()),
            )
        client.get(PAGE)  # warm
        with CaptureQueriesContext(db) as queries:
            page = client.get(PAGE)
        assert page.text.count("Disconnect Google Calendar") == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
