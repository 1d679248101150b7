"""Sensitive account changes: re-authentication first, a security email after, and a welcome only once verified."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core import mail

from accounts.models import User
from tests.factories import PASSWORD, totp_code, with_totp

pytestmark = pytest.mark.django_db


def subjects_to(address):
    return [m.subject for m in mail.outbox if address in m.to]


def link_in(message, pattern):
    return re.search(pattern, message.body).group(0).replace("http://testserver", "")


def reauthenticate(client):
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


class TestReauthentication:
    def test_adding_an_address_asks_for_the_password_first_and_changes_nothing_until_then(self, client, learner):
        client.force_login(learner)  # an old session: no recent sign-in on record
        response = client.post("/accounts/email/", {"email": "thief@evil.example", "action_add": ""})
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert not EmailAddress.objects.filter(email="thief@evil.example").exists()
        assert mail.outbox == []

    def test_changing_the_password_asks_for_the_password_first(self, client, learner):
        client.force_login(learner)
        response = client.get("/accounts/password/change/")
        assert response["Location"].startswith("/accounts/reauthenticate/")
        client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": "new-pass-word-2026", "password2": "new-pass-word-2026"},
        )
        learner.refresh_from_db()
        assert learner.check_password(PASSWORD)

    def test_a_wrong_password_at_reauthentication_is_refused(self, client, learner):
        client.force_login(learner)
        response = client.post("/accounts/reauthenticate/", {"password": "wrong-password"})
        assert response.status_code == 200
        assert client.get("/accounts/password/change/")["Location"].startswith("/accounts/reauthenticate/")


class TestSecurityEmails:
    def test_a_password_change_is_emailed(self, client, learner):
        client.force_login(learner)
        reauthenticate(client)
        mail.outbox.clear()
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": "new-pass-word-2026", "password2": "new-pass-word-2026"},
        )
        assert response.status_code == 302
        assert subjects_to(learner.email) == ["TapTime: Password Changed"]
        html = mail.outbox[0].alternatives[0][0]
        assert "Your password was changed." in html and "127.0.0.1" in html

    def test_a_password_reset_is_emailed(self, client, learner):
        client.post("/accounts/password/reset/", {"email": learner.email})
        reset_path = link_in(mail.outbox[0], r"http://testserver/accounts/password/reset/key/[^\s]+/")
        form_path = client.get(reset_path)["Location"]
        mail.outbox.clear()
        client.post(form_path, {"password1": "brand-new-pass-2026", "password2": "brand-new-pass-2026"})
        assert subjects_to(learner.email) == ["TapTime: Password Reset"]

    def test_an_address_change_is_emailed_to_the_old_address_and_the_new(
        self, client, learner, django_capture_on_commit_callbacks
    ):
        client.force_login(learner)
        reauthenticate(client)
        client.post("/accounts/email/", {"email": "lena.new@example.com", "action_add": ""})
        confirm = link_in(mail.outbox[-1], r"http://testserver/accounts/confirm-email/[^\s]+/")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(confirm)
        learner.refresh_from_db()
        assert learner.email == "lena.new@example.com"
        assert list(EmailAddress.objects.filter(user=learner).values_list("email", flat=True)) == [
            "lena.new@example.com"
        ]
        assert subjects_to("learner@example.com") == ["TapTime: Email Changed"]
        assert subjects_to("lena.new@example.com") == ["TapTime: Email Changed"]
        assert "from learner@example.com to lena.new@example.com" in mail.outbox[0].alternatives[0][0]
        # A changed address is not a new member: no second welcome.
        assert not [m for m in mail.outbox if m.subject.startswith("Welcome")]

    def test_adding_and_removing_an_authenticator_is_emailed(self, client, learner, django_capture_on_commit_callbacks):
        client.force_login(learner)
        reauthenticate(client)
        client.get("/accounts/2fa/totp/activate/")
        secret = client.session[SECRET_SESSION_KEY]
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
        assert response.status_code == 302
        assert Authenticator.objects.filter(user=learner, type=Authenticator.Type.TOTP).exists()
        assert "TapTime: Authenticator App Activated" in subjects_to(learner.email)
        mail.outbox.clear()
        client.post("/accounts/2fa/totp/deactivate/")
        assert not Authenticator.objects.filter(user=learner, type=Authenticator.Type.TOTP).exists()
        assert subjects_to(learner.email) == ["TapTime: Authenticator App Deactivated"]

    def test_removing_an_authenticator_needs_its_code_when_the_sign_in_is_old(self, client, learner):
        with_totp(learner)
        client.force_login(learner)
        response = client.post("/accounts/2fa/totp/deactivate/")
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert Authenticator.objects.filter(user=learner, type=Authenticator.Type.TOTP).exists()


SIGNUP = {
    "full_name": "Grace Hopper",
    "email": "grace@example.com",
    "password1": "cobol-and-nanoseconds-1906",
    "password2": "cobol-and-nanoseconds-1906",
}


class TestWelcome:
    def test_the_welcome_waits_for_the_confirmed_address_and_names_no_one_in_its_subject(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/accounts/signup/", SIGNUP)
        assert [m.subject for m in mail.outbox if m.subject.startswith("Welcome")] == []
        confirm = link_in(mail.outbox[0], r"http://testserver/accounts/confirm-email/[^\s]+/")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(confirm)
        welcome = [m for m in mail.outbox if m.subject.startswith("Welcome")]
        assert [m.subject for m in welcome] == ["Welcome to TapTime"]
        assert welcome[0].to == ["grace@example.com"]

    def test_an_address_typed_in_by_someone_else_never_gets_a_welcome(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/accounts/signup/", {**SIGNUP, "email": "victim@example.com"})
        assert [m.subject for m in mail.outbox if "victim@example.com" in m.to and "Welcome" in m.subject] == []


class TestFullName:
    @pytest.mark.parametrize(
        "name",
        [
            "https://evil.example/refund",
            "Refund at evil.example",
            "www.evil.example",
            "Visit evil.example/claim now",
            "javascript:alert(1)",
            "mailto:support@evil.example",
            "support@evil.example",
            "Ada\u202eecalevol",  # right-to-left override
            "Ada\u200bLovelace",  # zero-width space
            "Ada\x00Lovelace",
            "Ada\x1b[31mLovelace",
        ],
    )
    def test_links_and_hidden_characters_are_refused_at_sign_up_and_in_settings(self, client, learner, name):
        response = client.post("/accounts/signup/", {**SIGNUP, "full_name": name})
        assert response.status_code == 200 and "full_name" in response.context["form"].errors
        assert not User.objects.filter(email="grace@example.com").exists()
        client.force_login(learner)
        response = client.post(
            "/accounts/settings/", {"full_name": name, "time_zone": "Europe/Berlin", "preferred_language": "en"}
        )
        assert response.status_code == 200 and "full_name" in response.context["form"].errors
        learner.refresh_from_db()
        assert learner.full_name == "Lena Learner"

    @pytest.mark.parametrize(
        "name",
        ["Zoë O'Brien-Łukasiewicz", "J. R. R. Tolkien", "محمد\u200cرضا", "李小龍", "Dr. Ana María de la Cruz"],
    )
    def test_real_names_pass(self, client, learner, name):
        client.force_login(learner)
        response = client.post(
            "/accounts/settings/", {"full_name": name, "time_zone": "Europe/Berlin", "preferred_language": "en"}
        )
        assert response.status_code == 302, response.context["form"].errors
        learner.refresh_from_db()
        assert learner.full_name == name


def test_one_address_gets_at_most_three_reset_emails_an_hour(client, learner):
    for n in range(5):
        client.post("/accounts/password/reset/", {"email": learner.email}, REMOTE_ADDR=f"198.51.100.{n}")
    assert len([m for m in mail.outbox if learner.email in m.to]) == 3
