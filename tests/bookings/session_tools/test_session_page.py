"""The session page's tools section and the dashboards' links to it: empty states, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Booking, QuestionnaireAnswer, SessionNote, SessionResource
from marketplace.services.questionnaire import intake_questions_replace

from .helpers import session, tools_section

pytestmark = pytest.mark.django_db


def test_a_new_session_shows_the_empty_states_and_the_right_edit_links(client, lena, ada):
    booking = session(lena, ada.user)
    client.force_login(lena)
    section = tools_section(client.get(reverse("booking_detail", kwargs={"pk": booking.pk})))
    assert "No resources yet." in section and "No shared notes yet." in section and "No private notes yet." in section
    assert "No goals written yet." in section
    assert reverse("booking_goals", kwargs={"pk": booking.pk}) in section
    assert reverse("booking_resources", kwargs={"pk": booking.pk}) not in section
    client.force_login(ada.user)
    section = tools_section(client.get(reverse("booking_detail", kwargs={"pk": booking.pk})))
    assert reverse("booking_resources", kwargs={"pk": booking.pk}) in section
    assert reverse("booking_note_shared", kwargs={"pk": booking.pk}) in section
    assert reverse("booking_goals", kwargs={"pk": booking.pk}) not in section


def _fill(booking, *, n: int, lena, ada) -> None:
    intake_questions_replace(profile=ada, questions=[(f"Q{i}", False) for i in range(min(n, 5))])
    QuestionnaireAnswer.objects.bulk_create(
        QuestionnaireAnswer(booking=booking, position=i + 1, question=f"Q{i}", answer="a") for i in range(min(n, 5))
    )
    SessionNote.objects.create(booking=booking, author=lena, body="learner's")
    SessionNote.objects.create(booking=booking, author=ada.user, body="expert's")
    SessionNote.objects.create(booking=booking, author=ada.user, shared=True, body="shared")
    SessionResource.objects.bulk_create(
        SessionResource(booking=booking, kind="link", title=f"R{i}", url=f"https://a.example/{i}") for i in range(n)
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("viewer", ["learner", "expert"])
def test_the_session_page_reads_the_tools_in_a_constant_number_of_queries(
    client, lena, ada, viewer, django_assert_num_queries
):
    small = session(lena, ada.user)
    large = session(lena, ada.user, starts_in=timedelta(days=4))
    _fill(small, n=1, lena=lena, ada=ada)
    _fill(large, n=15, lena=lena, ada=ada)
    client.force_login(lena if viewer == "learner" else ada.user)
    small_url = reverse("booking_detail", kwargs={"pk": small.pk})
    large_url = reverse("booking_detail", kwargs={"pk": large.pk})
    _queries(client, small_url)  # warm per-process caches (site, locale)
    with django_assert_num_queries(_queries(client, small_url)):
        client.get(large_url)
    assert tools_section(client.get(large_url)).count("https://a.example/") == 15


def test_the_dashboards_link_upcoming_and_past_sessions_to_their_notes_and_resources(client, lena, ada):
    upcoming = session(lena, ada.user)
    past = session(lena, ada.user, starts_in=-timedelta(days=3), status=Booking.Status.COMPLETED)
    for user, dashboard in ((lena, "learner_dashboard"), (ada.user, "expert_dashboard")):
        client.force_login(user)
        html = client.get(reverse(dashboard)).content.decode()
        for booking in (upcoming, past):
            assert f'href="/bookings/{booking.pk}/#session-tools">Notes and resources' in html, dashboard


def test_the_dashboards_query_count_does_not_grow_with_notes_and_resources(client, lena, ada):
    booking = session(lena, ada.user)
    client.force_login(lena)
    _queries(client, reverse("learner_dashboard"))
    before = _queries(client, reverse("learner_dashboard"))
    _fill(booking, n=15, lena=lena, ada=ada)
    assert _queries(client, reverse("learner_dashboard")) == before
