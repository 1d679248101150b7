"""The learner's goals note and the expert's questionnaire, from the session page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, QuestionnaireAnswer
from marketplace.models import IntakeQuestion
from marketplace.services.questionnaire import intake_questions_replace

from .helpers import session, text, tools_section

pytestmark = pytest.mark.django_db


def test_the_learner_edits_the_goals_until_the_start_and_the_expert_reads_them(client, lena, ada):
    booking = session(lena, ada.user, note="Old goals")
    client.force_login(lena)
    url = reverse("booking_goals", kwargs={"pk": booking.pk})
    assert "Old goals" in client.get(url).content.decode()
    response = client.post(url, {"goals_note": "Learn <b>recursion</b>\nand tests"})
    assert response.status_code == 302 and response["Location"].endswith("#session-tools")
    client.force_login(ada.user)
    section = tools_section(client.get(reverse("booking_detail", kwargs={"pk": booking.pk})))
    assert "Learn &lt;b&gt;recursion&lt;/b&gt;<br>and tests" in section
    assert reverse("booking_goals", kwargs={"pk": booking.pk}) not in section  # the expert does not edit them


def test_goals_refused_when_too_long_or_after_the_start_and_nothing_changes(client, lena, ada):
    booking = session(lena, ada.user, note="Kept")
    client.force_login(lena)
    url = reverse("booking_goals", kwargs={"pk": booking.pk})
    response = client.post(url, {"goals_note": "x" * 2001})
    assert response.status_code == 200 and "at most 2000 characters" in text(response)
    started = session(lena, ada.user, starts_in=-timedelta(minutes=5), note="Kept")
    response = client.post(reverse("booking_goals", kwargs={"pk": started.pk}), {"goals_note": "Late"}, follow=True)
    assert "only until the session starts" in text(response)
    assert set(Booking.objects.values_list("goals_note", flat=True)) == {"Kept"}


def test_the_expert_cannot_write_the_learners_goals(client, lena, ada):
    booking = session(lena, ada.user, note="Mine")
    client.force_login(ada.user)
    assert client.post(reverse("booking_goals", kwargs={"pk": booking.pk}), {"goals_note": "x"}).status_code == 404
    assert Booking.objects.get().goals_note == "Mine"


def test_the_expert_sets_questions_on_the_offerings_screen(client, ada):
    client.force_login(ada.user)
    page = client.get(reverse("expert_offerings"))
    assert "Questions for your learners" in text(page)
    response = client.post(
        reverse("expert_questionnaire"),
        {"question_1": "  What   is your level? ", "required_1": "on", "question_3": "Anything else?"},
    )
    assert response.status_code == 302
    assert list(IntakeQuestion.objects.values_list("position", "text", "required")) == [
        (1, "What is your level?", True),
        (2, "Anything else?", False),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question_1": "x" * 201}, "at most 200 characters"),
        ({"required_2": "on"}, "Write the question"),
    ],
)
def test_wrong_questions_are_refused_and_the_old_ones_stay(client, ada, data, message):
    intake_questions_replace(profile=ada, questions=[("Kept?", False)])
    client.force_login(ada.user)
    response = client.post(reverse("expert_questionnaire"), data)
    assert response.status_code == 200 and message in text(response)
    assert list(IntakeQuestion.objects.values_list("text", flat=True)) == ["Kept?"]


def test_a_learner_cannot_reach_the_questionnaire_editor(client, lena):
    client.force_login(lena)
    assert client.post(reverse("expert_questionnaire"), {"question_1": "x"}).status_code == 403
    assert not IntakeQuestion.objects.exists()


def test_answers_are_a_snapshot_that_later_question_edits_do_not_change(client, lena, ada):
    intake_questions_replace(profile=ada, questions=[("Your level?", True), ("Your <i>goal</i>?", False)])
    booking = session(lena, ada.user)
    client.force_login(lena)
    url = reverse("booking_questionnaire", kwargs={"pk": booking.pk})
    response = client.post(url, {"answer_1": "Beginner <script>alert(1)</script>", "answer_2": ""})
    assert response.status_code == 302
    intake_questions_replace(profile=ada, questions=[("Totally new question?", True)])
    client.force_login(ada.user)
    section = tools_section(client.get(reverse("booking_detail", kwargs={"pk": booking.pk})))
    assert "Your level?" in section and "Your &lt;i&gt;goal&lt;/i&gt;?" in section
    assert "Beginner &lt;script&gt;alert(1)&lt;/script&gt;" in section and "<script>alert" not in section
    assert "Totally new question?" not in section
    # The learner's later edit answers the questions as asked then, not the new one.
    client.force_login(lena)
    assert "Your level?" in client.get(url).content.decode()
    client.post(url, {"answer_1": "Intermediate"})
    assert list(QuestionnaireAnswer.objects.values_list("question", "answer")) == [
        ("Your level?", "Intermediate"),
        ("Your <i>goal</i>?", ""),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [({"answer_1": ""}, "This field is required"), ({"answer_1": "y" * 1001}, "at most 1000 characters")],
)
def test_wrong_answers_are_refused_and_nothing_is_stored(client, lena, ada, data, message):
    intake_questions_replace(profile=ada, questions=[("Your level?", True)])
    booking = session(lena, ada.user)
    client.force_login(lena)
    response = client.post(reverse("booking_questionnaire", kwargs={"pk": booking.pk}), data)
    assert response.status_code == 200 and message in text(response)
    assert not QuestionnaireAnswer.objects.exists()


def test_no_answers_after_the_start(client, lena, ada):
    intake_questions_replace(profile=ada, questions=[("Your level?", False)])
    booking = session(lena, ada.user, starts_in=-timedelta(minutes=1))
    client.force_login(lena)
    client.post(reverse("booking_questionnaire", kwargs={"pk": booking.pk}), {"answer_1": "late"})
    assert not QuestionnaireAnswer.objects.exists()


@pytest.mark.parametrize("status", [Booking.Status.HELD, Booking.Status.EXPIRED])
def test_an_unpaid_hold_has_no_session_tools(client, lena, ada, status):
    intake_questions_replace(profile=ada, questions=[("Your level?", False)])
    hold = session(lena, ada.user, status=status, hold_expires_at=timezone.now() + timedelta(minutes=5))
    client.force_login(lena)
    for name in ("booking_goals", "booking_questionnaire", "booking_note_private"):
        response = client.post(reverse(name, kwargs={"pk": hold.pk}), {"goals_note": "x", "answer_1": "x"})
        assert response.status_code == 404, name
    assert not QuestionnaireAnswer.objects.exists() and Booking.objects.get().goals_note == ""
