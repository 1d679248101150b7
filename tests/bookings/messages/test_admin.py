"""Staff see reported and flagged threads only, opening one is logged, they hide messages or dismiss."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from bookings.models import Message, Thread
from bookings.services.messages import message_report, message_send
from tests.factories import UserFactory

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

QUEUE = "/admin/message-moderation/"


@pytest.fixture
def moderator(db):
    user = UserFactory(is_staff=True, email="moderator@example.com")
    user.groups.add(Group.objects.get(name="Review moderators"))
    return user


def test_the_queue_lists_reported_and_flagged_threads_only(client, moderator, thread, learner, expert, other_learner):
    from tests.builders import booking_in_state

    quiet = booking_in_state(learner=other_learner, expert=expert, start=thread.created_at)
    from bookings.services.messages import thread_for_booking

    message_send(thread=thread_for_booking(booking=quiet), sender=other_learner, text="All good, thanks")
    message = message_send(thread=thread, sender=expert, text="Fine")
    message_report(message=message, reporter=learner, reason="Insulting")
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert html.count(reverse("bookings_message_thread", kwargs={"pk": thread.pk})) == 1
    assert str(other_learner) not in html and "All good, thanks" not in html
    # A thread that is not in the queue stays closed to staff.
    quiet_thread = Thread.objects.get(learner=other_learner)
    assert client.get(reverse("bookings_message_thread", kwargs={"pk": quiet_thread.pk})).status_code == 404


def test_opening_a_reported_thread_is_logged_then_hide_and_dismiss(client, moderator, thread, learner, expert):
    message = message_send(thread=thread, sender=expert, text="Pay me by bank transfer instead", upload=pdf_upload())
    client.force_login(moderator)
    url = reverse("bookings_message_thread", kwargs={"pk": thread.pk})
    html = client.get(url).content.decode()
    assert "Pay me by bank transfer instead" in html and "Flagged: payment" in html
    assert (
        ModelLogEntry.objects.filter(action="bookings.thread.open", user=moderator, object_id=str(thread.pk)).count()
        == 1
    )
    file_response = client.get(reverse("bookings_message_file", kwargs={"pk": message.pk}))
    assert file_response.status_code == 200
    assert ModelLogEntry.objects.filter(action="bookings.message.download", user=moderator).exists()
    decide = reverse("bookings_message_decide", kwargs={"pk": thread.pk})
    client.post(decide, {"action": "hide", "message": "abc"})
    assert Message.objects.get().hidden_at is None
    client.post(decide, {"action": "hide", "message": str(message.pk), "reason": "Off-platform payment"})
    assert Message.objects.get().hidden_at is not None
    assert ModelLogEntry.objects.filter(action="bookings.message.hide", user=moderator).exists()
    # The participants see that it was hidden; its file is gone from their view.
    client.force_login(learner)
    page = client.get(reverse("message_thread", kwargs={"pk": thread.pk})).content.decode()
    assert "hidden by TapTime" in page and "bank transfer" not in page
    assert client.get(reverse("message_attachment", kwargs={"pk": message.pk})).status_code == 404
    client.force_login(moderator)
    client.post(decide, {"action": "dismiss"})
    thread.refresh_from_db()
    assert not thread.needs_moderation
    assert ModelLogEntry.objects.filter(action="bookings.thread.dismiss").exists()
    assert client.get(url).status_code == 404


def test_staff_without_the_permission_and_everyone_else_are_refused(client, thread, expert, learner):
    message = message_send(thread=thread, sender=expert, text="x@y.example")
    other_staff = UserFactory(is_staff=True, email="reviewer@example.com")
    other_staff.groups.add(Group.objects.get(name="Expert reviewers"))
    client.force_login(other_staff)
    for url in (
        QUEUE,
        reverse("bookings_message_thread", kwargs={"pk": thread.pk}),
        reverse("bookings_message_file", kwargs={"pk": message.pk}),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    for user in (learner, expert):
        client.force_login(user)
        assert client.get(QUEUE)["Location"].startswith(("/admin/login/", "/accounts/login/"))
    assert not ModelLogEntry.objects.filter(action="bookings.thread.open").exists()
