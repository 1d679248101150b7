"""Sign-up, login, verification, password reset and role redirects, as a user meets them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.builders import onboarded
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def signup_data(**overrides):
    data = {
        "full_name": "Grace Hopper",
        "email": "grace@example.com",
        "password1": "cobol-and-nanoseconds-1906",
        "password2": "cobol-and-nanoseconds-1906",
        "time_zone": "America/New_York",
    }
    data.update(overrides)
    return data


def link_in(message, pattern):
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(0).replace("http://testserver", "")


class TestSignup:
    def test_signup_creates_an_unverified_learner_and_sends_a_confirmation(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(SIGNUP, signup_data())
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        user = User.objects.get(email="grace@example.com")
        assert user.full_name == "Grace Hopper"
        assert user.time_zone == "America/New_York"
        assert not user.is_expert and not user.is_staff
        assert not EmailAddress.objects.get(user=user).verified
        subjects = [m.subject for m in mail.outbox]
        assert any("Confirm" in s or "confirm" in s for s in subjects), subjects

    def test_welcome_email_is_queued_after_the_confirmation_commits_with_html_and_text(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(SIGNUP, signup_data())
        confirm_path = link_in(mail.outbox[0], r"http://testserver/accounts/confirm-email/[^\s]+/")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(confirm_path)
        welcome = [m for m in mail.outbox if m.subject.startswith("Welcome")]
        assert welcome == [], "the welcome email must wait for the commit"
        for callback in callbacks:
            callback()
        welcome = [m for m in mail.outbox if m.subject.startswith("Welcome")]
        assert len(welcome) == 1
        assert welcome[0].to == ["grace@example.com"]
        assert "Hi Grace" in welcome[0].body
        html = welcome[0].alternatives[0]
        assert html[1] == "text/html" and "Find your expert" in html[0]

    def test_a_browser_zone_that_is_not_iana_falls_back_to_utc(self, client):
        client.post(SIGNUP, signup_data(time_zone="Not/AZone"))
        assert User.objects.get(email="grace@example.com").time_zone == "UTC"

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"email": "not-an-email"}, "email", "valid email"),
            ({"password1": "short", "password2": "short"}, "password1", "too short"),
            ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
            ({"password2": "something-else-entirely-42"}, "password2", "same password"),
            ({"full_name": "   "}, "full_name", "required"),
        ],
    )
    def test_wrong_input_is_explained_and_creates_nothing(self, client, overrides, field, message):
        response = client.post(SIGNUP, signup_data(**overrides))
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors.get(field, []))
        assert message.lower() in errors.lower(), response.context["form"].errors
        assert b"Please correct the errors below." in response.content
        assert not User.objects.filter(full_name="Grace Hopper").exists()
        assert mail.outbox == []

    def test_a_duplicate_email_creates_no_account_and_warns_the_owner(self, client, learner):
        response = client.post(SIGNUP, signup_data(email="LEARNER@example.com"))
        # Enumeration is prevented: the page looks like a normal sign-up...
        assert response.status_code == 302
        assert User.objects.filter(email__iexact="learner@example.com").count() == 1
        assert User.objects.get(email="learner@example.com").full_name == "Lena Learner"
        # ...and the real owner is told someone tried to use their address.
        assert [m.to for m in mail.outbox] == [["learner@example.com"]]
        assert "already" in mail.outbox[0].body.lower()


class TestVerificationAndLogin:
    def test_the_confirmation_link_verifies_and_signs_in_the_same_browser(self, client):
        client.post(SIGNUP, signup_data())
        confirm_path = link_in(mail.outbox[0], r"http://testserver/accounts/confirm-email/[^\s]+/")
        response = client.get(confirm_path)
        assert response.status_code == 200
        response = client.post(confirm_path)
        assert response.status_code == 302
        assert EmailAddress.objects.get(email="grace@example.com").verified
        assert client.get("/dashboard/").status_code == 200

    def test_a_confirmation_opened_in_another_browser_verifies_but_asks_to_sign_in(self, client):
        client.post(SIGNUP, signup_data())
        confirm_path = link_in(mail.outbox[0], r"http://testserver/accounts/confirm-email/[^\s]+/")
        client.logout()
        client.post(confirm_path)
        assert EmailAddress.objects.get(email="grace@example.com").verified
        assert client.get("/dashboard/").status_code == 302
        response = client.post(LOGIN, {"login": "grace@example.com", "password": signup_data()["password1"]})
        assert response["Location"] == "/onboarding/"  # a brand-new learner starts with the onboarding

    def test_a_forged_confirmation_key_is_refused(self, client):
        client.post(SIGNUP, signup_data())
        response = client.get("/accounts/confirm-email/not-a-real-key/")
        assert b"expired or is invalid" in response.content
        assert not EmailAddress.objects.get(email="grace@example.com").verified

    def test_an_unverified_user_cannot_sign_in_until_confirmed(self, client):
        UserFactory(email="new@example.com", verified=False)
        response = client.post(LOGIN, {"login": "new@example.com", "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        assert "_auth_user_id" not in client.session

    @pytest.mark.parametrize(
        ("fixture", "home"), [("learner", "/dashboard/"), ("expert_user", "/expert/"), ("staff_user", "/admin/")]
    )
    def test_each_role_lands_on_its_home(self, client, request, fixture, home):
        user = request.getfixturevalue(fixture)
        if fixture == "learner":
            onboarded(user)
        response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == home
        assert client.get(home).status_code == 200

    def test_a_safe_next_parameter_wins_over_the_role_home(self, client, learner):
        response = client.post(LOGIN + "?next=/accounts/settings/", {"login": learner.email, "password": PASSWORD})
        assert response["Location"] == "/accounts/settings/"

    def test_an_offsite_next_parameter_is_ignored(self, client, learner):
        onboarded(learner)
        response = client.post(LOGIN + "?next=https://evil.example/", {"login": learner.email, "password": PASSWORD})
        assert response["Location"] == "/dashboard/"

    def test_a_wrong_password_is_refused_with_a_clear_message(self, client, learner):
        response = client.post(LOGIN, {"login": learner.email, "password": "wrong-password"})
        assert response.status_code == 200
        assert b"not correct" in response.content
        assert "_auth_user_id" not in client.session

    def test_repeated_failures_are_rate_limited(self, client, learner):
        for _ in range(5):
            client.post(LOGIN, {"login": learner.email, "password": "wrong-password"})
        response = client.post(LOGIN, {"login": learner.email, "password": PASSWORD})
        # allauth answers the form again (200) with the reason, and signs nobody in.
        assert response.status_code == 200
        assert b"Too many failed login attempts" in response.content
        assert "_auth_user_id" not in client.session

    def test_the_wagtail_admin_sends_anonymous_users_to_the_site_login(self, client):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/admin/")
        assert client.get("/admin/login/")["Location"].startswith("/accounts/login/")

    def test_a_learner_cannot_open_the_wagtail_admin_or_django_admin(self, client, learner):
        client.force_login(learner)
        response = client.get("/admin/")
        # Wagtail sends a signed-in user without admin access to the login page, with the reason.
        assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
        assert client.get("/django-admin/").status_code == 302

    def test_logout_needs_a_post_and_signs_out(self, client, learner):
        client.force_login(learner)
        response = client.get("/accounts/logout/")
        assert response.status_code == 200 and b'method="post"' in response.content  # a confirmation form
        assert client.session.get("_auth_user_id") == str(learner.pk)
        client.post("/accounts/logout/")
        assert "_auth_user_id" not in client.session


class TestPasswordReset:
    def test_reset_then_sign_in_with_the_new_password(self, client, learner):
        client.post("/accounts/password/reset/", {"email": "learner@example.com"})
        assert len(mail.outbox) == 1
        assert mail.outbox[0].alternatives, "reset emails are sent as HTML too"
        reset_path = link_in(mail.outbox[0], r"http://testserver/accounts/password/reset/key/[^\s]+/")
        response = client.get(reset_path, follow=True)
        form_path = response.redirect_chain[-1][0] if response.redirect_chain else reset_path
        new_password = "brand-new-password-2026"
        response = client.post(form_path, {"password1": new_password, "password2": new_password})
        assert response.status_code == 302
        learner.refresh_from_db()
        assert learner.check_password(new_password)
        onboarded(learner)
        response = client.post(LOGIN, {"login": learner.email, "password": new_password})
        assert response["Location"] == "/dashboard/"

    def test_an_invalid_or_expired_reset_link_changes_nothing(self, client, learner):
        response = client.get("/accounts/password/reset/key/1-set-password/", follow=True)
        assert b"Bad Token" in response.content or b"invalid" in response.content
        response = client.post(
            "/accounts/password/reset/key/1-set-password/",
            {"password1": "x-new-pass-123", "password2": "x-new-pass-123"},
        )
        learner.refresh_from_db()
        assert learner.check_password(PASSWORD)

    def test_unknown_addresses_get_the_same_answer_and_no_account(self, client):
        response = client.post("/accounts/password/reset/", {"email": "ghost@example.com"})
        assert response.status_code == 302
        assert not User.objects.filter(email="ghost@example.com").exists()


def test_a_legacy_zone_reported_by_the_browser_at_sign_up_is_stored_as_its_zone(client):
    client.post(SIGNUP, signup_data(time_zone="Asia/Calcutta"))
    assert User.objects.get(email="grace@example.com").time_zone == "Asia/Kolkata"
    client.post(SIGNUP, signup_data(email="ada@example.com", time_zone="Factory"))
    assert User.objects.get(email="ada@example.com").time_zone == "UTC"


def test_the_migration_stores_legacy_zone_names_as_their_zones(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0004_canonical_time_zones")
    legacy, current = UserFactory(time_zone="Asia/Calcutta"), UserFactory(time_zone="Europe/Berlin")
    migration.forwards(apps, None)
    legacy.refresh_from_db(), current.refresh_from_db()
    assert (legacy.time_zone, current.time_zone) == ("Asia/Kolkata", "Europe/Berlin")


class TestAccountSettings:
    def test_a_user_changes_their_time_zone(self, client, learner):
        client.force_login(learner)
        response = client.post(
            "/accounts/settings/", {"full_name": "Lena L.", "time_zone": "Asia/Kolkata", "preferred_language": "de"}
        )
        assert response.status_code == 302
        learner.refresh_from_db()
        assert (learner.full_name, learner.time_zone, learner.preferred_language) == ("Lena L.", "Asia/Kolkata", "de")

    def test_an_unknown_zone_is_refused_and_nothing_changes(self, client, learner):
        client.force_login(learner)
        response = client.post(
            "/accounts/settings/", {"full_name": "Changed", "time_zone": "Atlantis/Capital", "preferred_language": "en"}
        )
        assert response.status_code == 200
        assert "time_zone" in response.context["form"].errors
        learner.refresh_from_db()
        assert (learner.full_name, learner.time_zone) == ("Lena Learner", "Europe/Berlin")

    def test_the_zone_list_is_grouped_and_searchable_and_a_legacy_stored_name_shows_as_its_zone(self, client, learner):
        learner.time_zone = "US/Pacific"  # stored before names were made canonical
        learner.save(update_fields=["time_zone"])
        client.force_login(learner)
        html = client.get("/accounts/settings/").content.decode()
        assert '<optgroup label="Common">' in html and 'data-zone-search="Search time zones"' in html
        assert '<option value="America/Los_Angeles" selected>Los Angeles</option>' in html
        assert 'value="US/Pacific"' not in html and 'value="Factory"' not in html
        for junk in ("Factory", "localtime", "GMT-0"):
            response = client.post(
                "/accounts/settings/", {"full_name": "Lena", "time_zone": junk, "preferred_language": "en"}
            )
            assert response.status_code == 200 and "time_zone" in response.context["form"].errors
        learner.refresh_from_db()
        assert learner.time_zone == "US/Pacific"

    def test_settings_need_a_login(self, client):
        response = client.get("/accounts/settings/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
