"""Attendance and reports on the participants' screens (/bookings/<id>/join/, /bookings/<id>/report/,
the dashboards) and the staff's Session reports in the Wagtail admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.models import AttendanceEvent, Booking, SessionDecision, SessionReport
from bookings.services.attendance import attendance_join_record
from bookings.services.session_reports import session_report_submit
from tests.builders import booking_in_state
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db

ROOM = "https://meet.jit.si/TapTime-secret-room"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def ada(expert_index):
    return make_expert(expert_index, name="Ada Lovelace", prices={60: "80"}, currency="EUR")  # Europe/Berlin


@pytest.fixture
def lena(db):
    return UserFactory(full_name="Lena Learner", time_zone="America/New_York")


def book(learner, expert_user, *, starts_in, status=Booking.Status.CONFIRMED, n=0):
    return booking_in_state(
        learner=learner,
        expert=expert_user,
        start=(timezone.now() + starts_in).replace(microsecond=0),
        status=status,
        video_url=f"{ROOM}-{n}",
    )


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def decider(**fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Session reviewers"))
    return user


def report_url(booking):
    return reverse("booking_report", kwargs={"pk": booking.pk})


# --- Joining is logged ------------------------------------------------------------------------


def test_every_pass_through_the_join_link_is_logged_and_a_closed_room_logs_nothing(client, lena, ada):
    live = book(lena, ada.user, starts_in=-timedelta(minutes=10))
    over = book(lena, ada.user, starts_in=-timedelta(hours=3), n=1)
    client.force_login(lena)
    assert client.get(reverse("booking_join", kwargs={"pk": live.pk})).status_code == 302
    assert client.get(reverse("booking_join", kwargs={"pk": live.pk})).status_code == 302
    client.force_login(ada.user)
    client.get(reverse("booking_join", kwargs={"pk": live.pk}))
    assert client.get(reverse("booking_join", kwargs={"pk": over.pk}))["Location"].endswith(f"/bookings/{over.pk}/")
    rows = list(AttendanceEvent.objects.values_list("booking_id", "user_id", "kind", "source"))
    assert rows == [(live.pk, lena.pk, "joined", "link")] * 2 + [(live.pk, ada.user.pk, "joined", "link")]
    client.force_login(UserFactory())
    assert client.get(reverse("booking_join", kwargs={"pk": live.pk})).status_code == 404
    assert AttendanceEvent.objects.count() == 3


# --- Reporting a problem ----------------------------------------------------------------------


def test_the_learner_reports_the_expert_absent_from_the_dashboard(client, lena, ada):
    past = book(lena, ada.user, starts_in=-timedelta(hours=2))
    attendance_join_record(booking=past, user=lena, now=past.start + timedelta(minutes=1))
    client.force_login(lena)
    dashboard = client.get(reverse("learner_dashboard"))
    page = text(dashboard)
    assert "You joined at" in page and "the other side did not join through TapTime" in page
    assert report_url(past) in dashboard.content.decode()
    form = client.get(report_url(past))
    assert form.status_code == 200 and "no-cache" in form["Cache-Control"]
    html = form.content.decode()
    assert 'value="expert_absent"' in html and 'value="technical"' in html and 'value="learner_absent"' not in html
    response = client.post(report_url(past), {"kind": "expert_absent", "text": HOSTILE})
    assert response.status_code == 302 and response["Location"] == reverse("booking_detail", kwargs={"pk": past.pk})
    assert SessionReport.objects.get().text == HOSTILE
    detail = client.get(response["Location"])
    assert "Thank you: your report is recorded" in text(detail)
    assert "You reported: The expert did not come." in text(detail) and "Applied on" in text(detail)
    after = client.get(reverse("learner_dashboard")).content.decode()
    assert report_url(past) not in after  # once per person


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "learner_absent"}, "Select a valid choice"),  # the expert's claim, tampered into the form
        ({"kind": ""}, "This field is required"),
        ({"kind": "technical", "text": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_wrong_input_is_shown_on_the_form_and_changes_nothing(client, lena, ada, data, message):
    past = book(lena, ada.user, starts_in=-timedelta(hours=2))
    client.force_login(lena)
    response = client.post(report_url(past), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not SessionReport.objects.exists()


def test_outside_the_window_the_page_says_so_and_a_post_changes_nothing(client, lena, ada):
    future = book(lena, ada.user, starts_in=timedelta(days=1))
    old = book(lena, ada.user, starts_in=-timedelta(hours=60), n=1)
    client.force_login(lena)
    for booking, message in (
        (future, "A problem can be reported once the session has ended."),
        (old, "up to 48 hours after the session; that time has passed"),
    ):
        assert "cannot be reported on now" in text(client.get(report_url(booking)))
        response = client.post(report_url(booking), {"kind": "expert_absent"}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("booking_detail", kwargs={"pk": booking.pk})
        assert message in text(response)
    assert not SessionReport.objects.exists()
    assert report_url(old) not in client.get(reverse("learner_dashboard")).content.decode()


def test_strangers_and_the_signed_out_never_reach_the_form(client, lena, ada):
    past = book(lena, ada.user, starts_in=-timedelta(hours=2))
    client.force_login(UserFactory())
    assert client.get(report_url(past)).status_code == 404
    assert client.post(report_url(past), {"kind": "expert_absent"}).status_code == 404
    client.logout()
    assert client.post(report_url(past), {"kind": "expert_absent"}).status_code == 302
    assert not SessionReport.objects.exists()


def test_the_expert_reports_a_technical_problem_from_the_expert_area(client, lena, ada):
    past = book(lena, ada.user, starts_in=-timedelta(hours=2))
    session_report_submit(booking=past, by=lena, kind="expert_absent")
    client.force_login(ada.user)
    dashboard = client.get(reverse("expert_dashboard"))
    assert "The other side reported: The expert did not come." in text(dashboard)
    assert report_url(past) in dashboard.content.decode()
    html = client.get(report_url(past)).content.decode()
    assert 'value="learner_absent"' in html and 'value="expert_absent"' not in html
    client.post(report_url(past), {"kind": "technical", "text": "Audio failed"})
    assert "Our staff will decide." in text(client.get(reverse("expert_dashboard")))


def _past_with_reports(lena, expert, n):
    past = book(lena, expert, starts_in=-timedelta(hours=2 + 2 * n), n=n)
    attendance_join_record(booking=past, user=lena, now=past.start)
    attendance_join_record(booking=past, user=expert, now=past.start)
    SessionReport.objects.create(booking=past, reporter=lena, role="learner", kind="technical")
    return past


def test_the_dashboards_cost_the_same_queries_for_more_sessions_with_attendance(client, lena, ada):
    _past_with_reports(lena, ada.user, 0)
    counts = {}
    for who, url in (("learner", "learner_dashboard"), ("expert", "expert_dashboard")):
        client.force_login(lena if who == "learner" else ada.user)
        client.get(reverse(url))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse(url))
        counts[who] = len(few.captured_queries)
    for n in range(1, 12):
        _past_with_reports(lena, ada.user, n)
    for who, url in (("learner", "learner_dashboard"), ("expert", "expert_dashboard")):
        client.force_login(lena if who == "learner" else ada.user)
        with CaptureQueriesContext(connection) as many:
            response = client.get(reverse(url))
        assert (
            text(response).count(" reported: Technical problem.") == 10
        )  # a page of past sessions, each with its state
        assert len(many.captured_queries) == counts[who], who


# --- Staff: Session reports -------------------------------------------------------------------

LIST = "/admin/session-reports/"


def case_url(booking):
    return f"/admin/session-reports/{booking.pk}/"


@pytest.fixture
def contested(lena, ada):
    past = book(lena, ada.user, starts_in=-timedelta(hours=2))
    attendance_join_record(booking=past, user=lena, now=past.start + timedelta(minutes=3))
    session_report_submit(booking=past, by=lena, kind="expert_absent", text=HOSTILE)
    session_report_submit(booking=past, by=ada.user, kind="technical", text="My laptop died.")
    return past


def test_deciders_see_the_count_in_the_menu_and_open_cases_first(client, contested, lena, ada):
    decided = book(lena, ada.user, starts_in=-timedelta(hours=30), n=1)
    SessionReport.objects.create(booking=decided, reporter=lena, role="learner", kind="technical")
    SessionDecision.objects.create(
        booking=decided, outcome="pay_expert", refund_percent=0, refund_minor=0, reason="r", decided_at=timezone.now()
    )
    client.force_login(decider())
    assert "Session reports (1)" in client.get("/admin/").content.decode()
    page = client.get(LIST)
    assert page.status_code == 200
    assert [booking.pk for booking, _state in page.context["rows"]] == [contested.pk, decided.pk]
    assert "Contested: needs a decision" in text(page)


def test_staff_without_the_permission_are_turned_away(client, contested):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert "Session reports" not in client.get("/admin/").content.decode()
    for url in (LIST, case_url(contested)):
        assert client.get(url).status_code == 302
    client.post(case_url(contested), {"outcome": "refund_learner", "reason": "x"})
    client.logout()
    assert client.get(LIST).status_code == 302
    client.force_login(contested.learner)
    assert client.post(case_url(contested), {"outcome": "refund_learner", "reason": "x"}).status_code == 302
    assert not SessionDecision.objects.exists()


def test_the_case_page_shows_both_reports_and_the_log_in_the_staff_zone(client, contested):
    client.force_login(decider(time_zone="Asia/Kolkata"))
    response = client.get(case_url(contested))
    html = response.content.decode()
    assert HOSTILE not in html and "&lt;script&gt;" in html
    page = text(response)
    assert "Learner: The expert did not come" in page and "Expert: Technical problem" in page
    joined = timezone.localtime(contested.start + timedelta(minutes=3), __import__("zoneinfo").ZoneInfo("Asia/Kolkata"))
    assert "Time (Asia/Kolkata)" in page and joined.strftime("%H:%M") in page
    assert "TapTime join link" in page
    assert (
        client.get(case_url(book(contested.learner, contested.expert, starts_in=-timedelta(hours=9), n=2))).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "split", "refund_percent": "", "reason": "half"}, "A split needs the learner"),
        ({"outcome": "split", "refund_percent": "150", "reason": "half"}, "less than or equal to 99"),
        ({"outcome": "refund_learner", "reason": ""}, "This field is required"),
        ({"outcome": "everything", "reason": "x"}, "Select a valid choice"),
    ],
)
def test_a_wrong_decision_form_changes_nothing(client, contested, data, message):
    client.force_login(decider())
    response = client.post(case_url(contested), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not SessionDecision.objects.exists()


def test_paying_the_expert_is_recorded_once_and_logged(
    client, contested, django_capture_on_commit_callbacks, mailoutbox
):
    staff = decider(full_name="Sam Staff")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(case_url(contested), {"outcome": "pay_expert", "reason": "The expert was there."})
    assert response.status_code == 302
    page = text(client.get(case_url(contested)))
    assert "Pay the expert — Sam Staff" in page and "Settled." in page
    again = client.post(case_url(contested), {"outcome": "refund_learner", "reason": "twice"}, follow=True)
    assert "already been decided" in text(again)
    decision = SessionDecision.objects.get()
    assert (decision.outcome, decision.decided_by_id) == ("pay_expert", staff.pk)
    contested.refresh_from_db()
    assert contested.status == Booking.Status.COMPLETED
    assert sorted(message.to[0] for message in mailoutbox) == sorted([contested.learner.email, contested.expert.email])
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(action="bookings.session_report.decide", user=staff).count() == 1


def test_the_list_costs_the_same_queries_for_more_cases(client, lena, ada):
    client.force_login(decider())
    _past_with_reports(lena, ada.user, 0)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(1, 15):
        _past_with_reports(lena, ada.user, n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["rows"]) == 15
    assert len(many.captured_queries) == len(few.captured_queries)
