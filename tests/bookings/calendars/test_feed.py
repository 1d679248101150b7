"""The private calendar feed: created, shown, regenerated and switched off in settings; what calendar apps read."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookings.models import Booking, CalendarFeed
from bookings.services.calendar_feed import calendar_feed_regenerate
from notifications.ics import invite_uid
from tests.builders import booking_in_state
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Booking.Status


def _session(*, learner, expert, days: float, status=Status.CONFIRMED, **fields) -> Booking:
    start = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    fields.setdefault("confirmed_at", start - timedelta(days=30))
    if status in (Status.CANCELLED_BY_LEARNER, Status.CANCELLED_BY_EXPERT):
        fields.setdefault("cancelled_at", start - timedelta(days=1))
    return booking_in_state(learner=learner, expert=expert, start=start, status=status, **fields)


def _feed_path(user) -> str:
    token = calendar_feed_regenerate(user=user, now=timezone.now())
    return reverse("calendar_feed", kwargs={"token": token})


def _events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _uid(booking) -> str:
    return invite_uid(reference=booking.reference, domain="testserver")


@pytest.fixture
def people(learner, expert_user):
    return learner, expert_user


def test_a_signed_in_user_creates_their_address_and_sees_it_on_the_settings_page(client, learner):
    client.force_login(learner)
    page = client.get(reverse("account_settings"))
    assert "You have no calendar address yet." in page.text
    response = client.post(reverse("calendar_feed_regenerate"), follow=True)
    feed = CalendarFeed.objects.get(user=learner)
    address = response.context["messages"]
    assert "your calendar app" in " ".join(str(m) for m in address)
    shown = response.text.split('id="calendar-feed-url" value="')[1].split('"')[0]
    assert urlsplit(shown).path.startswith("/calendar/") and shown.endswith(".ics")
    token = urlsplit(shown).path.removeprefix("/calendar/").removesuffix(".ics")
    # Only a hash and a ciphertext are stored: the clear token is nowhere in the row.
    assert token not in feed.token_hash and token not in feed.token_encrypted
    assert client.get(urlsplit(shown).path).status_code == 200


def test_the_feed_lists_the_users_sessions_as_learner_and_as_expert_with_the_invites_uid(client, people):
    learner, expert = people
    other_expert = ExpertUserFactory(full_name="Olga Other")
    taught = _session(learner=learner, expert=expert, days=3)
    done = _session(learner=learner, expert=expert, days=-10, status=Status.COMPLETED)
    learned = _session(learner=expert, expert=other_expert, days=400, ics_sequence=2)
    someone_elses = _session(learner=UserFactory(), expert=other_expert, days=4)
    events = _events(client.get(_feed_path(expert)))
    assert set(events) == {_uid(taught), _uid(done), _uid(learned)}
    assert _uid(someone_elses) not in events
    event = events[_uid(taught)]
    assert str(event["SUMMARY"]) == "TapTime session with Lena Learner"
    assert event["DTSTART"].dt == taught.start and event["DTEND"].dt == taught.end
    assert event["STATUS"] == "CONFIRMED" and event["SEQUENCE"] == 0
    assert str(event["URL"]) == f"http://testserver/bookings/{taught.pk}/join/"
    assert str(events[_uid(learned)]["SUMMARY"]) == "TapTime session with Olga Other"
    assert events[_uid(learned)]["SEQUENCE"] == 2

    learner_events = _events(client.get(_feed_path(learner)))
    assert set(learner_events) == {_uid(taught), _uid(done)}
    assert str(learner_events[_uid(taught)]["SUMMARY"]) == "TapTime session with Ezra Expert"


def test_the_calendar_has_a_name_and_asks_subscribers_to_poll_hourly(client, learner, settings):
    response = client.get(_feed_path(learner))
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "TapTime sessions"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    assert calendar.walk("VEVENT") == []
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_cancelled_session_stays_listed_as_cancelled_with_the_cancellation_invites_sequence(client, people):
    learner, expert = people
    cancelled = _session(learner=learner, expert=expert, days=2, status=Status.CANCELLED_BY_EXPERT, ics_sequence=1)
    event = _events(client.get(_feed_path(learner)))[_uid(cancelled)]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2  # the emailed CANCEL went out with ics_sequence + 1
    assert str(event["SUMMARY"]).startswith("Cancelled:")


def test_holds_expired_holds_and_sessions_older_than_the_window_are_left_out(client, people, settings):
    learner, expert = people
    _session(learner=learner, expert=expert, days=1, status=Status.HELD, confirmed_at=None)
    _session(learner=learner, expert=expert, days=-2, status=Status.EXPIRED, confirmed_at=None)
    old = _session(learner=learner, expert=expert, days=-(settings.CALENDAR_FEED_PAST_DAYS + 1))
    recent = _session(learner=learner, expert=expert, days=-(settings.CALENDAR_FEED_PAST_DAYS - 1))
    assert set(_events(client.get(_feed_path(learner)))) == {_uid(recent)}
    assert _uid(old)


def test_no_one_elses_email_address_appears_in_the_feed(client, people):
    learner, expert = people
    _session(learner=learner, expert=expert, days=1, goals_note="mail me at private@example.org")
    nameless = UserFactory(full_name="", email="nameless@example.net")
    _session(learner=nameless, expert=expert, days=2)
    body = client.get(_feed_path(expert)).content.decode()
    for address in (learner.email, expert.email, nameless.email, "private@example.org", "mailto:"):
        assert address not in body
    assert "TapTime session with another participant" in body


def test_hostile_names_cannot_add_lines_to_the_feed(client, expert_user):
    eve = UserFactory(full_name="Eve\r\nATTENDEE:mailto:eve@evil.example\r\nEND:VEVENT")
    session = _session(learner=eve, expert=expert_user, days=1)
    calendar = Calendar.from_ical(client.get(_feed_path(expert_user)).content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == _uid(session)
    assert "ATTENDEE" not in event


@pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 42 + "!", "A" * 44])
def test_an_unknown_or_malformed_address_is_not_found(client, learner, token):
    _feed_path(learner)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_new_address_replaces_the_old_one_and_switching_off_removes_it(client, learner):
    old = _feed_path(learner)
    client.force_login(learner)
    response = client.post(reverse("calendar_feed_regenerate"), follow=True)
    assert "stop updating" in response.text
    assert client.get(old).status_code == 404
    new = urlsplit(response.text.split('id="calendar-feed-url" value="')[1].split('"')[0]).path
    assert new != old and client.get(new).status_code == 200
    response = client.post(reverse("calendar_feed_revoke"), follow=True)
    assert "switched off" in response.text and "You have no calendar address yet." in response.text
    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.filter(user=learner).exists()
    assert "no calendar address to switch off" in client.post(reverse("calendar_feed_revoke"), follow=True).text


def test_the_buttons_need_a_signed_in_user_and_a_post(client, learner):
    for name in ("calendar_feed_regenerate", "calendar_feed_revoke"):
        response = client.post(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CalendarFeed.objects.exists()
    client.force_login(learner)
    assert client.get(reverse("calendar_feed_regenerate")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_feed_only_answers_get(client, learner):
    assert client.post(_feed_path(learner)).status_code == 405


def test_a_poll_with_the_current_etag_gets_not_modified_until_a_session_changes(client, people):
    learner, expert = people
    session = _session(learner=learner, expert=expert, days=1)
    path = _feed_path(learner)
    first = client.get(path)
    etag = first["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    Booking.objects.filter(pk=session.pk).update(
        status=Status.CANCELLED_BY_LEARNER,
        cancelled_at=timezone.now(),
        updated_at=timezone.now() + timedelta(seconds=1),
    )
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert _events(changed)[_uid(session)]["STATUS"] == "CANCELLED"


def test_an_address_polled_too_often_is_told_to_wait(client, learner, settings):
    settings.CALENDAR_FEED_POLLS_PER_HOUR = 2
    path = _feed_path(learner)
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(path)["Retry-After"] == "3600"
    # Another user's address has its own count.
    assert client.get(_feed_path(UserFactory())).status_code == 200


def test_the_feed_is_in_its_owners_language(client, people):
    learner, expert = people
    learner.preferred_language = "de"
    learner.save(update_fields=["preferred_language"])
    _session(learner=learner, expert=expert, days=1)
    body = client.get(_feed_path(learner)).content.decode()
    assert "Ezra Expert" in body and "TapTime session with" not in body


def test_the_feed_costs_the_same_queries_for_few_and_many_sessions(client, people, django_assert_num_queries):
    learner, expert = people
    path = _feed_path(learner)
    for size in (2, 20):
        while Booking.objects.filter(learner=learner).count() < size:
            _session(learner=learner, expert=ExpertUserFactory(), days=Booking.objects.count() + 1)
        # The token lookup, the ETag's aggregate, the sessions.
        with django_assert_num_queries(3):
            assert len(_events(client.get(path))) == size
        etag = client.get(path)["ETag"]
        with django_assert_num_queries(2):
            assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
