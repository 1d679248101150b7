"""The inbox, a thread page, the header badge, "ask a question" on the expert page, reports and blocks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.models import Message, MessageReport, Thread
from bookings.selectors.messages import unread_total
from bookings.services.messages import message_send, messaging_questions_set

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _threads_for(expert, n: int) -> None:
    """``n`` learners who each wrote to ``expert`` once (rows written directly: only the inbox is measured)."""
    User = get_user_model()
    start = User.objects.count()
    learners = User.objects.bulk_create(
        [User(email=f"inbox{start + i}@example.com", full_name=f"Learner {i}") for i in range(n)]
    )
    now = timezone.now()
    Thread.objects.bulk_create(
        [
            Thread(
                learner=learner,
                expert=expert,
                origin="booking",
                last_message_at=now - timedelta(minutes=i),
                last_message_preview="Hello",
                expert_unread=1,
            )
            for i, learner in enumerate(learners)
        ]
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_inbox_costs_the_same_with_5_and_500_threads(client, expert):
    client.force_login(expert)
    _threads_for(expert, 5)
    client.get(reverse("message_inbox"))  # the session and the site are loaded once, on any page
    small = _queries(client, reverse("message_inbox"))
    _threads_for(expert, 495)
    large = _queries(client, reverse("message_inbox"))
    assert small == large
    assert _queries(client, reverse("message_inbox") + "?page=25") == small


def test_the_inbox_lists_threads_newest_first_with_unread_counts(client, thread, learner, expert):
    message_send(thread=thread, sender=learner, text="First question")
    client.force_login(expert)
    html = client.get(reverse("message_inbox")).content.decode()
    assert "First question" in html and "1 unread" in html and learner.full_name in html


def test_an_empty_inbox_says_how_to_start(client, other_learner):
    client.force_login(other_learner)
    assert "No messages yet" in client.get(reverse("message_inbox")).content.decode()


def test_the_header_badge_is_one_query_and_counts_unread_messages(thread, learner, expert, django_assert_num_queries):
    for text in ("a", "b", "c"):
        message_send(thread=thread, sender=learner, text=text)
    with django_assert_num_queries(1):
        assert unread_total(user=expert) == 3
    assert unread_total(user=learner) == 0


def test_the_header_shows_the_badge(client, thread, learner, expert):
    message_send(thread=thread, sender=learner, text="Ping")
    client.force_login(expert)
    html = client.get(reverse("message_inbox")).content.decode()
    assert 'class="badge"' in html and "1 unread message" in html


def test_the_thread_page_escapes_script_and_links_safely(client, thread, learner, expert):
    message_send(thread=thread, sender=learner, text='<script>alert("x")</script> see https://example.com/a?b=1')
    client.force_login(expert)
    html = client.get(reverse("message_thread", kwargs={"pk": thread.pk})).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'href="https://example.com/a?b=1" rel="nofollow noopener noreferrer ugc"' in html


def test_reading_the_thread_marks_it_read_and_shows_a_read_receipt(client, thread, learner, expert):
    message_send(thread=thread, sender=learner, text="Did you get it?")
    client.force_login(expert)
    client.get(reverse("message_thread", kwargs={"pk": thread.pk}))
    thread.refresh_from_db()
    assert thread.expert_unread == 0
    client.force_login(learner)
    assert ">Read<" in client.get(reverse("message_thread", kwargs={"pk": thread.pk})).content.decode()


def test_replying_with_an_attachment_through_the_form(client, thread, learner, expert):
    client.force_login(expert)
    url = reverse("message_thread", kwargs={"pk": thread.pk})
    response = client.post(url, {"text": "Here are the slides", "attachment": pdf_upload("slides.pdf")})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.attachment_name == "slides.pdf" and message.sender == expert
    client.force_login(learner)
    assert "slides.pdf" in client.get(url).content.decode()


def test_an_empty_or_refused_reply_shows_the_reason_and_changes_nothing(client, thread, expert):
    client.force_login(expert)
    url = reverse("message_thread", kwargs={"pk": thread.pk})
    response = client.post(url, {"text": "  "})
    assert response.status_code == 400 and "Write a message or attach a file." in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"text": "x", "attachment": SimpleUploadedFile("a.pdf", b"MZ\x90\x00\x03 a program")})
    assert response.status_code == 400 and "content counts" in response.content.decode()
    assert not Message.objects.exists()


def test_the_thread_page_is_paginated(client, thread, learner, expert, settings):
    settings.MESSAGES_PER_MINUTE = 100
    for n in range(35):
        message_send(thread=thread, sender=learner, text=f"number {n}")
    client.force_login(expert)
    html = client.get(reverse("message_thread", kwargs={"pk": thread.pk})).content.decode()
    assert "number 34" in html and "number 4<" not in html and "Older messages" in html
    older = client.get(reverse("message_thread", kwargs={"pk": thread.pk}) + "?page=2").content.decode()
    assert "number 4<" in older
    assert client.get(reverse("message_thread", kwargs={"pk": thread.pk}) + "?page=abc").status_code == 200


def test_the_booking_page_leads_to_the_pairs_thread(client, booking, learner, expert):
    client.force_login(learner)
    response = client.get(reverse("booking_messages", kwargs={"pk": booking.pk}))
    thread = Thread.objects.get()
    assert response["Location"] == reverse("message_thread", kwargs={"pk": thread.pk})
    client.force_login(expert)
    assert client.get(reverse("booking_messages", kwargs={"pk": booking.pk}))["Location"] == response["Location"]


def test_report_and_block_through_the_page(client, thread, learner, expert):
    message = message_send(thread=thread, sender=expert, text="Pay me on the side")
    client.force_login(learner)
    client.post(reverse("message_report", kwargs={"pk": message.pk}), {"reason": ""})
    assert not MessageReport.objects.exists()
    client.post(reverse("message_report", kwargs={"pk": message.pk}), {"reason": "Asks to pay outside"})
    assert MessageReport.objects.get().reporter == learner
    client.post(reverse("message_thread_block", kwargs={"pk": thread.pk}), {"block": "1"})
    thread.refresh_from_db()
    assert thread.learner_blocked_at is not None
    client.force_login(expert)
    response = client.post(reverse("message_thread", kwargs={"pk": thread.pk}), {"text": "Hello?"})
    assert "does not accept messages from you" in response.content.decode()
    assert Message.objects.count() == 1


class TestAskAQuestion:
    def test_a_learner_asks_from_the_expert_page(self, client, ada, learner):
        page = ada.pages.first()
        html = client.get(page.url).content.decode()
        assert "Log in to ask a question" in html
        client.force_login(learner)
        assert "Ask a question" in client.get(page.url).content.decode()
        response = client.post(reverse("expert_question", kwargs={"page_id": page.pk}), {"text": "Do you teach SQL?"})
        thread = Thread.objects.get()
        assert response["Location"] == reverse("message_thread", kwargs={"pk": thread.pk})
        assert thread.origin == "question" and thread.messages.get().text == "Do you teach SQL?"

    def test_the_expert_turns_questions_off(self, client, ada, learner):
        client.force_login(ada.user)
        client.post(reverse("messaging_settings"), {})
        page = ada.pages.first()
        client.force_login(learner)
        assert "Ask a question" not in client.get(page.url).content.decode()
        response = client.post(reverse("expert_question", kwargs={"page_id": page.pk}), {"text": "Hello?"})
        assert response.status_code == 400 and "not taking questions" in response.content.decode()
        assert not Thread.objects.exists()
        client.force_login(ada.user)
        client.post(reverse("messaging_settings"), {"questions_open": "on"})
        client.force_login(learner)
        assert "Ask a question" in client.get(page.url).content.decode()

    def test_a_flood_of_questions_is_refused(self, client, expert_index, learner, settings):
        from tests.marketplace.factories import make_expert

        settings.MESSAGE_QUESTIONS_PER_HOUR = 1
        pages = [make_expert(expert_index, name=f"Expert {n}").pages.first() for n in range(2)]
        client.force_login(learner)
        client.post(reverse("expert_question", kwargs={"page_id": pages[0].pk}), {"text": "One"})
        response = client.post(reverse("expert_question", kwargs={"page_id": pages[1].pk}), {"text": "Two"})
        assert response.status_code == 400 and "try again later" in response.content.decode()
        assert Thread.objects.count() == 1

    def test_anonymous_and_unknown_pages(self, client, ada, learner):
        url = reverse("expert_question", kwargs={"page_id": ada.pages.first().pk})
        assert client.post(url, {"text": "Hi"})["Location"].startswith("/accounts/login/")
        client.force_login(learner)
        assert client.post(reverse("expert_question", kwargs={"page_id": 999_999}), {"text": "Hi"}).status_code == 404

    def test_a_learner_has_no_questions_switch(self, client, learner):
        client.force_login(learner)
        assert client.post(reverse("messaging_settings"), {"questions_open": "on"}).status_code == 404
        assert "Questions before a booking" not in client.get(reverse("message_inbox")).content.decode()


def test_an_expert_can_be_a_learner_of_another_expert_without_mixing_threads(client, expert, other_expert):
    from tests.builders import booking_in_state

    booking = booking_in_state(learner=expert, expert=other_expert, start=timezone.now() + timedelta(days=2))
    client.force_login(expert)
    client.get(reverse("booking_messages", kwargs={"pk": booking.pk}))
    assert Thread.objects.get().learner == expert
    messaging_questions_set(profile=expert.expert_profile, questions_open=False)


def _injections(html: str) -> list[str]:
    """Elements a payload would leave behind: event handlers, script-like URLs, scripts without src."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name.startswith("on") or name == "data-xss":
                    found.append(f"{tag} {name}")
                if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")
                ):
                    found.append(f"{tag} {name}={value}")
            if tag in ("script",) and not dict(attrs).get("src"):
                found.append("inline script")
            if tag in ("iframe", "object", "embed", "base", "svg", "math", "img", "body", "noscript"):
                found.append(tag)

    Finder().feed(html)
    return found


def test_no_xss_payload_survives_on_the_thread_inbox_or_question_pages(client, ada, learner, settings):
    from bookings.services.messages import question_ask
    from tests.security.test_xss import PAYLOADS

    settings.MESSAGES_PER_MINUTE = 1000
    message = question_ask(learner=learner, profile=ada, text="first")
    for payload in PAYLOADS:
        message_send(thread=message.thread, sender=learner, text=payload)
        message_send(thread=message.thread, sender=ada.user, text=f"see https://example.com/{payload}")
    baseline = _injections(client.get(ada.pages.first().url).content.decode())
    for user in (learner, ada.user):
        client.force_login(user)
        for url in (
            reverse("message_thread", kwargs={"pk": message.thread_id}),
            reverse("message_thread", kwargs={"pk": message.thread_id}) + "?page=2",
            reverse("message_inbox"),
        ):
            html = client.get(url).content.decode()
            assert "alert(" in html, url  # the payloads are there, as text
            assert [found for found in _injections(html) if found not in baseline] == [], url
