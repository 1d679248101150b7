from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.models import ApplicationSettings, ExpertApplication
from marketplace.storage import private_storage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = ExpertApplication.Status


def test_one_open_application_per_user_but_closed_ones_are_history():
    user = UserFactory()
    now = timezone.now()
    ExpertApplication.objects.create(user=user, status=Status.REJECTED, submitted_at=now)
    ExpertApplication.objects.create(user=user, status=Status.APPROVED, submitted_at=now)
    ExpertApplication.objects.create(user=user, status=Status.DRAFT)
    for status in (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExpertApplication.objects.create(user=user, status=status, submitted_at=now)


def test_a_submitted_application_has_a_submission_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertApplication.objects.create(user=UserFactory(), status=Status.SUBMITTED)


def test_documents_and_photos_live_in_the_private_storage_outside_the_media(settings):
    storage = private_storage()
    assert not Path(storage.location).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    field = ExpertApplication._meta.get_field("photo")
    assert field.storage.location == storage.location


def test_cooling_off_defaults_to_thirty_days():
    assert ApplicationSettings.load().application_cooloff_days == 30


def test_staff_change_the_cooling_off_in_the_wagtail_settings(client, staff_user):
    client.force_login(staff_user)
    url = client.get("/admin/settings/marketplace/applicationsettings/", follow=True).redirect_chain[-1][0]
    assert client.get(url).status_code == 200
    response = client.post(url, {"application_cooloff_days": "45"})
    assert response.status_code == 302
    assert ApplicationSettings.load().application_cooloff_days == 45
    response = client.post(url, {"application_cooloff_days": "-3"})
    assert response.status_code == 200
    assert ApplicationSettings.load().application_cooloff_days == 45
