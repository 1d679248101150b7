"""The operations console's sessions (/admin/ops/sessions/): who may see and act, the list's filters and
constant queries, a session's timeline, moving and marking a no-show with a reason, each logged."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from bookings.models import Booking, SessionDecision, SessionReport
from bookings.services.staff_actions import LOG_MOVE, LOG_NO_SHOW
from tests.builders import bookable_expert, booking_in_state, confirmed_booking
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/ops/sessions/"


@pytest.fixture(autouse=True)
def groups(db):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115


def member(group: str, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def past(learner, expert, *, hours=3, status=Booking.Status.COMPLETED, **fields):
    start = (timezone.now() - timedelta(hours=hours)).replace(microsecond=0)
    return booking_in_state(learner=learner, expert=expert, start=start, status=status, **fields)


def test_the_groups_command_is_idempotent_and_restores_a_widened_group():
    support = Group.objects.get(name="Support")
    before = set(support.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_booking", "change_booking"} <= before
    assert not {"view_payment", "change_page"} & before
    support.permissions.add(*Group.objects.get(name="Finance").permissions.all())
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(support.permissions.values_list("codename", flat=True)) == before
    assert (
        Group.objects.filter(name__in=["Content editors", "Moderators", "Support", "Finance", "Administrators"]).count()
        == 5
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("learner", 302),
        ("Finance", 302),
        ("Content editors", 302),
        ("Support", 200),
        ("Administrators", 200),
    ],
)
def test_who_sees_the_sessions_list(client, who, expected):
    booking = past(UserFactory(), ExpertUserFactory())
    if who == "learner":
        client.force_login(booking.learner)
    elif who != "anonymous":
        client.force_login(member(who))
    for url in (LIST, reverse("ops_session_detail", args=[booking.pk])):
        response = client.get(url)
        assert response.status_code == expected, (who, url)
        if expected == 302 and who in ("anonymous", "learner"):
            assert "/login/" in response["Location"]
        if expected == 302 and who not in ("anonymous", "learner"):
            assert response["Location"].rstrip("/").endswith("/admin")  # Wagtail's "no permission" redirect


def test_the_menu_shows_sessions_to_support_only(client):
    # Wagtail draws its sidebar from JSON in the page: the item's URL is there or not at all.
    client.force_login(member("Support"))
    assert "/admin/ops/sessions/" in client.get("/admin/").content.decode()
    client.force_login(member("Finance"))
    assert "/admin/ops/sessions/" not in client.get("/admin/").content.decode()


def test_actions_need_the_manage_permission_and_change_nothing_otherwise(client):
    booking = past(UserFactory(), ExpertUserFactory())
    viewer = member("Finance")
    viewer.user_permissions.add(*Group.objects.get(name="Support").permissions.filter(codename="view_booking"))
    client.force_login(viewer)
    page = client.get(reverse("ops_session_detail", args=[booking.pk]))
    assert page.status_code == 200 and "Mark as no-show" not in text(page)
    for name in ("ops_session_no_show", "ops_session_move", "ops_session_cancel_refund"):
        assert client.post(reverse(name, args=[booking.pk]), {"no_show-reason": "x"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED and not ModelLogEntry.objects.for_instance(booking).exists()


def test_tampered_ids_are_404_and_get_on_an_action_is_refused(client):
    client.force_login(member("Support"))
    assert client.get("/admin/ops/sessions/999999/").status_code == 404
    assert client.get(f"/admin/ops/sessions/{2**63}/").status_code == 404
    assert client.post("/admin/ops/sessions/999999/no-show/", {"no_show-reason": "x"}).status_code == 404
    booking = past(UserFactory(), ExpertUserFactory())
    assert client.get(reverse("ops_session_no_show", args=[booking.pk])).status_code == 405


def test_filters_and_search(client):
    ada = ExpertUserFactory(full_name="Ada Lovelace", email="ada@example.com")
    bob = ExpertUserFactory(full_name="Bob Builder", email="bob@example.com")
    grace = UserFactory(full_name="Grace Hopper", email="grace@example.com")
    linus = UserFactory(full_name="Linus T", email="linus@example.com")
    a = past(grace, ada, hours=30)
    b = past(linus, bob, hours=3, status=Booking.Status.NO_SHOW_EXPERT)
    SessionReport.objects.create(booking=b, reporter=linus, role="learner", kind="expert_absent")
    client.force_login(member("Support"))

    def rows(**query):
        response = client.get(LIST, query)
        assert response.status_code == 200
        return {int(pk) for pk in re.findall(r'href="/admin/ops/sessions/(\d+)/"', response.content.decode())}

    assert rows() == {a.pk, b.pk}
    assert rows(q="grace@") == {a.pk}
    assert rows(q="builder") == {b.pk}
    assert rows(expert="lovelace") == {a.pk}
    assert rows(learner="linus@") == {b.pk}
    assert rows(status="no_show_expert") == {b.pk}
    assert rows(reported="true") == {b.pk}
    assert rows(reported="false") == {a.pk}
    day = timezone.localdate(a.start, timezone=timezone.get_default_timezone()).isoformat()
    assert rows(start_from=day, start_to=day) == {a.pk} or a.start.date() == b.start.date()
    assert rows(start_from="2000-01-01", start_to="2000-01-02") == set()
    # Bad input is ignored or refused politely, never a 500.
    for query in ({"status": "nonsense"}, {"start_from": "31-31-2026"}, {"category": "abc"}, {"q": "x" * 5000}):
        assert client.get(LIST, query).status_code == 200


def test_the_list_keeps_a_constant_number_of_queries(client):
    client.force_login(member("Support"))
    expert = ExpertUserFactory()

    def count(n):
        Booking.objects.all().delete()
        for i in range(n):
            past(UserFactory(), expert, hours=3 + 2 * i)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    assert count(5) == count(50)


def test_the_timeline_shows_what_happened_and_who_acted(client):
    learner, expert = UserFactory(), ExpertUserFactory()
    booking = past(learner, expert, status=Booking.Status.CONFIRMED, confirmed_at=timezone.now() - timedelta(days=2))
    support = member("Support", full_name="Sam Support")
    client.force_login(support)
    response = client.post(
        reverse("ops_session_no_show", args=[booking.pk]),
        {"no_show-absent": "learner", "no_show-reason": "The expert sent a screenshot of an empty room."},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW_LEARNER
    decision = SessionDecision.objects.get(booking=booking)
    assert (decision.outcome, decision.absent, decision.refund_minor) == ("pay_expert", "learner", 0)
    entry = ModelLogEntry.objects.get(action=LOG_NO_SHOW)
    assert entry.user == support and entry.object_id == str(booking.pk)
    assert entry.data["reason"].startswith("The expert sent")
    with CaptureQueriesContext(connection) as queries:
        page = text(client.get(reverse("ops_session_detail", args=[booking.pk])))
    assert len(queries) < 25
    for seen in ("Held", "Paid and confirmed", "Decided", "Mark a session as a no-show", "Sam Support", "empty room"):
        assert seen in page
    assert "Mark as no-show" not in page  # decided once
    # A second try is refused and changes nothing.
    again = client.post(
        reverse("ops_session_no_show", args=[booking.pk]), {"no_show-absent": "expert", "no_show-reason": "oops"}
    )
    assert again.status_code == 400
    assert ModelLogEntry.objects.filter(action=LOG_NO_SHOW).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"no_show-absent": "learner"},
        {"no_show-absent": "learner", "no_show-reason": "   "},
        {"no_show-absent": "nobody", "no_show-reason": "x"},
        {"no_show-absent": "learner", "no_show-reason": "x" * 2001},
    ],
)
def test_a_no_show_needs_a_reason_and_a_side(client, data):
    booking = past(UserFactory(), ExpertUserFactory(), status=Booking.Status.CONFIRMED)
    client.force_login(member("Support"))
    response = client.post(reverse("ops_session_no_show", args=[booking.pk]), data)
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert not SessionDecision.objects.exists() and not ModelLogEntry.objects.for_instance(booking).exists()


def test_a_no_show_before_the_end_is_refused(client):
    start = timezone.now() + timedelta(days=1)
    booking = booking_in_state(learner=UserFactory(), expert=ExpertUserFactory(), start=start)
    client.force_login(member("Support"))
    response = client.post(
        reverse("ops_session_no_show", args=[booking.pk]), {"no_show-absent": "expert", "no_show-reason": "early"}
    )
    assert response.status_code == 400 and "once a confirmed session has ended" in text(response)
    assert not SessionDecision.objects.exists()


def _next_weekday_at(hour: int, zone: str, *, days_ahead: int):
    from zoneinfo import ZoneInfo

    day = timezone.now().astimezone(ZoneInfo(zone)).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day, hour


def test_support_moves_a_session_to_a_free_time_with_a_reason(client):
    session_type = bookable_expert(zone="Europe/Berlin")
    learner = UserFactory()
    from datetime import datetime
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    day, _hour = _next_weekday_at(10, "Europe/Berlin", days_ahead=3)
    start = datetime(day.year, day.month, day.day, 10, tzinfo=berlin)
    booking = confirmed_booking(learner=learner, session_type=session_type, start=start)
    client.force_login(member("Support"))
    url = reverse("ops_session_move", args=[booking.pk])
    refused = client.post(url, {"move-start": f"{day.isoformat()}T13:00", "move-reason": ""})
    assert refused.status_code == 400
    response = client.post(url, {"move-start": f"{day.isoformat()}T13:00", "move-reason": "The expert asked support."})
    assert response.status_code == 302, text(response)
    booking.refresh_from_db()
    assert booking.start == datetime(day.year, day.month, day.day, 13, tzinfo=berlin)
    assert booking.reschedule_count == 0  # not the learner's move
    entry = ModelLogEntry.objects.get(action=LOG_MOVE)
    assert entry.data["reason"] == "The expert asked support."
    # Outside the expert's hours: refused, nothing moves, nothing logged.
    night = client.post(url, {"move-start": f"{day.isoformat()}T23:00", "move-reason": "try"})
    assert night.status_code == 400
    booking.refresh_from_db()
    assert booking.start.astimezone(berlin).hour == 13
    assert ModelLogEntry.objects.filter(action=LOG_MOVE).count() == 1
