"""The private document and photo views, and uploads that must be refused without storing anything."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from marketplace.models import ApplicationDocument, ExpertApplication
from marketplace.storage import private_storage
from tests.factories import ExpertUserFactory, StaffUserFactory, UserFactory
from tests.marketplace.application_factories import (
    jpeg_upload,
    make_application,
    pdf_bytes,
    pdf_with_object_stream,
    upload,
)
from tests.marketplace.factories import image_bytes

pytestmark = pytest.mark.django_db

CREDENTIALS = "/join/apply/credentials/"


def reviewer():
    user = UserFactory(email="reviewer@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="review_expertapplication"))
    return user


@pytest.fixture
def applicant():
    return UserFactory(email="applicant@example.com")


@pytest.fixture
def application(applicant):
    application = make_application(applicant, complete=False, documents=1)
    application.photo.save("photo-test.jpg", ContentFile(image_bytes()), save=True)
    return application


def stored_files() -> set[str]:
    root = Path(private_storage().location)
    return {str(path) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


class TestWhoMayOpenAFile:
    def test_the_applicant_downloads_their_document_as_an_attachment(self, client, applicant, application):
        document = application.documents.get()
        client.force_login(applicant)
        response = client.get(f"/join/documents/{document.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="certificate-1.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")

    def test_a_reviewer_opens_documents_and_photos(self, client, application):
        client.force_login(reviewer())
        assert client.get(f"/join/documents/{application.documents.get().pk}/").status_code == 200
        response = client.get(f"/join/applications/{application.pk}/photo/")
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"

    @pytest.mark.parametrize("who", ["another_applicant", "expert", "learner", "staff_without_permission", "anonymous"])
    def test_everyone_else_gets_the_same_404_as_for_a_missing_file(self, client, application, who):
        users = {
            "another_applicant": lambda: make_application(UserFactory(), complete=False, documents=1).user,
            "expert": ExpertUserFactory,
            "learner": UserFactory,
            "staff_without_permission": lambda: UserFactory(is_staff=True),
            "anonymous": lambda: None,
        }
        user = users[who]()
        if user is not None:
            client.force_login(user)
        document = application.documents.get()
        for path in (
            f"/join/documents/{document.pk}/",
            f"/join/applications/{application.pk}/photo/",
            "/join/documents/999999999/",
            "/join/applications/999999999/photo/",
        ):
            assert client.get(path).status_code == 404, (who, path)
            assert client.post(path).status_code == 405, (who, path)

    def test_a_superuser_counts_as_a_reviewer(self, client, application):
        client.force_login(StaffUserFactory())
        assert client.get(f"/join/documents/{application.documents.get().pk}/").status_code == 200

    def test_the_private_files_are_not_under_the_public_media_url(self, client, application):
        document = application.documents.get()
        assert client.get(f"/media/{document.file.name}").status_code == 404


class TestUploads:
    @pytest.fixture
    def signed_in(self, client, applicant, application):
        client.force_login(applicant)
        ExpertApplication.objects.filter(pk=application.pk).update(step=ExpertApplication.Step.OFFER)
        return client

    def post(self, client, content, **fields):
        data = {"action": "upload", "kind": "certificate", "title": "My certificate", "file": content}
        data.update(fields)
        return client.post(CREDENTIALS, data)

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (upload(pdf_bytes(javascript=True)), "JavaScript"),
            (upload(pdf_with_object_stream(b"<< /S /JavaScript /JS (x) >>")), "JavaScript"),
            (upload(pdf_bytes(encrypted=True)), "password-protected"),
            (upload(b"MZ\x90\x00 not a pdf", name="cv.pdf"), "not a PDF, JPEG or PNG"),
            (upload(b"<svg onload=alert(1)>", name="x.png", content_type="image/png"), "not a PDF, JPEG or PNG"),
            (upload(b"", name="empty.pdf"), "empty"),
        ],
    )
    def test_a_bad_file_is_refused_beside_the_field_and_never_stored(self, signed_in, application, content, message):
        before_files, before_rows = stored_files(), ApplicationDocument.objects.count()
        response = self.post(signed_in, content)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert "field--invalid" in response.content.decode()
        assert ApplicationDocument.objects.count() == before_rows
        assert stored_files() == before_files

    def test_a_file_over_the_limit_is_refused_unread(self, signed_in, settings):
        settings.EXPERT_DOCUMENT_MAX_BYTES = 1000
        before = stored_files()
        response = self.post(signed_in, upload(pdf_bytes() + b"%" * 2000))
        assert "larger than" in response.content.decode()
        assert stored_files() == before

    @pytest.mark.parametrize(
        ("fields", "field_error"),
        [
            ({"title": ""}, "This field is required."),
            ({"kind": "passport-ish"}, "Select a valid choice."),
            ({"expires_on": "2001-01-01"}, "This date has passed"),
            ({"expires_on": "not a date"}, "Enter a valid date."),
        ],
    )
    def test_bad_fields_are_refused_with_a_message(self, signed_in, fields, field_error):
        before = ApplicationDocument.objects.count()
        response = self.post(signed_in, upload(pdf_bytes()), **fields)
        assert field_error in response.content.decode()
        assert ApplicationDocument.objects.count() == before

    def test_a_good_image_is_stored_reencoded_under_a_random_name(self, signed_in, application):
        response = self.post(signed_in, jpeg_upload(), title="Diploma scan")
        assert response.status_code == 302
        document = application.documents.get(title="Diploma scan")
        assert document.content_type == "image/jpeg" and document.file.name.endswith(".jpg")
        assert "photo" not in document.file.name and len(document.sha256) == 64

    def test_removing_a_document(self, signed_in, application):
        document = application.documents.get()
        response = signed_in.post(f"/join/apply/documents/{document.pk}/delete/")
        assert response["Location"] == CREDENTIALS
        assert not application.documents.exists()

    def test_someone_elses_document_cannot_be_removed(self, client, application):
        other = make_application(UserFactory(), complete=False, documents=0)
        client.force_login(other.user)
        document = application.documents.get()
        assert client.post(f"/join/apply/documents/{document.pk}/delete/").status_code == 404
        assert application.documents.filter(pk=document.pk).exists()


def test_uploads_are_limited_per_hour_refused_ones_included(client, applicant, application):
    client.force_login(applicant)
    ExpertApplication.objects.filter(pk=application.pk).update(step=ExpertApplication.Step.OFFER)
    bad = {"action": "upload", "kind": "certificate", "title": "x"}
    for _attempt in range(30):
        client.post(CREDENTIALS, {**bad, "file": upload(b"not a document")})
    response = client.post(CREDENTIALS, {**bad, "file": upload(pdf_bytes())})
    assert "try again later" in response.content.decode()
    assert application.documents.count() == 1
