"""/expert/calendars/: list with health, add (addresses checked, masked after saving), remove, "sync now"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import ExpertCalendar
from bookings.services.calendars import expert_calendar_add
from tests.builders import bookable_expert
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "private-5ecret70ken"
URL = f"https://calendar.google.com/calendar/ical/ada%40example.com/{SECRET}/basic.ics"
PAGE = "/expert/calendars/"


@pytest.fixture
def expert(client):
    profile = bookable_expert().profile
    client.force_login(profile.user)
    return profile


def test_adding_a_calendar_shows_it_masked_with_its_health(client, expert):
    response = client.post(PAGE, {"name": "Work", "url": URL})
    assert response.status_code == 302
    page = client.get(PAGE).content.decode()
    assert "Work" in page and "Waiting for the first sync" in page
    assert SECRET not in page and "calendar.google.com" in page


def test_health_shows_the_last_error_in_plain_words(client, expert):
    calendar = expert_calendar_add(profile=expert, name="Work", url=URL)
    ExpertCalendar.objects.filter(pk=calendar.pk).update(
        failures_in_a_row=2, last_error="The address answered 404.", busy_count=7, last_success_at=timezone.now()
    )
    page = client.get(PAGE).content.decode()
    assert "Failed 2 times in a row:" in page and "The address answered 404." in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://calendar.google.com/x.ics", "starting with https://"),
        ("javascript:alert(1)", "starting with https://"),
        ("not an address", "starting with https://"),
        ("https://user:pw@calendar.google.com/x.ics", "no user name or password"),
        ("https://intranet.example/cal.ics", "private or reserved network"),
        ("https://nowhere.invalid/cal.ics", "does not resolve"),
        ("https://calendar.google.com:99999/x.ics", "invalid port"),
    ],
)
def test_bad_addresses_are_refused_with_a_clear_message_and_nothing_stored(client, expert, url, message):
    response = client.post(PAGE, {"name": "Work", "url": url})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExpertCalendar.objects.exists()


def test_hostile_names_are_escaped_and_blank_ones_refused(client, expert):
    assert client.post(PAGE, {"name": "   ", "url": URL}).status_code == 400
    client.post(PAGE, {"name": "<script>x</script>", "url": URL})
    page = client.get(PAGE).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_an_expert_connects_at_most_five_calendars(client, expert):
    for n in range(5):
        expert_calendar_add(profile=expert, name=f"C{n}", url=URL)
    response = client.post(PAGE, {"name": "Sixth", "url": URL})
    assert response.status_code == 400 and "at most 5 calendars" in response.content.decode()
    assert ExpertCalendar.objects.count() == 5


def test_remove_and_sync_now_reach_only_the_experts_own_calendars(client, expert):
    other = expert_calendar_add(profile=bookable_expert().profile, name="Theirs", url=URL)
    for name in ("expert_calendar_remove", "expert_calendar_sync"):
        assert client.post(reverse(name, kwargs={"pk": other.pk})).status_code == 404
        assert client.get(reverse(name, kwargs={"pk": other.pk})).status_code == 405
    other.refresh_from_db()
    assert other.last_attempt_at is None
    mine = expert_calendar_add(profile=expert, name="Mine", url=URL)
    assert client.post(reverse("expert_calendar_remove", kwargs={"pk": mine.pk})).status_code == 302
    assert list(ExpertCalendar.objects.all()) == [other]


def test_sync_now_is_rate_limited(client, expert, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("bookings.services.calendars.async_task", lambda *args: queued.append(args))
    calendar = expert_calendar_add(profile=expert, name="Work", url=URL)
    url = reverse("expert_calendar_sync", kwargs={"pk": calendar.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, follow=True)
    assert "synced moments ago" in second.content.decode()
    assert queued == [("bookings.tasks.sync_expert_calendar", calendar.pk)]
    ExpertCalendar.objects.filter(pk=calendar.pk).update(last_attempt_at=timezone.now() - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(queued) == 2


def test_learners_and_visitors_are_kept_out(client):
    assert client.get(PAGE).status_code == 302
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "x", "url": URL}).status_code == 403
    assert not ExpertCalendar.objects.exists()


def test_the_page_reads_the_same_number_of_queries_for_one_or_five_calendars(client, expert, django_assert_num_queries):
    # Seven: session, user, profile, the imported calendars, the site (base template), the connected
    # accounts, and the header's unread-messages badge.
    expert_calendar_add(profile=expert, name="C0", url=URL)
    client.get(PAGE)
    with django_assert_num_queries(7) as one:
        client.get(PAGE)
    for n in range(1, 5):
        expert_calendar_add(profile=expert, name=f"C{n}", url=URL)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(PAGE).content.decode().count("Sync C") == 5
