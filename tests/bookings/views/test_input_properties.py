"""No input a browser can send to the booking views answers 500 or holds anything.

Hypothesis throws garbage, extreme numbers and every instant Python can write
(years 1 to 9999, offsets up to a day) at the hold form, the expert page's
picker parameters, the dashboards' page numbers and the ids in booking URLs.
"""

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from bookings.models import Booking
from tests.factories import UserFactory
from tests.strategies import anything, edge_instants, extreme_instants, huge_numbers, numeric_text, view_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, ada):
    client.force_login(UserFactory(time_zone="America/New_York"))
    return client


def hold_form(client, profile, **fields):
    data = {"session": "60", "tz": "Europe/Berlin", "week": "1", **fields}
    return client.post(reverse("booking_start", kwargs={"page_id": profile.pages.first().pk}), data)


@pytest.mark.parametrize(
    "start", ["9999-12-31T23:00:00+00:00", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-00:30"]
)
def test_an_instant_at_the_edge_of_the_calendar_is_not_a_valid_time(signed_in, ada, start):
    response = hold_form(signed_in, ada, start=start)
    assert response.status_code == 302 and response["Location"].startswith(ada.pages.first().url)
    assert "Please choose a valid time." in signed_in.get(response["Location"]).content.decode()
    assert not Booking.objects.exists()


@view_settings
@given(start=extreme_instants | edge_instants | anything)
@example(start="9999-12-31T23:00:00+00:00")
@example(start="0001-01-01T00:00:00+14:00")
def test_any_start_is_answered_without_an_error_and_holds_nothing(signed_in, ada, start):
    response = hold_form(signed_in, ada, start=start)
    assert response.status_code == 302
    assert not Booking.objects.exists()


@view_settings
@given(session=numeric_text | anything, week=anything, tz=anything)
@example(session=str(2**31), week="0", tz="Europe/Berlin")
@example(session=str(10**30), week="0", tz="Europe/Berlin")
def test_any_session_length_zone_or_week_is_answered_without_an_error(signed_in, ada, session, week, tz):
    response = hold_form(signed_in, ada, session=session, week=week, tz=tz, start="2001-01-01T08:00:00+00:00")
    assert response.status_code == 302
    assert not Booking.objects.exists()


@view_settings
@given(session=numeric_text | anything, week=numeric_text | anything, tz=anything)
def test_the_expert_pages_picker_shows_a_page_for_any_parameters(client, ada, session, week, tz):
    response = client.get(ada.pages.first().url, {"session": session, "week": week, "tz": tz})
    assert response.status_code == 200


@view_settings
@given(pk=huge_numbers.filter(lambda number: number >= 0))
@example(pk=2**31)
@example(pk=2**63)
@example(pk=10**30)
def test_any_booking_id_in_a_url_is_a_404_for_someone_elses_or_unknown_booking(client, pk):
    client.force_login(UserFactory())
    for name in (
        "booking_detail",
        "booking_join",
        "booking_review",
        "booking_paid",
        "booking_cancel",
        "booking_cancel_by_expert",
        "booking_reschedule",
        "booking_propose_time",
        "booking_proposal",
    ):
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404, name
    for name in (
        "booking_rehold",
        "booking_cancel",
        "booking_review",
        "booking_cancel_by_expert",
        "booking_reschedule",
        "booking_propose_time",
        "booking_proposal",
    ):
        assert client.post(reverse(name, kwargs={"pk": pk})).status_code == 404, name
    assert client.post(reverse("booking_start", kwargs={"page_id": pk}), {"session": "60"}).status_code == 404
    assert not Booking.objects.exists()


@view_settings
@given(page=numeric_text | anything)
@example(page=str(10**30))
@example(page="9" * 5000)
def test_the_dashboards_show_a_page_for_any_page_number(client, ada, page):
    client.force_login(UserFactory())
    assert client.get(reverse("learner_dashboard"), {"page": page}).status_code == 200
    client.force_login(ada.user)
    assert client.get(reverse("expert_dashboard"), {"page": page}).status_code == 200


@view_settings
@given(kind=st.sampled_from(["weekly", "policy", "day_off", "day_off_remove"]) | anything, values=st.data())
def test_the_availability_forms_answer_any_input_and_write_only_on_success(client, ada, kind, values):
    client.force_login(ada.user)
    before = snapshot(ada)
    fields = {
        "kind": kind,
        "weekly-TOTAL_FORMS": values.draw(numeric_text | st.just("2"), label="total"),
        "weekly-INITIAL_FORMS": values.draw(numeric_text | st.just("0"), label="initial"),
        "weekly-MIN_NUM_FORMS": "0",
        "weekly-MAX_NUM_FORMS": "1000",
        "weekly-0-weekday": values.draw(numeric_text | anything, label="weekday"),
        "weekly-0-start": values.draw(anything | st.just("09:00"), label="start"),
        "weekly-0-end": values.draw(anything | st.just("17:00"), label="end"),
        "policy-min_notice_hours": values.draw(numeric_text | anything, label="notice"),
        "policy-horizon_days": values.draw(numeric_text | anything, label="horizon"),
        "policy-buffer_minutes": values.draw(numeric_text | anything, label="buffer"),
        "policy-slot_step_minutes": values.draw(numeric_text | anything, label="step"),
        "dayoff-day": values.draw(anything | extreme_instants.map(lambda text: text[:10]), label="day"),
    }
    response = client.post(reverse("expert_availability"), fields)
    assert response.status_code < 500
    if snapshot(ada) != before:
        # Only a valid form writes, and it answers with the redirect of a saved form.
        assert response.status_code == 302 and response["Location"] == reverse("expert_availability")


def snapshot(profile):
    profile.refresh_from_db()
    return (
        list(profile.weekly_hours.values_list("weekday", "start", "end").order_by("weekday", "start")),
        list(profile.date_overrides.values_list("date", "start", "end").order_by("date")),
        (profile.min_notice_hours, profile.horizon_days, profile.buffer_minutes, profile.slot_step_minutes),
    )
