"""My sessions (/dashboard/), the expert's upcoming sessions (/expert/), the join link and the booking page."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from tests.builders import booking_in_state
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db

ROOM = "https://meet.jit.si/TapTime-secret-room"


@pytest.fixture
def ada(expert_index):
    return make_expert(expert_index, name="Ada Lovelace", prices={60: "80"}, currency="EUR")  # Europe/Berlin


@pytest.fixture
def lena(db):
    return UserFactory(full_name="Lena Learner", time_zone="America/New_York")


def book(learner, expert_user, *, starts_in, minutes=60, status=Booking.Status.CONFIRMED, note="", n=0):
    """A session ``starts_in`` from now (past ones too), with its own room."""
    return booking_in_state(
        learner=learner,
        expert=expert_user,
        start=(timezone.now() + starts_in).replace(microsecond=0),
        minutes=minutes,
        status=status,
        goals_note=note,
        video_url=f"{ROOM}-{n}" if status != Booking.Status.HELD else "",
    )


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def rows(response, section_id):
    """The rows of the table under the section headed ``section_id``, as plain text."""
    html = response.content.decode()
    section = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]]


# --- Learner: My sessions ------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("learner_dashboard"))
    assert response.status_code == 302 and urlsplit(response["Location"]).path == reverse("account_login")


def test_a_new_learner_sees_the_greeting_and_the_empty_state(client, lena):
    client.force_login(lena)
    page = text(client.get(reverse("learner_dashboard")))
    assert "Welcome back, Lena" in page
    assert "You have no sessions booked yet" in page and "Browse experts" in page
    assert "Times are shown in America/New_York" in page


def test_upcoming_soonest_first_and_past_most_recent_first(client, lena, ada):
    later = book(lena, ada.user, starts_in=timedelta(days=9), n=1)
    sooner = book(lena, ada.user, starts_in=timedelta(days=3), minutes=30, n=2)
    old = book(lena, ada.user, starts_in=-timedelta(days=20), status=Booking.Status.COMPLETED, n=3)
    recent = book(lena, ada.user, starts_in=-timedelta(days=2), status=Booking.Status.COMPLETED, n=4)
    cancelled = book(lena, ada.user, starts_in=timedelta(days=5), status=Booking.Status.CANCELLED_BY_LEARNER, n=5)
    # Never-paid holds are not sessions; other people's sessions are not mine.
    book(lena, ada.user, starts_in=timedelta(days=6), status=Booking.Status.EXPIRED, n=6)
    book(UserFactory(full_name="Someone Else"), ada.user, starts_in=timedelta(days=4), n=7)
    client.force_login(lena)
    response = client.get(reverse("learner_dashboard"))
    upcoming = rows(response, "upcoming-heading")
    past = rows(response, "past-heading")
    assert len(upcoming) == 2 and len(past) == 3
    assert "30 min" in upcoming[0] and "60 min" in upcoming[1]
    # Past and cancelled: by start, most recent first.
    local = lambda booking: timezone.localtime(booking.start, lena_zone()).strftime("%-d %b %Y, %H:%M")  # noqa: E731
    assert local(cancelled) in past[0] and local(recent) in past[1] and local(old) in past[2]
    assert "Cancelled by the learner" in past[0] and "Completed" in past[1]
    assert local(sooner) in upcoming[0] and local(later) in upcoming[1]
    html = response.content.decode()
    assert "Someone Else" not in html
    assert "When (America/New_York)" in text(response)


def lena_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/New_York")


def test_each_row_links_the_expert_page_and_the_allowed_actions_only(client, lena, ada):
    soon = book(lena, ada.user, starts_in=timedelta(minutes=10), n=1)  # joinable, cancellable without a refund
    far = book(lena, ada.user, starts_in=timedelta(days=3), n=2)  # cancellable, not joinable yet
    done = book(lena, ada.user, starts_in=-timedelta(days=1), status=Booking.Status.COMPLETED, n=3)
    client.force_login(lena)
    html = client.get(reverse("learner_dashboard")).content.decode()
    assert f'href="{ada.pages.first().url}">Ada Lovelace</a>' in html
    join = lambda b: reverse("booking_join", kwargs={"pk": b.pk})  # noqa: E731
    cancel = lambda b: reverse("booking_cancel", kwargs={"pk": b.pk})  # noqa: E731
    assert join(soon) in html and join(far) not in html and join(done) not in html
    assert cancel(far) in html and cancel(soon) in html and cancel(done) not in html
    # Each cancellable row says what cancelling now gives back (these were sold under the old rule).
    assert "refund now: €80.00" in html and "refund now: €0.00" in html
    for booking in (soon, far, done):
        assert reverse("booking_detail", kwargs={"pk": booking.pk}) in html
    # The room itself is only reachable through the join check.
    assert ROOM not in html


def test_past_sessions_are_paginated_ten_per_page(client, lena, ada):
    for day in range(1, 13):
        book(lena, ada.user, starts_in=-timedelta(days=day), status=Booking.Status.COMPLETED, n=day)
    client.force_login(lena)
    first = client.get(reverse("learner_dashboard"))
    assert len(rows(first, "past-heading")) == 10
    html = first.content.decode()
    assert 'aria-label="Pages"' in html and "Page 1 of 2" in html and 'href="?page=2"' in html
    second = client.get(reverse("learner_dashboard"), {"page": "2"})
    assert len(rows(second, "past-heading")) == 2 and "Page 2 of 2" in second.content.decode()
    # Nonsense page numbers fall back to a real page rather than failing.
    for bad in ("abc", "-1", "999"):
        assert client.get(reverse("learner_dashboard"), {"page": bad}).status_code == 200


def test_learner_dashboard_query_count_does_not_grow_with_bookings(client, lena, ada, expert_index):
    other = make_expert(expert_index, name="Grace Hopper", prices={60: "50"})
    client.force_login(lena)
    book(lena, ada.user, starts_in=timedelta(days=2), n=0)
    book(lena, ada.user, starts_in=-timedelta(days=2), status=Booking.Status.COMPLETED, n=100)
    client.get(reverse("learner_dashboard"))  # warm the per-process caches (site root paths)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("learner_dashboard")).status_code == 200
    for n in range(1, 15):
        expert = ada.user if n % 2 else other.user
        book(lena, expert, starts_in=timedelta(days=3 + n), n=n)
        book(lena, expert, starts_in=-timedelta(days=3 + n), status=Booking.Status.COMPLETED, n=200 + n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("learner_dashboard"))
    assert len(rows(response, "upcoming-heading")) == 15 and len(rows(response, "past-heading")) == 10
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Expert: upcoming sessions ---------------------------------------------------


def test_expert_sees_upcoming_sessions_in_their_zone_with_goals(client, lena, ada):
    soon = book(lena, ada.user, starts_in=timedelta(minutes=5), n=1, note="Learn Rust lifetimes " * 20)
    later = book(lena, ada.user, starts_in=timedelta(days=2), n=2)
    book(lena, ada.user, starts_in=-timedelta(days=2), status=Booking.Status.COMPLETED, n=3)
    book(lena, ada.user, starts_in=timedelta(days=4), status=Booking.Status.CANCELLED_BY_LEARNER, n=4)
    client.force_login(ada.user)
    response = client.get(reverse("expert_dashboard"))
    upcoming = rows(response, "upcoming-heading")
    assert len(upcoming) == 2
    assert upcoming[0].startswith("Lena Learner") and "Learn Rust lifetimes" in upcoming[0] and "…" in upcoming[0]
    assert "No note" in upcoming[1]
    berlin = timezone.localtime(soon.start, __import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert berlin.strftime("%-d %b %Y, %H:%M") in upcoming[0] and "When (Europe/Berlin)" in text(response)
    html = response.content.decode()
    assert reverse("booking_join", kwargs={"pk": soon.pk}) in html
    assert reverse("booking_join", kwargs={"pk": later.pk}) not in html
    assert reverse("booking_detail", kwargs={"pk": later.pk}) in html
    assert ROOM not in html


def test_expert_without_sessions_sees_the_empty_state(client, lena, ada, expert_index):
    other = make_expert(expert_index, name="Grace Hopper", prices={60: "50"})
    book(lena, other.user, starts_in=timedelta(days=2))
    client.force_login(ada.user)
    page = text(client.get(reverse("expert_dashboard")))
    assert "No sessions are booked with you yet" in page and "Lena Learner" not in page


def test_expert_dashboard_query_count_does_not_grow_with_bookings(client, ada):
    client.force_login(ada.user)
    book(UserFactory(), ada.user, starts_in=timedelta(days=2))
    book(UserFactory(), ada.user, starts_in=-timedelta(days=2), status=Booking.Status.COMPLETED, n=100)
    client.get(reverse("expert_dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("expert_dashboard"))
    for n in range(1, 15):
        book(UserFactory(), ada.user, starts_in=timedelta(days=2, hours=n), n=n)
        book(UserFactory(), ada.user, starts_in=-timedelta(days=3, hours=n), status=Booking.Status.COMPLETED, n=200 + n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("expert_dashboard"))
    assert len(rows(response, "upcoming-heading")) == 10 and len(rows(response, "past-heading")) == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_expert_sees_past_and_cancelled_sessions_most_recent_first_paged_on_their_own(client, lena, ada):
    book(lena, ada.user, starts_in=timedelta(days=1), n=1)
    book(lena, ada.user, starts_in=timedelta(days=5), status=Booking.Status.CANCELLED_BY_LEARNER, n=2)
    book(lena, ada.user, starts_in=-timedelta(days=30), status=Booking.Status.NO_SHOW_LEARNER, n=3)
    book(lena, ada.user, starts_in=-timedelta(days=1), status=Booking.Status.COMPLETED, n=4)
    book(lena, ada.user, starts_in=timedelta(days=3), status=Booking.Status.HELD, n=5)  # never paid: not a session
    for day in range(40, 51):
        book(UserFactory(full_name="Old Learner"), ada.user, starts_in=-timedelta(days=day), status="completed", n=day)
    client.force_login(ada.user)
    response = client.get(reverse("expert_dashboard"))
    past = rows(response, "past-heading")
    assert len(past) == 10
    assert [row.split(" ")[0] for row in past[:3]] == ["Lena", "Lena", "Lena"]
    assert "Cancelled by the learner" in past[0] and "Completed" in past[1] and "Learner did not show up" in past[2]
    html = response.content.decode()
    assert 'href="?page=1&amp;past=2"' in html  # the upcoming list's page is kept
    second = client.get(reverse("expert_dashboard"), {"past": "2", "page": "1"})
    assert len(rows(second, "past-heading")) == 4 and len(rows(second, "upcoming-heading")) == 1
    for bad in ("abc", "-1", "999"):
        assert client.get(reverse("expert_dashboard"), {"past": bad, "page": bad}).status_code == 200


def test_my_sessions_tells_an_expert_where_the_sessions_booked_with_them_are(client, lena, ada):
    book(lena, ada.user, starts_in=timedelta(days=2))
    client.force_login(ada.user)
    page = text(client.get(reverse("learner_dashboard")))
    assert "You have not booked a session with another expert." in page
    assert "The sessions learners booked with you are in your expert area." in page
    assert "You have no sessions booked yet" not in page
    html = client.get(reverse("learner_dashboard")).content.decode()
    assert f'href="{reverse("expert_dashboard")}"' in html
    client.force_login(lena)
    assert "expert area" not in text(client.get(reverse("learner_dashboard")))


# --- Join ------------------------------------------------------------------------


def test_both_participants_join_from_fifteen_minutes_before_until_the_end(client, lena, ada):
    booking = book(lena, ada.user, starts_in=timedelta(minutes=14), n=1)
    for user in (lena, ada.user):
        client.force_login(user)
        response = client.get(reverse("booking_join", kwargs={"pk": booking.pk}))
        assert response.status_code == 302 and response["Location"] == booking.video_url
    running = book(lena, ada.user, starts_in=-timedelta(minutes=50), n=2)
    assert client.get(reverse("booking_join", kwargs={"pk": running.pk}))["Location"] == running.video_url


def test_too_early_goes_to_the_booking_page_saying_when_it_opens(client, lena, ada):
    booking = book(lena, ada.user, starts_in=timedelta(minutes=16), n=1)
    client.force_login(lena)
    response = client.get(reverse("booking_join", kwargs={"pk": booking.pk}))
    assert response["Location"] == reverse("booking_detail", kwargs={"pk": booking.pk})
    page = text(client.get(response["Location"]))
    opens = timezone.localtime(booking.start - timedelta(minutes=15), lena_zone())
    assert "The video room opens 15 minutes before the session starts" in page
    assert opens.strftime("%H:%M") in page and "(America/New_York)" in page
    assert booking.video_url not in page
    # One format on the page: the message says it as the booking card does, never "Dec. 1, 2026, 3:45 p.m.".
    written = f"{opens:%A} {opens.day} {opens:%B %Y, %H:%M}"
    assert page.count(written) == 2, page
    assert not re.search(r"\b[ap]\.m\.", page)


def test_after_the_end_the_room_is_closed(client, lena, ada):
    booking = book(lena, ada.user, starts_in=-timedelta(minutes=61), n=1)
    client.force_login(ada.user)
    response = client.get(reverse("booking_join", kwargs={"pk": booking.pk}))
    assert response["Location"] == reverse("booking_detail", kwargs={"pk": booking.pk})
    assert "This session has ended" in text(client.get(response["Location"]))


def test_join_is_404_for_others_other_states_and_unknown_ids(client, lena, ada):
    booking = book(lena, ada.user, starts_in=timedelta(minutes=5), n=1)
    client.force_login(UserFactory())
    assert client.get(reverse("booking_join", kwargs={"pk": booking.pk})).status_code == 404
    client.force_login(lena)
    assert client.get(reverse("booking_join", kwargs={"pk": booking.pk + 1000})).status_code == 404
    for status in (Booking.Status.CANCELLED_BY_LEARNER, Booking.Status.COMPLETED, Booking.Status.EXPIRED):
        Booking.objects.filter(pk=booking.pk).update(status=status)
        assert client.get(reverse("booking_join", kwargs={"pk": booking.pk})).status_code == 404


def test_join_asks_anonymous_visitors_to_log_in(client, lena, ada):
    booking = book(lena, ada.user, starts_in=timedelta(minutes=5), n=1)
    response = client.get(reverse("booking_join", kwargs={"pk": booking.pk}))
    assert response.status_code == 302 and urlsplit(response["Location"]).path == reverse("account_login")


# --- Booking page ------------------------------------------------------------------


def test_booking_page_links_the_join_url_never_the_room(client, lena, ada):
    booking = book(lena, ada.user, starts_in=timedelta(minutes=5), n=1)
    client.force_login(lena)
    html = client.get(reverse("booking_detail", kwargs={"pk": booking.pk})).content.decode()
    assert reverse("booking_join", kwargs={"pk": booking.pk}) in html and booking.video_url not in html


def test_booking_page_shows_past_and_cancelled_sessions_but_not_unpaid_holds(client, lena, ada):
    cancelled = book(lena, ada.user, starts_in=timedelta(days=3), status=Booking.Status.CANCELLED_BY_LEARNER, n=1)
    client.force_login(lena)
    page = text(client.get(reverse("booking_detail", kwargs={"pk": cancelled.pk})))
    assert "Cancelled by the learner" in page and "Join the video call" not in page
    assert "video room opens" not in page and "Cancel this session" not in page
    expired = book(lena, ada.user, starts_in=timedelta(days=4), status=Booking.Status.EXPIRED, n=2)
    assert client.get(reverse("booking_detail", kwargs={"pk": expired.pk})).status_code == 404
    client.force_login(ada.user)
    assert client.get(reverse("booking_detail", kwargs={"pk": cancelled.pk})).status_code == 200
