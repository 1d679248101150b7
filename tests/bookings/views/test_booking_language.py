"""The booking pages and their messages speak the visitor's language, like the other account pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders import booking_in_state
from tests.factories import UserFactory
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(expert_index):
    return make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})


@pytest.mark.parametrize(("language", "title"), [("es", "Tu sesión"), ("de", "Deine Sitzung"), ("en", "Your session")])
def test_the_booking_page_is_in_the_users_language(client, ada, language, title):
    learner = UserFactory(preferred_language=language)
    booking = booking_in_state(
        learner=learner,
        expert=ada.user,
        start=(timezone.now() - timedelta(days=3)).replace(microsecond=0),
        status="completed",
        video_url="https://meet.jit.si/TapTime-x",
    )
    client.force_login(learner)
    response = client.get(reverse("booking_detail", kwargs={"pk": booking.pk}))
    assert f"<title>{title}" in response.content.decode() and response["Content-Language"] == language


@pytest.mark.parametrize(
    ("language", "message"), [("es", "Elige una hora válida."), ("de", "Bitte wähle eine gültige Uhrzeit.")]
)
def test_a_refused_hold_says_why_in_the_users_language(client, ada, language, message):
    client.force_login(UserFactory(preferred_language=language))
    page = ada.pages.get()
    response = client.post(
        reverse("booking_start", kwargs={"page_id": page.pk}), {"session": "60", "start": "garbage"}, follow=True
    )
    assert message in response.content.decode()


def test_an_anonymous_visitor_gets_the_language_of_their_browser(client, ada):
    page = ada.pages.get()
    response = client.post(
        reverse("booking_start", kwargs={"page_id": page.pk}),
        {"session": "60", "start": "garbage"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 302 and response["Content-Language"] == "de"
