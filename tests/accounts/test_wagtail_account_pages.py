"""Wagtail's and Django's own password and email pages are off: allauth's limits and checks always apply."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_wagtails_password_reset_sends_to_allauths_and_mails_nothing(client, learner):
    assert client.get("/admin/password_reset/")["Location"] == "/accounts/password/reset/"
    client.post("/admin/password_reset/", {"email": learner.email})
    assert mail.outbox == []


@pytest.mark.parametrize("tail", ["done/", "complete/"])
def test_wagtails_other_reset_pages_are_gone(client, tail):
    assert client.get(f"/admin/password_reset/{tail}").status_code == 404


def test_a_valid_wagtail_reset_link_cannot_set_a_password(client, learner):
    uid = urlsafe_base64_encode(force_bytes(learner.pk))
    token = default_token_generator.make_token(learner)
    url = f"/admin/password_reset/confirm/{uid}/{token}/"
    assert client.get(url).status_code == 404
    client.post(url, {"new_password1": "hijacked-pass-2026", "new_password2": "hijacked-pass-2026"})
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


def test_wagtails_account_page_changes_neither_email_nor_password(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/admin/account/").content.decode()
    assert 'name="name_email-email"' not in page and 'name="password-' not in page
    client.post(
        "/admin/account/",
        {
            "name_email-email": "attacker@evil.example",
            "password-old_password": PASSWORD,
            "password-new_password1": "attacker-pass-2026",
            "password-new_password2": "attacker-pass-2026",
            "locale-preferred_language": "en",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
        },
    )
    staff_user.refresh_from_db()
    assert staff_user.email == "staff@example.com" and staff_user.check_password(PASSWORD)
    assert client.get("/admin/account/change_password/").status_code == 404


def test_staff_cannot_type_in_someone_elses_password(client, staff_user, learner):
    client.force_login(staff_user)
    assert 'name="password1"' not in client.get(f"/admin/users/edit/{learner.pk}/").content.decode()
    client.post(
        f"/admin/users/edit/{learner.pk}/",
        {
            "email": learner.email,
            "full_name": learner.full_name,
            "time_zone": "Europe/Berlin",
            "preferred_language": "en",
            "is_active": "on",
            "password1": "chosen-by-staff-77",
            "password2": "chosen-by-staff-77",
        },
    )
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


def test_an_admin_made_account_sets_its_password_through_allauth(client, staff_user):
    client.force_login(staff_user)
    assert 'name="password1"' not in client.get("/admin/users/new/").content.decode()
    response = client.post(
        "/admin/users/new/",
        {"email": "new.editor@example.com", "full_name": "New Editor", "time_zone": "UTC", "preferred_language": "en"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert not User.objects.get(email="new.editor@example.com").has_usable_password()


def test_djangos_admin_password_change_sends_to_allauths(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/django-admin/password_change/")["Location"] == "/accounts/password/change/"
    client.post(
        "/django-admin/password_change/",
        {"old_password": PASSWORD, "new_password1": "other-pass-2026-x", "new_password2": "other-pass-2026-x"},
    )
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)
