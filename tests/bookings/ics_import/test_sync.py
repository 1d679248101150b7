"""The sync job over HTTP (mocked at the boundary with ``responses``): conditional requests, limits,
redirects, plain-words errors, the failure email, and last good blocks kept."""

from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses

from bookings.models import ExpertCalendar, ImportedBusy
from bookings.services.calendars import expert_calendar_add, expert_calendar_sync
from core.models import OutboxMessage
from tests.builders import bookable_expert

from .calendars import event, ics

pytestmark = pytest.mark.django_db

URL = "https://calendar.google.com/calendar/ical/ada%40example.com/private-5ecret70ken/basic.ics"
NOW = datetime(2026, 6, 1, 6, tzinfo=UTC)
MEETING = ics(event("m@x", ":20260603T080000Z", ":20260603T090000Z"))


@pytest.fixture
def calendar():
    profile = bookable_expert().profile
    return expert_calendar_add(profile=profile, name="Work", url=URL)


def sync(calendar, now=NOW):
    result = expert_calendar_sync(calendar_id=calendar.pk, now=now)
    calendar.refresh_from_db()
    return result


def blocks(calendar):
    return list(ImportedBusy.objects.filter(calendar=calendar).values_list("start", "end"))


def test_a_calendar_is_read_and_a_304_parses_nothing(calendar):
    with responses.RequestsMock() as mocked:
        mocked.get(
            URL,
            body=MEETING,
            content_type="text/calendar",
            headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jun 2026 05:00:00 GMT"},
        )
        assert sync(calendar) == "updated"
    assert blocks(calendar) == [(datetime(2026, 6, 3, 8, tzinfo=UTC), datetime(2026, 6, 3, 9, tzinfo=UTC))]
    assert (calendar.busy_count, calendar.last_success_at, calendar.etag) == (1, NOW, '"v1"')
    later = NOW + timedelta(minutes=15)
    with responses.RequestsMock() as mocked:
        mocked.get(URL, status=304)
        assert sync(calendar, now=later) == "not_modified"
        sent = mocked.calls[0].request.headers
    assert (sent["If-None-Match"], sent["If-Modified-Since"]) == ('"v1"', "Mon, 01 Jun 2026 05:00:00 GMT")
    assert len(blocks(calendar)) == 1 and calendar.last_success_at == later


def test_webcal_addresses_are_stored_as_https_and_encrypted():
    profile = bookable_expert().profile
    added = expert_calendar_add(profile=profile, name="Home", url="webcal://calendar.google.com/x/secret123/basic.ics")
    assert "secret123" not in added.url_encrypted and "secret123" not in added.url_hint
    assert added.url_hint.startswith("https://calendar.google.com/")


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({"status": 404, "body": "Not found"}, "The address answered 404."),
        ({"status": 200, "body": "<html>Sign in</html>", "content_type": "text/html"}, "This is not a calendar file."),
        ({"status": 200, "body": "just some text", "content_type": "text/plain"}, "This is not a calendar file."),
        (
            {
                "status": 200,
                "body": "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:x\r\n",
                "content_type": "text/calendar",
            },
            "The calendar file is damaged and could not be read.",
        ),
        ({"body": requests.ReadTimeout()}, "Timed out after 10 s."),
        ({"body": requests.ConnectionError()}, "Could not connect to the address."),
    ],
)
def test_a_failure_keeps_the_last_good_blocks_and_says_why(calendar, answer, words):
    with responses.RequestsMock() as mocked:
        mocked.get(URL, body=MEETING, content_type="text/calendar")
        sync(calendar)
    with responses.RequestsMock() as mocked:
        mocked.get(URL, **answer)
        assert sync(calendar, now=NOW + timedelta(minutes=15)) == "failed"
    assert (calendar.last_error, calendar.failures_in_a_row, calendar.last_success_at) == (words, 1, NOW)
    assert len(blocks(calendar)) == 1 and calendar.busy_count == 1


def test_a_huge_calendar_is_refused_by_its_declared_and_its_real_size(calendar, settings):
    settings.CALENDAR_MAX_BYTES = 1024 * 1024
    big = b"BEGIN:VCALENDAR\r\n" + b"X" * (1024 * 1024 + 10)
    with responses.RequestsMock() as mocked:
        mocked.get(URL, body=big, content_type="text/calendar")
        sync(calendar)
    assert calendar.last_error == "The calendar is larger than 1 MB."
    with responses.RequestsMock() as mocked:
        mocked.get(URL, body=big, content_type="text/calendar", auto_calculate_content_length=False)
        sync(calendar)
    assert calendar.failures_in_a_row == 2 and calendar.last_error == "The calendar is larger than 1 MB."


@pytest.mark.parametrize(
    "target",
    ["https://intranet.example/cal.ics", "http://169.254.169.254/latest/meta-data/", "https://metadata.example/x"],
)
def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed(calendar, target):
    with responses.RequestsMock() as mocked:
        mocked.get(URL, status=302, headers={"Location": target})
        assert sync(calendar) == "failed"
        assert len(mocked.calls) == 1
    assert calendar.last_error == "The address points to a private network; only public addresses are fetched."


def test_loopback_is_refused_unless_the_setting_allows_it(calendar, settings):
    settings.CALENDAR_ALLOW_LOOPBACK = False
    with responses.RequestsMock() as mocked:
        mocked.get(URL, status=301, headers={"Location": "http://127.0.0.1:8000/demo/calendars/google.ics"})
        sync(calendar)
        assert len(mocked.calls) == 1
    assert calendar.last_error.startswith("The address points to a private network")


def test_redirects_to_public_hosts_are_followed_a_few_times_only(calendar):
    other = "https://outlook.office365.com/owa/calendar/abc/reachcalendar.ics"
    with responses.RequestsMock() as mocked:
        mocked.get(URL, status=302, headers={"Location": other})
        mocked.get(other, body=MEETING, content_type="text/calendar")
        assert sync(calendar) == "updated"
    with responses.RequestsMock() as mocked:
        mocked.get(URL, status=302, headers={"Location": URL})
        assert sync(calendar) == "failed"
        assert len(mocked.calls) == 6
    assert calendar.last_error == "The address redirected too many times."


def test_three_failures_in_a_row_email_the_expert_once_and_a_success_starts_over(calendar):
    def fail(minutes):
        with responses.RequestsMock() as mocked:
            mocked.get(URL, status=500)
            sync(calendar, now=NOW + timedelta(minutes=minutes))

    def emails():
        return OutboxMessage.objects.filter(handler="bookings.tasks.send_calendar_failing").count()

    fail(0), fail(15)
    assert emails() == 0
    fail(30), fail(45), fail(60)
    assert (emails(), calendar.failures_in_a_row) == (1, 5)
    with responses.RequestsMock() as mocked:
        mocked.get(URL, body=MEETING, content_type="text/calendar")
        sync(calendar, now=NOW + timedelta(minutes=75))
    assert (calendar.failures_in_a_row, calendar.last_error) == (0, "")
    fail(90), fail(105), fail(120)
    assert emails() == 2


def test_the_failure_email_names_the_calendar_and_the_error(calendar, mailoutbox):
    from bookings.tasks import send_calendar_failing

    ExpertCalendar.objects.filter(pk=calendar.pk).update(failures_in_a_row=3, last_error="The address answered 404.")
    assert send_calendar_failing(calendar.pk) == 1
    assert "Work" in mailoutbox[0].subject and "The address answered 404." in mailoutbox[0].body
    ExpertCalendar.objects.filter(pk=calendar.pk).update(failures_in_a_row=0)
    assert send_calendar_failing(calendar.pk) == 0  # recovered before the email went out


def test_a_calendar_removed_during_the_fetch_stores_nothing(calendar):
    def answer_after_the_expert_removed_it(request):
        ExpertCalendar.objects.filter(pk=calendar.pk).delete()
        return 200, {"Content-Type": "text/calendar"}, MEETING

    with responses.RequestsMock() as mocked:
        mocked.add_callback(responses.GET, URL, callback=answer_after_the_expert_removed_it)
        assert expert_calendar_sync(calendar_id=calendar.pk, now=NOW) == "gone"
    assert not ImportedBusy.objects.exists()


def test_the_scheduled_job_queues_one_sync_per_calendar(calendar, monkeypatch):
    from bookings.tasks import sync_expert_calendars

    queued = []
    monkeypatch.setattr("bookings.services.calendars.async_task", lambda *args: queued.append(args))
    second = expert_calendar_add(profile=calendar.profile, name="Home", url=URL)
    assert sync_expert_calendars() == 2
    assert queued == [
        ("bookings.tasks.sync_expert_calendar", calendar.pk),
        ("bookings.tasks.sync_expert_calendar", second.pk),
    ]
