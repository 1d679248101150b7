"""threads/ and threads/<id>/messages/ over the API: the same services, ownership, problem details, cursors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bookings.models import Message, Thread
from bookings.services.messages import message_send, messaging_questions_set
from tests.api.conftest import problem_of, token_client

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

THREADS = "/api/v1/threads/"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _messages_url(thread) -> str:
    return reverse("api:api_thread_messages", kwargs={"pk": thread.pk})


def test_a_learner_opens_the_thread_of_a_booking_and_writes(booking, learner, expert):
    client = _client(learner)
    created = client.post(THREADS, {"booking": booking.pk}, format="json")
    assert created.status_code == 201
    assert created.json()["my_role"] == "learner" and created.json()["other"]["name"] == expert.full_name
    assert client.post(THREADS, {"booking": booking.pk}, format="json").status_code == 200
    thread = Thread.objects.get()
    sent = client.post(_messages_url(thread), {"text": "<b>Hi</b> see you"}, format="json")
    assert sent.status_code == 201 and sent.json()["text"] == "<b>Hi</b> see you" and sent.json()["from_me"]
    listed = _client(expert).get(THREADS).json()["results"]
    assert listed[0]["unread"] == 1 and listed[0]["last_message_preview"] == "<b>Hi</b> see you"


def test_reading_messages_marks_the_thread_read(thread, learner, expert):
    message_send(thread=thread, sender=learner, text="One")
    body = _client(expert).get(_messages_url(thread)).json()
    assert [row["text"] for row in body["results"]] == ["One"] and body["results"][0]["from_me"] is False
    thread.refresh_from_db()
    assert thread.expert_unread == 0
    assert _client(learner).get(THREADS).json()["results"][0]["other_read_at"] is not None


def test_ask_an_expert_a_question_by_slug(ada, learner):
    slug = ada.pages.first().slug
    response = _client(learner).post(THREADS, {"expert": slug, "text": "Do you teach SQL?"}, format="json")
    assert response.status_code == 201 and response.json()["origin"] == "question"
    messaging_questions_set(profile=ada, questions_open=False)
    other = _client(_other_user())
    problem_of(other.post(THREADS, {"expert": slug, "text": "Me too?"}, format="json"), 403, "questions_closed")
    problem_of(other.post(THREADS, {"expert": "nobody", "text": "Hi"}, format="json"), 404, "not_found")


def _other_user():
    from tests.factories import UserFactory

    return UserFactory(email="someone.else@example.com")


@pytest.mark.parametrize(
    "body",
    [{}, {"booking": 1, "expert": "x", "text": "y"}, {"expert": "x"}, {"booking": "abc"}, {"booking": 1, "extra": 1}],
)
def test_bad_bodies_are_problems(learner, body):
    problem_of(_client(learner).post(THREADS, body, format="json"), 400, "invalid")


def test_malformed_json_is_a_problem(learner):
    response = _client(learner).post(THREADS, data="{not json", content_type="application/json")
    problem_of(response, 400, "malformed_request")


def test_strangers_get_the_unknown_ids_404(thread, booking, other_learner, other_expert, staff_user):
    for outsider in (other_learner, other_expert, staff_user):
        client = _client(outsider)
        for call in (
            lambda c: c.get(_messages_url(thread)),
            lambda c: c.post(_messages_url(thread), {"text": "hi"}, format="json"),
            lambda c: c.post(THREADS, {"booking": booking.pk}, format="json"),
        ):
            problem_of(call(client), 404, "not_found")
        assert client.get(THREADS).json()["results"] == []
    problem_of(APIClient().get(_messages_url(thread)), 401, "not_authenticated")
    assert not Message.objects.exists()


def test_refusals_have_stable_codes(thread, learner, expert, settings):
    client = _client(learner)
    problem_of(client.post(_messages_url(thread), {"text": ""}, format="json"), 422, "empty")
    settings.MESSAGES_PER_MINUTE = 1
    client.post(_messages_url(thread), {"text": "first"}, format="json")
    response = client.post(_messages_url(thread), {"text": "second"}, format="json")
    problem_of(response, 429, "limit_reached")
    assert response["Retry-After"]
    from bookings.services.messages import thread_block

    thread_block(thread=thread, by=learner, blocked=True)
    settings.MESSAGES_PER_MINUTE = 100
    problem_of(_client(expert).post(_messages_url(thread), {"text": "hello"}, format="json"), 403, "blocked")


def test_an_attachment_through_multipart(thread, learner, expert):
    client = _client(expert)
    response = client.post(_messages_url(thread), {"text": "slides", "attachment": pdf_upload()}, format="multipart")
    assert response.status_code == 201
    attachment = response.json()["attachment"]
    assert attachment["content_type"] == "application/pdf" and attachment["url"].endswith("/file/")
    from django.core.files.uploadedfile import SimpleUploadedFile

    disguised = SimpleUploadedFile("x.pdf", b"MZ\x90\x00\x03 program")
    problem_of(client.post(_messages_url(thread), {"attachment": disguised}, format="multipart"), 415, "wrong_type")


def test_a_token_needs_the_book_scope_to_write(thread, learner):
    reader = token_client(learner, "read")
    assert reader.get(_messages_url(thread)).status_code == 200
    problem_of(reader.post(_messages_url(thread), {"text": "hi"}, format="json"), 403, "insufficient_scope")
    assert (
        token_client(learner, "read", "book").post(_messages_url(thread), {"text": "hi"}, format="json").status_code
        == 201
    )


def test_cursor_pages_and_a_bad_cursor(thread, learner, expert, settings):
    settings.MESSAGES_PER_MINUTE = 100
    for n in range(5):
        message_send(thread=thread, sender=learner, text=f"m{n}")
    client = _client(expert)
    first = client.get(_messages_url(thread) + "?page_size=2").json()
    assert [row["text"] for row in first["results"]] == ["m4", "m3"] and first["next"]
    second = client.get(first["next"]).json()
    assert [row["text"] for row in second["results"]] == ["m2", "m1"]
    problem_of(client.get(_messages_url(thread) + "?cursor=garbage"), 404, "not_found")


def test_the_thread_list_keeps_its_query_count(expert, django_assert_num_queries):
    from .test_views import _threads_for

    client = _client(expert)
    _threads_for(expert, 5)
    client.get(THREADS)
    # One query a page: the threads with both people (cursor pagination counts nothing).
    with django_assert_num_queries(1):
        assert len(client.get(THREADS).json()["results"]) == 5
    _threads_for(expert, 200)
    with django_assert_num_queries(1):
        assert len(client.get(THREADS).json()["results"]) == 20


def test_the_schema_documents_both_endpoints(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert {"/api/v1/threads/", "/api/v1/threads/{id}/messages/"} <= set(schema["paths"])
    text = yaml.safe_dump(schema["paths"]["/api/v1/threads/{id}/messages/"])
    assert "blocked" in text and "limit_reached" in text and "multipart/form-data" in text
