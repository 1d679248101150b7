"""Export at /accounts/privacy/: one button, a ZIP built in the worker, a private expiring link."""

import hashlib
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.models import DataRequest
from accounts.privacy_services import privacy_export_request, privacy_export_run, privacy_exports_purge
from accounts.security_events import LOG_EXPORT_DOWNLOADED
from tests.builders import bookable_expert
from tests.factories import UserFactory

from .privacy_data import EMAIL, NAME, person_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert():
    return bookable_expert().profile.user


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/privacy/export/[^/\s]+/)", message.body).group(1)


def _export_through_the_page(client, person, capture):
    client.force_login(person)
    with capture(execute=True):
        response = client.post("/accounts/privacy/export/")
    assert response.status_code == 302
    return DataRequest.objects.get(subject=person, kind="export")


def test_the_export_holds_everything_and_only_the_owner_downloads_it(
    client, expert, django_capture_on_commit_callbacks
):
    person = person_with_history(expert_user=expert, bookings=3)
    request = _export_through_the_page(client, person, django_capture_on_commit_callbacks)
    assert request.status == "ready" and request.file_name.startswith("privacy-exports/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    link = _link(mail.outbox[0])

    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {"manifest.json", "accounts.json", "bookings.json", "billing.json", "reviews.json"} <= names
    account = json.loads(archive.read("accounts.json"))
    assert account["account"][0]["email"] == EMAIL and account["account"][0]["full_name"] == NAME
    assert account["api_tokens"][0]["name"].startswith(NAME) and "secret_hash" not in account["api_tokens"][0]
    bookings = json.loads(archive.read("bookings.json"))
    assert len(bookings["bookings"]) == 3 and NAME in bookings["bookings"][0]["goals_note"]
    assert json.loads(archive.read("billing.json"))["payments"][0]["amount_minor"] == 8000
    assert json.loads(archive.read("notifications.json"))["phone_number"][0]["number"] == "+4915112345678"
    assert json.loads(archive.read("reviews.json"))["reviews_given"][0]["rating"] == 5
    assert any(name.startswith("files/marketplace/") for name in names)  # the uploaded passport
    downloaded = ModelLogEntry.objects.get(action=LOG_EXPORT_DOWNLOADED)  # in the audit log, on the person
    assert (downloaded.object_id, downloaded.user, downloaded.data["export"]) == (
        str(person.pk),
        person,
        str(request.pk),
    )

    # Anyone else, signed in or not, gets what an unknown link gets.
    client.logout()
    assert client.get(link).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.get(link).status_code == 404
    client.force_login(person)
    assert client.get(link[:-3] + "xx/").status_code == 404
    assert ModelLogEntry.objects.filter(action=LOG_EXPORT_DOWNLOADED).count() == 1  # refused ones log nothing


def test_secrets_are_never_exported(expert, django_capture_on_commit_callbacks):
    from bookings.models import CalendarFeed, ConnectedCalendar

    person = person_with_history(expert_user=expert)
    CalendarFeed.objects.create(
        user=expert, token_hash="h" * 64, token_encrypted="fernet:SECRETFEED", created_at=timezone.now()
    )
    ConnectedCalendar.objects.create(
        expert=expert,
        provider="google",
        account_email="cal@example.com",
        access_token="ACCESSSECRET",
        refresh_token="REFRESHSECRET",
        token_expires_at=timezone.now(),
    )
    for user in (person, expert):
        with django_capture_on_commit_callbacks(execute=True):
            request = privacy_export_request(subject=user, requested_by=user)
        request.refresh_from_db()
        with storages["private"].open(request.file_name, "rb") as handle:
            archive = zipfile.ZipFile(io.BytesIO(handle.read()))
        everything = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".json"))
        for secret in (
            b"SECRETFEED",
            b"ACCESSSECRET",
            b"REFRESHSECRET",
            hashlib.sha256(EMAIL.encode()).hexdigest().encode(),
        ):
            assert secret not in everything


def test_one_export_at_a_time(client, learner, settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}
    client.force_login(learner)
    DataRequest.objects.create(subject=learner, kind="export", status="running")
    response = client.post("/accounts/privacy/export/", follow=True)
    assert "already being prepared" in response.content.decode()
    assert DataRequest.objects.filter(subject=learner, kind="export").count() == 1


def test_the_privacy_actions_are_rate_limited(client, learner):
    client.force_login(learner)
    for _ in range(10):
        client.post("/accounts/privacy/export/")
    response = client.post("/accounts/privacy/export/", follow=True)
    assert "try again in an hour" in response.content.decode()
    assert DataRequest.objects.filter(subject=learner).count() == 1  # and one at a time


def test_privacy_pages_need_a_signed_in_user_and_post(client, learner):
    assert client.get("/accounts/privacy/").status_code == 302
    assert client.post("/accounts/privacy/export/").status_code == 302
    client.force_login(learner)
    assert client.get("/accounts/privacy/").status_code == 200
    assert client.get("/accounts/privacy/export/").status_code == 405
    assert client.get("/accounts/privacy/erase/").status_code == 405


def test_a_rerun_of_a_finished_export_does_nothing(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = privacy_export_request(subject=learner, requested_by=learner)
    assert privacy_export_run(request_id=request.pk) is None


def test_expired_exports_are_deleted_and_their_link_dies(client, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = privacy_export_request(subject=learner, requested_by=learner)
    request.refresh_from_db()
    link = _link(mail.outbox[-1])
    storage = storages["private"]
    assert storage.exists(request.file_name)
    assert privacy_exports_purge(now=timezone.now() + timedelta(days=6)) == 0
    assert privacy_exports_purge(now=timezone.now() + timedelta(days=7, minutes=1)) == 1
    assert not storage.exists(request.file_name)
    request.refresh_from_db()
    assert request.status == "expired" and request.file_name == ""
    client.force_login(learner)
    assert client.get(link).status_code == 404


def test_an_export_of_a_person_with_nothing_is_still_a_valid_archive(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = privacy_export_request(subject=learner, requested_by=learner)
    request.refresh_from_db()
    with storages["private"].open(request.file_name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    for name in archive.namelist():
        json.loads(archive.read(name))
    assert json.loads(archive.read("bookings.json"))["bookings"] == []


def test_the_export_reads_in_a_constant_number_of_queries(expert):
    """Rows are streamed per table: ten times the history costs no extra query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.privacy_services import privacy_export_write

    def queries_for(person):
        with CaptureQueriesContext(connection) as captured:
            privacy_export_write(user=person, target=io.BytesIO())
        return len(captured.captured_queries)

    few = person_with_history(expert_user=expert, bookings=2, name="Few Rows", email="few@example.com")
    many = person_with_history(expert_user=expert, bookings=20, name="Many Rows", email="many@example.com")
    assert queries_for(many) == queries_for(few)
