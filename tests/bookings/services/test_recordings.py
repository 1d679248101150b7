"""Recording consent, the expert's upload, the provider's file and retention (bookings.services.recordings)."""

import logging
import os
import threading
from datetime import timedelta
from unittest import mock

import pytest
import responses
from django.db import connections, transaction
from django.utils import timezone
from responses import matchers

from bookings.errors import RecordingDownloadFailed, RecordingError
from bookings.models import Booking, Recording, RecordingConsent
from bookings.services.recordings import (
    ingest_provider_recording,
    recording_consent_give,
    recording_consent_withdraw,
    recording_upload,
    recordings_orphans_delete,
    recordings_purge_expired,
)
from bookings.tasks import purge_expired_recordings
from marketplace.storage import private_storage
from tests.bookings.recording_samples import (
    HTML,
    M4A,
    MOV,
    MP3,
    MP4,
    WEBM,
    private_storage_in,
    session,
    upload,
    zoom_recording_completed,
)
from tests.concurrency import in_own_connection
from tests.factories import ExpertUserFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def storage(monkeypatch, tmp_path):
    return private_storage_in(monkeypatch, tmp_path)


def standing(booking):
    return set(
        RecordingConsent.objects.filter(booking=booking, withdrawn_at__isnull=True).values_list("user_id", flat=True)
    )


# --- consent -------------------------------------------------------------------------------------


def test_both_agree_then_one_withdraws_and_agrees_again():
    booking = session(starts_in=2 * DAY, consent=())
    recording_consent_give(booking=booking, by=booking.learner)
    recording_consent_give(booking=booking, by=booking.expert)
    assert standing(booking) == {booking.learner_id, booking.expert_id}
    withdrawn = recording_consent_withdraw(booking=booking, by=booking.learner)
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_at < booking.start
    assert standing(booking) == {booking.expert_id}
    recording_consent_withdraw(booking=booking, by=booking.learner)  # twice changes nothing
    recording_consent_give(booking=booking, by=booking.learner)
    assert standing(booking) == {booking.learner_id, booking.expert_id}
    assert RecordingConsent.objects.filter(booking=booking).count() == 2


@pytest.mark.parametrize("call", [recording_consent_give, recording_consent_withdraw])
def test_consent_cannot_change_once_the_session_has_started(call):
    booking = session(starts_in=-timedelta(minutes=1), consent=("learner",))
    with pytest.raises(RecordingError) as refused:
        call(booking=booking, by=booking.learner)
    assert refused.value.code == "consent_closed"
    assert standing(booking) == {booking.learner_id}


def test_consent_is_refused_for_a_cancelled_session_and_for_outsiders():
    booking = session(starts_in=2 * DAY, consent=(), status=Booking.Status.CANCELLED_BY_LEARNER)
    with pytest.raises(RecordingError):
        recording_consent_give(booking=booking, by=booking.learner)
    live = session(starts_in=2 * DAY, consent=())
    with pytest.raises(RecordingError) as refused:
        recording_consent_give(booking=live, by=UserFactory())
    assert refused.value.code == "not_yours"
    assert not RecordingConsent.objects.exists()


# --- a withdrawal at the last second, racing the start --------------------------------------------


@pytest.fixture
def committed_session(storage):
    """A session starting in 3 s with both consents, committed so that two connections see it."""
    booking = in_own_connection(lambda: session(starts_in=timedelta(seconds=3)))
    yield booking

    def clean():
        for name in Recording.objects.filter(booking_id=booking.pk).values_list("file", flat=True):
            storage.delete(name)
        Booking.objects.filter(pk=booking.pk).delete()
        for user_id in (booking.learner_id, booking.expert_id):
            UserFactory._meta.model.objects.filter(pk=user_id).delete()

    in_own_connection(clean)


def _race(booking):
    """The learner withdraws before the start and the transaction commits slowly (when the upload has
    finished, or a second after the start); the expert uploads just after the start."""
    wrote, upload_done, outcomes = threading.Event(), threading.Event(), {}
    real_save = RecordingConsent.save

    def slow_save(self, *args, **kwargs):
        real_save(self, *args, **kwargs)
        wrote.set()
        upload_done.wait((booking.start + timedelta(seconds=1) - timezone.now()).total_seconds())

    def withdraw():
        try:
            outcomes["withdraw"] = recording_consent_withdraw(booking=booking, by=booking.learner).withdrawn_at
        except RecordingError as refused:
            outcomes["withdraw"] = refused.code
        finally:
            connections.close_all()

    def upload_after_start():
        try:
            wrote.wait(10)
            while timezone.now() <= booking.start:
                threading.Event().wait(0.02)
            outcomes["upload"] = recording_upload(booking=booking, by=booking.expert, upload=upload()).pk
        except RecordingError as refused:
            outcomes["upload"] = refused.code
        finally:
            upload_done.set()
            connections.close_all()

    with mock.patch.object(RecordingConsent, "save", slow_save):
        threads = [threading.Thread(target=withdraw), threading.Thread(target=upload_after_start)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    return outcomes


@pytest.mark.race
def test_a_withdrawal_sent_before_the_start_wins_over_an_upload_racing_it(committed_session):
    outcomes = _race(committed_session)
    assert outcomes["withdraw"] < committed_session.start  # accepted: it was sent before the start
    assert outcomes["upload"] == "not_allowed"  # the upload waited for it under the booking's lock
    assert in_own_connection(lambda: Recording.objects.filter(booking_id=committed_session.pk).count()) == 0


@pytest.mark.race
def test_control_without_the_lock_the_race_keeps_a_recording_of_a_withdrawn_session(committed_session, settings):
    settings.BOOKING_RECORDING_LOCKING = False
    outcomes = _race(committed_session)
    # Both "succeed": the withdrawal is recorded, yet the upload read the consent before it committed.
    assert outcomes["withdraw"] < committed_session.start
    assert isinstance(outcomes["upload"], int), outcomes


@pytest.mark.race
def test_a_withdrawal_that_waits_for_the_lock_past_the_start_is_refused(committed_session):
    """The clock is read once the lock is held: a withdrawal queued behind a check at the start loses."""
    booking, outcome = committed_session, {}
    locked = threading.Event()

    def hold_the_lock_past_the_start():
        with transaction.atomic():
            Booking.objects.select_for_update().get(pk=booking.pk)
            locked.set()
            while timezone.now() <= booking.start + timedelta(milliseconds=200):
                threading.Event().wait(0.02)
        connections.close_all()

    holder = threading.Thread(target=hold_the_lock_past_the_start)
    holder.start()
    locked.wait(10)
    # Sent half a second before the start (the wait for the lock stays inside LOCK_TIMEOUT_SECONDS).
    threading.Event().wait(max((booking.start - timedelta(seconds=0.5) - timezone.now()).total_seconds(), 0))
    assert timezone.now() < booking.start  # sent before the start...
    try:
        in_own_connection(lambda: recording_consent_withdraw(booking=booking, by=booking.learner))
    except RecordingError as refused:
        outcome["code"] = refused.code
    holder.join(10)
    assert outcome == {"code": "consent_closed"}  # ...but decided after it
    assert in_own_connection(lambda: len(standing(booking))) == 2


def test_recordings_live_in_the_private_storage_without_a_public_address(settings):
    field = Recording._meta.get_field("file")
    assert field._storage_callable is private_storage
    # Outside MEDIA_ROOT, so nothing under MEDIA_URL ever reaches it.
    assert not str(private_storage().location).startswith(str(settings.MEDIA_ROOT) + "/")


# --- the expert's upload --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(MP4, "video/mp4"), (M4A, "audio/mp4"), (WEBM, "video/webm"), (MP3, "audio/mpeg")],
)
def test_the_expert_uploads_each_accepted_type_into_private_storage(content, content_type, storage):
    booking = session(starts_in=-2 * timedelta(hours=1))
    recording = recording_upload(booking=booking, by=booking.expert, upload=upload(content, name="x.bin"))
    assert (recording.content_type, recording.size, recording.source) == (content_type, len(content), "upload")
    assert storage.exists(recording.file.name)
    assert recording.file.name.startswith("recordings/") and "x.bin" not in recording.file.name
    assert len(recording.file.name.split("/")[1].split(".")[0]) >= 32  # an unguessable name
    with recording.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize("content", [HTML, MOV, b"\x00" * 4096])
def test_a_file_that_is_not_audio_or_video_is_refused_whatever_its_name(content):
    booking = session(starts_in=-timedelta(hours=1))
    with pytest.raises(RecordingError) as refused:
        recording_upload(booking=booking, by=booking.expert, upload=upload(content, "lecture.mp4", "video/mp4"))
    assert refused.value.code == "type"
    assert not Recording.objects.exists()


def test_a_file_over_the_limit_is_refused(settings):
    booking = session(starts_in=-timedelta(hours=1))
    with pytest.raises(RecordingError) as refused:
        recording_upload(
            booking=booking, by=booking.expert, upload=upload(MP4 + b"\x00" * settings.RECORDING_MAX_BYTES)
        )
    assert refused.value.code == "too_big"
    assert not Recording.objects.exists()


@pytest.mark.parametrize(
    ("consent", "starts_in", "code"),
    [
        (("learner",), -timedelta(hours=1), "not_allowed"),
        ((), -timedelta(hours=1), "not_allowed"),
        (("learner", "expert"), timedelta(hours=1), "window"),  # not started yet
        (("learner", "expert"), -9 * DAY, "window"),  # ended more than 7 days ago
    ],
)
def test_no_upload_without_both_consents_or_outside_the_window(consent, starts_in, code):
    booking = session(starts_in=starts_in, consent=consent)
    with pytest.raises(RecordingError) as refused:
        recording_upload(booking=booking, by=booking.expert, upload=upload())
    assert refused.value.code == code
    assert not Recording.objects.exists()


def test_a_withdrawn_consent_forbids_the_upload():
    booking = session(starts_in=-timedelta(hours=1))
    RecordingConsent.objects.filter(user=booking.learner).update(withdrawn_at=booking.start - DAY / 2)
    with pytest.raises(RecordingError):
        recording_upload(booking=booking, by=booking.expert, upload=upload())


def test_only_the_sessions_expert_uploads_and_only_a_few_files(settings):
    booking = session(starts_in=-timedelta(hours=1))
    for outsider in (booking.learner, ExpertUserFactory(), None):
        with pytest.raises(RecordingError) as refused:
            recording_upload(booking=booking, by=outsider, upload=upload())
        assert refused.value.code == "not_expert"
    settings.RECORDING_MAX_PER_BOOKING = 2
    for _ in range(2):
        recording_upload(booking=booking, by=booking.expert, upload=upload())
    with pytest.raises(RecordingError) as refused:
        recording_upload(booking=booking, by=booking.expert, upload=upload())
    assert refused.value.code == "too_many"
    assert Recording.objects.count() == 2


# --- the provider's recording (Zoom) --------------------------------------------------------------

EVENT = zoom_recording_completed()
FILE = EVENT["payload"]["object"]["recording_files"][0]
STORAGE_URL = "https://ssrweb.zoom.us/replay03/2026/06/03/GMT20260603-080015_Recording_1920x1080.mp4"


def _ingest(booking, **overrides):
    arguments = {
        "booking": booking,
        "download_url": FILE["download_url"],
        "bearer_token": EVENT["download_token"],
        "file_type": FILE["file_type"],
        "external_id": FILE["id"],
    }
    return ingest_provider_recording(**{**arguments, **overrides})


def _zoom_serves(body=MP4, status=200):
    """Zoom answers the download URL with a redirect to its storage host, sending the file from there."""
    responses.get(
        FILE["download_url"],
        status=302,
        headers={"Location": STORAGE_URL + "?response-content-type=video%2Fmp4&Signature=abc"},
        match=[matchers.header_matcher({"Authorization": f"Bearer {EVENT['download_token']}"})],
    )
    responses.get(STORAGE_URL, body=body, status=status, content_type="video/mp4")


@responses.activate
def test_zooms_file_is_streamed_into_private_storage_once():
    booking = session(starts_in=-2 * timedelta(hours=1))
    _zoom_serves()
    recording = _ingest(booking)
    assert (recording.source, recording.external_id, recording.size) == ("provider", FILE["id"], len(MP4))
    with recording.file.open("rb") as handle:
        assert handle.read() == MP4
    # The token went to Zoom's API host only, in the header, never to the storage host or in a URL.
    first, second = responses.calls
    assert "access_token" not in first.request.url and "Authorization" not in second.request.headers
    assert _ingest(booking) == recording  # a repeated delivery
    assert len(responses.calls) == 2 and Recording.objects.count() == 1


@responses.activate
def test_zooms_file_is_discarded_without_consent_and_nothing_is_downloaded(caplog):
    booking = session(starts_in=-timedelta(hours=2), consent=("expert",))
    with caplog.at_level(logging.WARNING, logger="bookings.services.recordings"):
        assert _ingest(booking) is None
    assert "not_allowed" in caplog.text
    assert len(responses.calls) == 0 and not Recording.objects.exists()


@responses.activate
@pytest.mark.parametrize(
    ("overrides", "body"),
    [
        ({"file_type": "TRANSCRIPT"}, MP4),
        ({"download_url": "https://evil.example/rec/download/x"}, MP4),
        ({"download_url": "http://zoom.us/rec/download/Qg75t7xZBtEbAkjdlgbfdngBBBB"}, MP4),
        ({}, HTML),  # Zoom's sign-in page instead of the file
        ({}, MP4 + b"\x00" * 70_000),  # over RECORDING_MAX_BYTES in tests
    ],
)
def test_zooms_file_is_discarded_when_it_is_not_a_recording_we_keep(overrides, body, storage):
    booking = session(starts_in=-timedelta(hours=2))
    _zoom_serves(body)
    assert _ingest(booking, **overrides) is None
    assert not Recording.objects.exists()
    assert not storage.exists("recordings") or storage.listdir("recordings") == ([], [])


@responses.activate
def test_a_redirect_off_zoom_is_not_followed():
    booking = session(starts_in=-timedelta(hours=2))
    responses.get(FILE["download_url"], status=302, headers={"Location": "https://169.254.169.254/latest/meta-data"})
    assert _ingest(booking) is None
    assert len(responses.calls) == 1


@responses.activate
def test_a_failed_download_raises_so_the_caller_can_retry():
    booking = session(starts_in=-timedelta(hours=2))
    responses.get(FILE["download_url"], status=401, json={"code": 124, "message": "Invalid access token."})
    with pytest.raises(RecordingDownloadFailed):
        _ingest(booking)
    assert not Recording.objects.exists()


# --- retention ------------------------------------------------------------------------------------


def test_the_daily_job_deletes_recordings_past_retention_even_with_a_missing_file(settings, storage):
    settings.RECORDING_RETENTION_DAYS = 30
    booking = session(starts_in=-timedelta(hours=2))
    old, missing, recent = (recording_upload(booking=booking, by=booking.expert, upload=upload()) for _ in range(3))
    Recording.objects.filter(pk__in=[old.pk, missing.pk]).update(created_at=timezone.now() - 31 * DAY)
    storage.delete(missing.file.name)
    assert purge_expired_recordings() == 2
    assert list(Recording.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not storage.exists(old.file.name)
    assert storage.exists(recent.file.name)
    assert recordings_purge_expired() == 0
    assert RecordingConsent.objects.filter(booking=booking).count() == 2


def test_a_storage_error_keeps_the_row_for_the_next_run(storage):
    booking = session(starts_in=-timedelta(hours=2))
    recording = recording_upload(booking=booking, by=booking.expert, upload=upload())
    Recording.objects.filter(pk=recording.pk).update(created_at=timezone.now() - 60 * DAY)
    with mock.patch.object(type(storage), "delete", side_effect=PermissionError("denied")):
        assert recordings_purge_expired() == 0
    assert Recording.objects.filter(pk=recording.pk).exists()
    assert recordings_purge_expired() == 1


def test_the_daily_job_deletes_files_a_crash_left_without_a_row(storage):
    booking = session(starts_in=-timedelta(hours=2))
    kept = recording_upload(booking=booking, by=booking.expert, upload=upload())
    old_orphan = storage.save("recordings/left-by-a-crash.mp4", upload())
    in_flight = storage.save("recordings/being-uploaded.mp4", upload())
    two_days_ago = (timezone.now() - 2 * DAY).timestamp()
    for name in (old_orphan, kept.file.name):
        os.utime(storage.path(name), (two_days_ago, two_days_ago))
    assert purge_expired_recordings() == 0  # no row was past retention
    assert not storage.exists(old_orphan)
    assert storage.exists(in_flight) and storage.exists(kept.file.name)
    assert recordings_orphans_delete() == 0
