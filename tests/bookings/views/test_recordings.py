"""Recording on the session page: consent, the expert's upload, playback for the two participants only,
and the staff report (bookings.views.recordings, bookings.admin_recordings)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from bookings.models import Recording, RecordingConsent
from bookings.services.recordings import recording_upload
from tests.bookings.recording_samples import HTML, M4A, MP4, private_storage_in, session, upload
from tests.factories import ExpertUserFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def storage(monkeypatch, tmp_path):
    return private_storage_in(monkeypatch, tmp_path)


def page(client, booking):
    return client.get(reverse("booking_detail", kwargs={"pk": booking.pk}))


def consent(client, booking, answer):
    return client.post(reverse("booking_recording_consent", kwargs={"pk": booking.pk}), {"answer": answer})


def upload_through_the_page(client, booking, content=MP4, name="session.mp4"):
    return client.post(
        reverse("booking_recording_upload", kwargs={"pk": booking.pk}), {"file": upload(content, name=name)}
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- consent on the session page -----------------------------------------------------------------


def test_each_participant_agrees_and_may_withdraw_on_the_session_page(client):
    booking = session(starts_in=48 * HOUR, consent=())
    client.force_login(booking.learner)
    html = page(client, booking).content.decode()
    assert 'id="recording-heading"' in html and "I agree to record this session" in html
    response = consent(client, booking, "give")
    assert response["Location"].endswith(f"/bookings/{booking.pk}/#recording")
    html = page(client, booking).content.decode()
    assert "Withdraw my consent" in html and "Agreed" in html and "Not agreed" in html  # the expert has not
    client.force_login(booking.expert)
    consent(client, booking, "give")
    assert RecordingConsent.objects.filter(booking=booking, withdrawn_at__isnull=True).count() == 2
    client.force_login(booking.learner)
    followed = client.post(
        reverse("booking_recording_consent", kwargs={"pk": booking.pk}), {"answer": "withdraw"}, follow=True
    )
    assert "This session will not be recorded" in followed.content.decode()
    assert RecordingConsent.objects.filter(booking=booking, withdrawn_at__isnull=True).count() == 1


@pytest.mark.parametrize("answer", ["", "yes", "give<script>", "x" * 5000])
def test_a_tampered_answer_changes_nothing(client, answer):
    booking = session(starts_in=48 * HOUR, consent=())
    client.force_login(booking.learner)
    followed = client.post(
        reverse("booking_recording_consent", kwargs={"pk": booking.pk}), {"answer": answer}, follow=True
    )
    assert followed.status_code == 200 and "Something was missing" in followed.content.decode()
    assert not RecordingConsent.objects.exists()


def test_consent_after_the_start_is_refused_with_a_message(client):
    booking = session(starts_in=-HOUR / 2, consent=())
    client.force_login(booking.learner)
    followed = client.post(
        reverse("booking_recording_consent", kwargs={"pk": booking.pk}), {"answer": "give"}, follow=True
    )
    assert "only be given before the session starts" in followed.content.decode()
    assert not RecordingConsent.objects.exists()
    assert "This session is not recorded" in followed.content.decode()


def test_strangers_cannot_consent_for_a_session(client):
    booking = session(starts_in=48 * HOUR, consent=())
    url = reverse("booking_recording_consent", kwargs={"pk": booking.pk})
    assert client.post(url, {"answer": "give"})["Location"].startswith("/accounts/login/")
    for stranger in (UserFactory(), ExpertUserFactory(), StaffUserFactory()):
        client.force_login(stranger)
        assert client.post(url, {"answer": "give"}).status_code == 404
        assert client.get(url).status_code == 405
    assert not RecordingConsent.objects.exists()


# --- the expert's upload -------------------------------------------------------------------------


def test_the_expert_uploads_and_both_get_a_labelled_player_and_a_download(client):
    booking = session(starts_in=-2 * HOUR)
    client.force_login(booking.expert)
    assert 'enctype="multipart/form-data"' in page(client, booking).content.decode()
    followed = client.post(
        reverse("booking_recording_upload", kwargs={"pk": booking.pk}), {"file": upload()}, follow=True
    )
    assert "The recording is saved" in followed.content.decode()
    recording = Recording.objects.get()
    for viewer in (booking.expert, booking.learner):
        client.force_login(viewer)
        html = page(client, booking).content.decode()
        file_url = reverse("recording_file", kwargs={"pk": recording.pk})
        assert f'<video class="recordings__player" controls preload="metadata" src="{file_url}"' in html
        assert 'aria-label="Recording 1, added' in html
        assert f'href="{file_url}?download=1"' in html
    assert "Upload the recording" not in html  # the learner has no upload form


def test_an_audio_recording_gets_an_audio_player(client):
    booking = session(starts_in=-2 * HOUR)
    recording_upload(booking=booking, by=booking.expert, upload=upload(M4A, "talk.m4a", "audio/mp4"))
    client.force_login(booking.learner)
    assert '<audio class="recordings__player" controls' in page(client, booking).content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (HTML, "lecture.mp4", "not a recording we can keep"),
        (MP4 + b"\x00" * 70_000, "long.mp4", "larger than"),
        (b"", "empty.mp4", "The submitted file is empty"),
    ],
)
def test_a_wrong_upload_is_refused_with_a_message(client, content, name, message):
    booking = session(starts_in=-2 * HOUR)
    client.force_login(booking.expert)
    response = upload_through_the_page(client, booking, content, name)
    followed = client.get(response["Location"])
    assert message in followed.content.decode()
    assert not Recording.objects.exists()


def test_no_upload_form_and_no_upload_without_consent(client):
    booking = session(starts_in=-2 * HOUR, consent=("expert",))
    client.force_login(booking.expert)
    assert "Upload the recording" not in page(client, booking).content.decode()
    followed = client.get(upload_through_the_page(client, booking)["Location"])
    assert "may not be recorded" in followed.content.decode()
    assert not Recording.objects.exists()


def test_the_learner_and_other_experts_cannot_upload(client):
    booking = session(starts_in=-2 * HOUR)
    for outsider in (booking.learner, ExpertUserFactory(), StaffUserFactory()):
        client.force_login(outsider)
        assert upload_through_the_page(client, booking).status_code == 404
    client.logout()
    assert upload_through_the_page(client, booking)["Location"].startswith("/accounts/login/")
    assert not Recording.objects.exists()


# --- playback ------------------------------------------------------------------------------------


@pytest.fixture
def recorded():
    booking = session(starts_in=-2 * HOUR)
    return booking, recording_upload(booking=booking, by=booking.expert, upload=upload())


def test_the_participants_play_and_download_it_with_safe_headers(client, recorded):
    booking, recording = recorded
    url = reverse("recording_file", kwargs={"pk": recording.pk})
    for viewer in (booking.learner, booking.expert):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == MP4
        assert response["Content-Type"] == "video/mp4"
        assert (
            response["Content-Disposition"] == f'inline; filename="session-{booking.pk}-recording-{recording.pk}.mp4"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Accept-Ranges"] == "bytes"
        assert client.get(url + "?download=1")["Content-Disposition"].startswith("attachment; ")


def test_a_byte_range_is_answered_for_seeking(client, recorded):
    booking, recording = recorded
    client.force_login(booking.learner)
    url = reverse("recording_file", kwargs={"pk": recording.pk})
    response = client.get(url, headers={"Range": "bytes=4-11"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == MP4[4:12] == b"ftypisom"
    assert response["Content-Range"] == f"bytes 4-11/{len(MP4)}" and response["Content-Length"] == "8"
    tail = client.get(url, headers={"Range": "bytes=-4"})
    assert b"".join(tail.streaming_content) == MP4[-4:]
    refused = client.get(url, headers={"Range": f"bytes={len(MP4)}-"})
    assert refused.status_code == 416 and refused["Content-Range"] == f"bytes */{len(MP4)}"
    whole = client.get(url, headers={"Range": "bytes=0-1,4-5"})  # several ranges: the whole file
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == MP4


def test_nobody_else_reaches_a_recording(client, recorded):
    booking, recording = recorded
    url = reverse("recording_file", kwargs={"pk": recording.pk})
    assert client.get(url).status_code == 404  # anonymous: not even a login page
    for stranger in (UserFactory(), ExpertUserFactory(), StaffUserFactory()):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.get(reverse("recording_file", kwargs={"pk": 999_999_999})).status_code == 404
    client.force_login(booking.learner)
    assert client.post(url).status_code == 405


def test_a_recording_whose_file_went_missing_is_a_404(client, recorded, storage):
    booking, recording = recorded
    storage.delete(recording.file.name)
    client.force_login(booking.learner)
    assert client.get(reverse("recording_file", kwargs={"pk": recording.pk})).status_code == 404


def test_query_counts_do_not_grow_with_the_recordings(client, recorded, django_assert_num_queries, settings):
    settings.RECORDING_MAX_PER_BOOKING = 10
    booking, recording = recorded
    client.force_login(booking.learner)
    url = reverse("booking_detail", kwargs={"pk": booking.pk})
    file_url = reverse("recording_file", kwargs={"pk": recording.pk})
    client.get(url)  # warm the per-process caches (site, settings) once
    with CaptureQueriesContext(connection) as page_queries:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as file_queries:
        assert client.get(file_url).status_code == 200
    for _ in range(4):
        recording_upload(booking=booking, by=booking.expert, upload=upload())
    assert len(page_queries) > 0 and len(file_queries) > 0
    with django_assert_num_queries(len(page_queries)):
        assert client.get(url).content.decode().count("<video") == 5
    with django_assert_num_queries(len(file_queries)):
        assert client.get(file_url).status_code == 200


# --- staff ---------------------------------------------------------------------------------------


def staff_without_permission():
    staff = UserFactory(is_staff=True, email="support@example.com")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return staff


def test_staff_see_that_a_recording_exists_but_not_its_content(client, recorded):
    booking, recording = recorded
    client.force_login(StaffUserFactory())
    html = client.get(reverse("recordings_report")).content.decode()
    assert booking.reference in html and "Ezra Expert" in html and filesizeformat(recording.size) in html
    file_url = reverse("recording_staff_file", args=[recording.pk])
    assert file_url not in html  # not disputed: no way to play it
    response = client.get(file_url)
    assert response.status_code == 302 and not ModelLogEntry.objects.filter(action="bookings.recording_played")


def test_during_a_dispute_staff_with_the_permission_play_it_and_it_is_logged(client, recorded):
    booking, recording = recorded
    booking.disputed_at = timezone.now()
    booking.save(update_fields=["disputed_at"])
    staff = StaffUserFactory()
    client.force_login(staff)
    file_url = reverse("recording_staff_file", args=[recording.pk])
    assert file_url in client.get(reverse("recordings_report")).content.decode()
    response = client.get(file_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == MP4
    entry = ModelLogEntry.objects.get(action="bookings.recording_played")
    assert (entry.user_id, entry.object_id, entry.data["booking"]) == (staff.pk, str(recording.pk), booking.pk)
    other = staff_without_permission()
    client.force_login(other)
    assert file_url not in client.get(reverse("recordings_report")).content.decode()
    refused = client.get(file_url)  # Wagtail turns the refusal into its "no permission" redirect
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert ModelLogEntry.objects.filter(action="bookings.recording_played").count() == 1


def test_the_permission_can_be_granted_to_a_group_in_wagtail(client):
    client.force_login(StaffUserFactory())
    html = client.get(reverse("wagtailusers_groups:add")).content.decode()
    permission = Permission.objects.get(codename="play_disputed_recording")
    assert f'value="{permission.pk}"' in html


def test_the_staff_report_query_count_does_not_grow(client, recorded, django_assert_num_queries):
    client.force_login(StaffUserFactory())
    report = reverse("recordings_report")
    client.get(report)  # warm the per-process caches once
    with CaptureQueriesContext(connection) as first:
        assert client.get(report).status_code == 200
    for _ in range(3):
        other = session(starts_in=-2 * HOUR)
        recording_upload(booking=other, by=other.expert, upload=upload())
    assert len(first) > 0
    with django_assert_num_queries(len(first)):
        assert client.get(report).content.decode().count("booking-") >= 4


def test_an_open_no_show_report_lets_staff_play_it_until_staff_decide(client, recorded):
    from bookings.models import SessionDecision, SessionReport

    booking, recording = recorded
    file_url = reverse("recording_staff_file", args=[recording.pk])
    SessionReport.objects.create(
        booking=booking,
        reporter=booking.learner,
        role=SessionReport.Role.LEARNER,
        kind=SessionReport.Kind.EXPERT_ABSENT,
    )
    client.force_login(StaffUserFactory())
    assert file_url in client.get(reverse("recordings_report")).content.decode()
    assert client.get(file_url).status_code == 200
    SessionDecision.objects.create(
        booking=booking,
        outcome=SessionDecision.Outcome.REFUND_LEARNER,
        refund_percent=100,
        refund_minor=booking.amount_minor,
        reason="checked",
        decided_at=timezone.now(),
    )
    assert file_url not in client.get(reverse("recordings_report")).content.decode()
    assert client.get(file_url).status_code == 302
