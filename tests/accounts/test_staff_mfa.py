"""Promise: nobody uses either admin without a second factor passed in this login session."""

import re
from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.cache import cache

from accounts.models import User
from accounts.tokens import enrolment_token_make
from tests.factories import PASSWORD, UserFactory, sign_in_with_totp, totp_code, with_totp

pytestmark = pytest.mark.django_db

ADMINS = ["/admin/", "/django-admin/"]


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.STAFF_MFA_REQUIRED = True


@pytest.fixture
def editor(db):
    """Not staff, not superuser: an editor whose group grants Wagtail's admin, as Wagtail's own groups do."""
    group = Group.objects.create(name="Profile moderators")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user = UserFactory(email="editor@example.com")
    user.groups.add(group)
    return user


@pytest.fixture
def wagtail_superuser(db):
    """An "Administrator" made in Wagtail's user form: is_superuser without is_staff."""
    return UserFactory(email="root@example.com", is_superuser=True, is_staff=False)


@pytest.fixture(params=["editor", "wagtail_superuser", "staff_user"])
def admin_user(request):
    return request.getfixturevalue(request.param)


def sign_in_with_password(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.parametrize("path", ADMINS)
def test_an_admin_without_a_second_factor_cannot_open_either_admin(client, admin_user, path):
    sign_in_with_password(client, admin_user)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/2fa/enrol/?next={quote(path, safe='')}"


@pytest.mark.parametrize("path", ADMINS)
def test_owning_an_authenticator_is_not_enough_without_using_it_this_session(client, admin_user, path):
    with_totp(admin_user)
    client.force_login(admin_user)  # a session that never passed the second factor
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/2fa/reauthenticate/?next={quote(path, safe='')}"


def test_confirming_a_code_in_this_session_opens_the_admin(client, admin_user):
    secret = with_totp(admin_user)
    client.force_login(admin_user)
    response = client.post("/accounts/2fa/reauthenticate/?next=/admin/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_keeps_the_admin_closed(client, staff_user):
    with_totp(staff_user)
    client.force_login(staff_user)
    response = client.post("/accounts/2fa/reauthenticate/?next=/admin/", {"code": "000000"})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_with_totp_verified_at_sign_in_each_admin_opens_for_whom_it_is_meant(client, admin_user):
    secret = with_totp(admin_user)
    sign_in_with_totp(client, admin_user, secret)
    assert client.get("/admin/").status_code == 200
    django_admin = client.get("/django-admin/")
    if admin_user.is_superuser:
        assert django_admin.status_code == 200
    else:
        # Past the second factor, Django's admin still refuses a non-superuser itself.
        assert django_admin.status_code == 302 and django_admin["Location"].startswith("/django-admin/login/")


def test_the_next_target_is_url_encoded_and_read_from_path_info(client, staff_user):
    sign_in_with_password(client, staff_user)
    response = client.get("/admin/pages/", {"q": "a&next=//evil.example"})
    assert response["Location"] == "/accounts/2fa/enrol/?next=" + quote(
        "/admin/pages/?q=a%26next%3D%2F%2Fevil.example", safe=""
    )
    # Deployed under a sub-path, request.path starts with the prefix; path_info does not.
    assert client.get("/admin/", SCRIPT_NAME="/taptime").status_code == 302


def test_learners_are_not_affected(client, learner):
    with_totp(learner)
    client.force_login(learner)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(client, staff_user):
    Authenticator.objects.create(user=staff_user, type=Authenticator.Type.RECOVERY_CODES, data={})
    sign_in_with_password(client, staff_user)
    assert client.get("/admin/")["Location"].startswith("/accounts/2fa/enrol/")


class TestEnrolmentNeedsTheMailbox:
    """Whoever has only the password cannot bind their own authenticator (no trust on first use)."""

    def test_the_password_alone_cannot_open_the_authenticator_set_up(self, client, staff_user):
        sign_in_with_password(client, staff_user)
        response = client.get("/accounts/2fa/totp/activate/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/enrol/")
        assert not Authenticator.objects.filter(user=staff_user).exists()

    def test_the_emailed_link_opens_the_set_up_in_this_session(
        self, client, staff_user, django_capture_on_commit_callbacks
    ):
        sign_in_with_password(client, staff_user)
        page = client.get("/accounts/2fa/enrol/?next=/admin/")
        assert page.status_code == 200 and b"Email me a set-up link" in page.content
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/accounts/2fa/enrol/", {"next": "/admin/"})
        assert [m.to for m in mail.outbox] == [[staff_user.email]]
        link = re.search(r"http://testserver(/accounts/2fa/enrol/[^\s/]+/)", mail.outbox[0].body).group(1)
        response = client.get(link)
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")
        # Past our gate, allauth asks for the password once more before showing the set-up.
        activate = client.get(response["Location"])
        assert activate["Location"].startswith("/accounts/reauthenticate/")
        client.post(activate["Location"], {"password": PASSWORD})
        setup = client.get("/accounts/2fa/totp/activate/")
        assert setup.status_code == 200 and b"Authenticator" in setup.content

    def test_a_link_for_someone_else_or_a_tampered_one_is_refused(self, client, staff_user, wagtail_superuser):
        foreign = enrolment_token_make(wagtail_superuser, has_second_factor=False)
        sign_in_with_password(client, staff_user)
        for token in [foreign, foreign[:-2] + "xx", "nonsense"]:
            response = client.get(f"/accounts/2fa/enrol/{token}/")
            assert response["Location"] == "/accounts/2fa/enrol/"
            assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/2fa/enrol/")

    def test_an_expired_link_is_refused(self, client, staff_user, settings):
        sign_in_with_password(client, staff_user)
        staff_user.refresh_from_db()
        token = enrolment_token_make(staff_user, has_second_factor=False)
        settings.STAFF_MFA_ENROLMENT_LINK_MAX_AGE_SECONDS = -1
        response = client.get(f"/accounts/2fa/enrol/{token}/")
        assert response["Location"] == "/accounts/2fa/enrol/"

    def test_a_new_password_kills_an_earlier_link(self, client, staff_user):
        sign_in_with_password(client, staff_user)
        staff_user.refresh_from_db()
        token = enrolment_token_make(staff_user, has_second_factor=False)
        User.objects.filter(pk=staff_user.pk).update(password="changed")
        client.force_login(User.objects.get(pk=staff_user.pk))
        assert client.get(f"/accounts/2fa/enrol/{token}/")["Location"] == "/accounts/2fa/enrol/"

    def test_links_are_limited_per_hour_with_a_clear_message(
        self, client, staff_user, settings, django_capture_on_commit_callbacks
    ):
        sign_in_with_password(client, staff_user)
        cache.clear()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(settings.STAFF_MFA_ENROLMENT_LINKS_PER_WINDOW):
                client.post("/accounts/2fa/enrol/")
            response = client.post("/accounts/2fa/enrol/", follow=True)
        assert b"several set-up links already" in response.content
        assert len(mail.outbox) == settings.STAFF_MFA_ENROLMENT_LINKS_PER_WINDOW

    def test_learners_set_up_an_app_freely(self, client, learner):
        sign_in_with_password(client, learner)
        assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")


def test_a_learner_cannot_have_set_up_links_sent(client, learner, django_capture_on_commit_callbacks):
    sign_in_with_password(client, learner)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/2fa/enrol/").status_code == 404
    assert mail.outbox == []
