"""Tiny media files whose first bytes are real (an ISO BMFF ``ftyp`` box, an EBML header, an ID3 tag),
sessions at times relative to the real clock, and Zoom's ``recording.completed`` payload shape."""

from datetime import timedelta

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bookings.models import Recording, RecordingConsent
from tests.builders import booking_in_state
from tests.factories import ExpertUserFactory, UserFactory

PADDING = b"\x00" * 2048
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00\x00\x00\x08free" + PADDING
M4A = b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom" + PADDING
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + PADDING
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + PADDING
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>" + PADDING
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + PADDING


def upload(content: bytes = MP4, name: str = "session.mp4", content_type: str = "video/mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def session(*, starts_in: timedelta, minutes: int = 60, consent: tuple[str, ...] = ("learner", "expert"), **fields):
    """A confirmed session of a new learner and expert, starting ``starts_in`` from now (negative: begun),
    with the named participants' consent given a day before it was booked to start."""
    start = timezone.now() + starts_in
    learner = UserFactory(full_name="Lena Learner")
    expert = ExpertUserFactory(full_name="Ezra Expert")
    booking = booking_in_state(learner=learner, expert=expert, start=start, minutes=minutes, **fields)
    for role in consent:
        RecordingConsent.objects.create(
            booking=booking, user=getattr(booking, role), given_at=start - timedelta(days=1)
        )
    return booking


def zoom_recording_completed(*, file_id: str = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", file_type: str = "MP4") -> dict:
    """The shape of Zoom's ``recording.completed`` event (developers.zoom.us, "Download recordings using
    webhooks"): the file's ``download_url`` and, beside the object, a ``download_token`` that is sent as
    ``Authorization: Bearer`` (Zoom refuses tokens in the query string since February 2023)."""
    return {
        "event": "recording.completed",
        "event_ts": 1780300000000,
        "payload": {
            "account_id": "D8cJuqWVQ623CI4Q8yQK0Q",
            "object": {
                "uuid": "WEz4RT2lSyKx2MD9Z+lYfA==",
                "id": 87565330005,
                "host_id": "z8yCxjabcdEFGHfp8uQ",
                "topic": "TapTime session booking-1",
                "type": 2,
                "start_time": "2026-06-03T08:00:12Z",
                "duration": 60,
                "total_size": 2120,
                "recording_count": 2,
                "recording_files": [
                    {
                        "id": file_id,
                        "meeting_id": "WEz4RT2lSyKx2MD9Z+lYfA==",
                        "recording_start": "2026-06-03T08:00:15Z",
                        "recording_end": "2026-06-03T08:59:40Z",
                        "file_type": file_type,
                        "file_extension": file_type,
                        "file_size": 2120,
                        "play_url": "https://zoom.us/rec/play/Qg75t7xZBtEbAkjdlgbfdngBBBB",
                        "download_url": "https://zoom.us/rec/download/Qg75t7xZBtEbAkjdlgbfdngBBBB",
                        "status": "completed",
                        "recording_type": "shared_screen_with_speaker_view",
                    },
                    {
                        "id": "f0e1d2c3-b4a5-4968-8776-655443322110",
                        "meeting_id": "WEz4RT2lSyKx2MD9Z+lYfA==",
                        "file_type": "TRANSCRIPT",
                        "file_extension": "VTT",
                        "file_size": 512,
                        "download_url": "https://zoom.us/rec/download/Tr4nscr1ptCCCC",
                        "status": "completed",
                        "recording_type": "audio_transcript",
                    },
                ],
            },
        },
        "download_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJodHRwczovL2V2ZW50Lnpvb20udXMifQ.sig",
    }


def private_storage_in(monkeypatch, path) -> FileSystemStorage:
    """Recordings go to a private storage at ``path`` for one test, so it sees only the files it made."""
    storage = FileSystemStorage(location=str(path), base_url=None)
    monkeypatch.setattr(Recording._meta.get_field("file"), "storage", storage)
    return storage
