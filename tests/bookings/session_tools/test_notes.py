"""Private notes for each side, the expert's shared notes, the Markdown subset and the version check."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.models import Booking, SessionNote
from bookings.templatetags.session_markup import render_note

from .helpers import session, text, tools_section

pytestmark = pytest.mark.django_db


def _detail(client, booking):
    return tools_section(client.get(reverse("booking_detail", kwargs={"pk": booking.pk})))


def test_a_private_note_is_read_by_its_author_only(client, lena, ada):
    booking = session(lena, ada.user, starts_in=-timedelta(hours=2), status=Booking.Status.COMPLETED)
    client.force_login(lena)
    url = reverse("booking_note_private", kwargs={"pk": booking.pk})
    assert client.post(url, {"body": "Lena's secret", "version": "0"}).status_code == 302
    assert "Lena&#x27;s secret" in _detail(client, booking)
    client.force_login(ada.user)
    client.post(url, {"body": "Ada's own", "version": "0"})
    section = _detail(client, booking)
    assert "Ada&#x27;s own" in section and "secret" not in section
    assert SessionNote.objects.count() == 2


def test_the_expert_writes_shared_notes_both_read_and_the_learner_cannot_write(client, lena, ada):
    booking = session(lena, ada.user, starts_in=-timedelta(minutes=10))  # during the session
    client.force_login(ada.user)
    url = reverse("booking_note_shared", kwargs={"pk": booking.pk})
    assert client.post(url, {"body": "- **Read** chapter 2\n- try *this*", "version": "0"}).status_code == 302
    client.force_login(lena)
    section = _detail(client, booking)
    assert "<ul><li><strong>Read</strong> chapter 2</li><li>try <em>this</em></li></ul>" in section
    assert url not in section
    assert client.post(url, {"body": "overwritten", "version": "1"}).status_code == 404
    assert SessionNote.objects.get().body.startswith("- **Read**")


def test_a_save_from_a_stale_copy_says_changed_elsewhere_and_overwrites_nothing(client, lena, ada):
    booking = session(lena, ada.user)
    client.force_login(ada.user)
    url = reverse("booking_note_shared", kwargs={"pk": booking.pk})
    client.post(url, {"body": "first", "version": "0"})
    # Two tabs opened at version 1; the first saves, the second is refused.
    assert client.post(url, {"body": "tab one", "version": "1"}).status_code == 302
    response = client.post(url, {"body": "tab two", "version": "1"})
    assert response.status_code == 200
    page = text(response)
    assert "changed elsewhere" in page and "Reload" in page
    assert "tab one" in page and "tab two" in page  # the saved text shown, the user's own kept in the form
    note = SessionNote.objects.get()
    assert (note.body, note.version) == ("tab one", 2)
    # Two first saves at once: the second finds the note already there.
    assert "changed elsewhere" in text(client.post(url, {"body": "again new", "version": "0"}))
    assert SessionNote.objects.get().body == "tab one"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "x" * 10_001, "version": "1"}, "at most 10000 characters"),
        ({"body": "ok", "version": "-1"}, "out of date"),
        ({"body": "ok", "version": "abc"}, "out of date"),
        ({"body": "ok"}, "out of date"),
        ({"body": "ok", "version": "99999999999"}, "out of date"),
        ({"body": "bell\x07", "version": "1"}, "cannot be stored"),
    ],
)
def test_wrong_note_input_is_refused_and_nothing_changes(client, lena, ada, data, message):
    booking = session(lena, ada.user)
    SessionNote.objects.create(booking=booking, author=lena, body="kept")
    client.force_login(lena)
    response = client.post(reverse("booking_note_private", kwargs={"pk": booking.pk}), data)
    assert response.status_code == 200 and message in text(response)
    assert SessionNote.objects.get().body == "kept"


def test_notes_of_a_cancelled_session_are_read_only(client, lena, ada):
    booking = session(lena, ada.user, status=Booking.Status.CANCELLED_BY_LEARNER)
    SessionNote.objects.create(booking=booking, author=lena, body="kept")
    client.force_login(lena)
    response = client.post(reverse("booking_note_private", kwargs={"pk": booking.pk}), {"body": "new", "version": "1"})
    assert response.status_code == 302
    assert SessionNote.objects.get().body == "kept"
    section = _detail(client, booking)
    assert "kept" in section and reverse("booking_note_private", kwargs={"pk": booking.pk}) not in section


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("**<img src=x onerror=alert(1)>**", "<p><strong>&lt;img src=x onerror=alert(1)&gt;</strong></p>"),
        ("[link](javascript:alert(1))", "<p>[link](javascript:alert(1))</p>"),
        ("`**not bold**`", "<p><code>**not bold**</code></p>"),
        ("one\ntwo\n\nthree", "<p>one<br>two</p><p>three</p>"),
        ('" onmouseover="x', "<p>&quot; onmouseover=&quot;x</p>"),
        ("2 * 3 * 4", "<p>2 * 3 * 4</p>"),
    ],
)
def test_the_markdown_subset_escapes_everything_and_adds_only_its_own_tags(source, html):
    assert render_note(source) == html
