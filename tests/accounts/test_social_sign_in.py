"""Google and LinkedIn sign-in: the whole OAuth round trip at the HTTP boundary, and the ways it must refuse."""

from __future__ import annotations

import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from wagtail.models import ModelLogEntry

from accounts.adapters import provider_says_verified
from accounts.models import User
from tests.accounts import oauth
from tests.builders import onboarded
from tests.factories import PASSWORD, ExpertUserFactory, UserFactory, totp_code, with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def providers(settings):
    oauth.configure(settings)


def signed_in_as(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --- The buttons --------------------------------------------------------------


def test_the_login_page_offers_both_providers_when_their_keys_are_set(client):
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/google/login/" in page and "/accounts/oidc/linkedin/login/" in page


def test_no_key_no_button_and_no_route(client, settings):
    oauth.configure(settings, google=False, linkedin=False)
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/google/login/" not in page and "linkedin" not in page.lower()
    assert client.post("/accounts/google/login/").status_code == 404
    assert client.post("/accounts/oidc/linkedin/login/").status_code == 404


def test_one_key_one_button(client, settings):
    oauth.configure(settings, google=True, linkedin=False)
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/google/login/" in page and "/accounts/oidc/linkedin/login/" not in page


def test_a_get_does_not_start_the_dance(client):
    """A link or an image on another site cannot start a sign-in: starting is a POST with the CSRF token."""
    response = client.get("/accounts/google/login/")
    assert response.status_code == 200 and b"<form" in response.content


# --- Sign-up and sign-in --------------------------------------------------------


def test_a_google_sign_up_with_a_verified_address_signs_in_and_lands_on_the_dashboard(client):
    response = oauth.google_dance(client, oauth.google_claims(email="Grace@Example.com"))
    # A brand-new learner starts with the onboarding (learning), as after an email sign-up.
    assert response.status_code == 302 and response["Location"] == "/onboarding/"
    user = signed_in_as(client)
    assert user.email == "grace@example.com" and user.full_name == "Grace Hopper"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).provider == "google"


def test_signing_in_again_with_google_uses_the_same_account(client):
    oauth.google_dance(client, oauth.google_claims(email="grace@example.com"))
    onboarded(signed_in_as(client))
    client.logout()
    response = oauth.google_dance(client, oauth.google_claims(email="grace@example.com"))
    assert response["Location"] == "/dashboard/"
    assert User.objects.filter(email="grace@example.com").count() == 1


def test_a_linkedin_sign_up_reads_the_userinfo_and_the_id_token(client):
    response = oauth.linkedin_dance(client, oauth.linkedin_userinfo(email="linus@example.org"))
    assert response.status_code == 302 and response["Location"] == "/onboarding/"
    user = signed_in_as(client)
    assert user.email == "linus@example.org" and user.full_name == "Linus Torvalds"
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "linkedin" and account.uid == "782bbtaQ"


def test_an_unverified_provider_address_is_confirmed_by_email_before_any_sign_in(client):
    response = oauth.google_dance(client, oauth.google_claims(email="new@example.com", verified=False))
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert signed_in_as(client) is None
    user = User.objects.get(email="new@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert mail.outbox and mail.outbox[-1].to == ["new@example.com"]


@pytest.mark.parametrize("claim", ["false", "true", "1", None, 1])
def test_only_the_json_true_counts_as_verified(claim):
    assert not provider_says_verified({"email": "a@example.com", "email_verified": claim}, "a@example.com")
    assert provider_says_verified({"email": "a@example.com", "email_verified": True}, "A@example.com")


def test_the_verified_claim_must_name_the_same_address():
    data = {"userinfo": {"email": "other@example.com", "email_verified": True}, "id_token": {"email": "a@example.com"}}
    assert not provider_says_verified(data, "a@example.com")


def test_a_string_false_from_linkedin_is_not_trusted(client):
    oauth.linkedin_dance(client, oauth.linkedin_userinfo(email="str@example.org", verified="false"))
    assert signed_in_as(client) is None
    assert not EmailAddress.objects.get(email="str@example.org").verified


# --- Account takeover -----------------------------------------------------------


@pytest.mark.parametrize("verified", [True, False])
def test_a_provider_address_matching_an_account_never_signs_into_it(client, learner, verified):
    """Whoever controls a Google or LinkedIn account naming someone's address does not get that person's account."""
    response = oauth.google_dance(client, oauth.google_claims(email=learner.email, verified=verified))
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.filter(user=learner).exists()
    # As for an email sign-up with a taken address (enumeration prevention): "check your inbox",
    # and the owner, not the visitor, is told an account already exists.
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact=learner.email).count() == 1
    assert mail.outbox[-1].to == [learner.email]


def test_the_signup_form_cannot_claim_a_taken_address(client, learner):
    oauth.linkedin_dance(client, oauth.linkedin_userinfo(email=learner.email))
    response = client.post("/accounts/3rdparty/signup/", {"full_name": "Mallory", "email": learner.email})
    assert response.status_code == 302 and signed_in_as(client) is None
    assert not SocialAccount.objects.filter(user=learner).exists()


# --- Tampering and refusal ------------------------------------------------------


def test_a_tampered_state_is_refused_before_the_token_endpoint_is_called(client):
    oauth.start(client, "google")
    with responses.RequestsMock() as mock:  # any outgoing call would fail the test
        response = client.get(oauth.callback_path("google"), {"state": "forged-state", "code": "4/0Ae-stolen"})
        assert len(mock.calls) == 0
    assert response.status_code == 401 and signed_in_as(client) is None
    assert b"Third-Party Login Failure" in response.content or b"error" in response.content.lower()


def test_a_callback_without_a_started_dance_is_refused(client):
    with responses.RequestsMock():
        response = client.get(oauth.callback_path("google"), {"state": "x", "code": "y"})
    assert response.status_code == 401 and signed_in_as(client) is None


def test_denied_consent_cancels_quietly(client):
    state = oauth.start(client, "google")
    with responses.RequestsMock():
        response = client.get(
            oauth.callback_path("google"), {"state": state, "error": "access_denied", "error_description": "denied"}
        )
    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/login/cancelled/"
    assert signed_in_as(client) is None


def test_a_provider_error_on_the_token_endpoint_is_no_500(client):
    state = oauth.start(client, "google")
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, oauth.GOOGLE_TOKEN_URL, status=400, json={"error": "invalid_grant"})
        response = client.get(oauth.callback_path("google"), {"state": state, "code": "expired"})
    assert response.status_code == 401 and signed_in_as(client) is None


def test_an_id_token_for_another_app_is_refused(client):
    claims = {**oauth.google_claims(email="aud@example.com"), "aud": "someone-else.apps.googleusercontent.com"}
    response = oauth.google_dance(client, claims)
    assert response.status_code == 401 and signed_in_as(client) is None
    assert not User.objects.filter(email="aud@example.com").exists()


def test_an_expired_id_token_is_refused(client):
    claims = {**oauth.google_claims(email="old@example.com"), "exp": 1_000_000_000}
    response = oauth.google_dance(client, claims)
    assert response.status_code == 401 and signed_in_as(client) is None


# --- Roles and the second factor --------------------------------------------------


def test_an_expert_signing_in_with_google_lands_on_the_expert_home(client):
    expert = ExpertUserFactory(email="ezra@example.com")
    SocialAccount.objects.create(user=expert, provider="google", uid="42")
    response = oauth.google_dance(client, oauth.google_claims(email="ezra@example.com", sub="42"))
    assert response["Location"] == "/expert/" and signed_in_as(client) == expert


def test_staff_with_an_authenticator_still_confirm_a_code_after_google(client, staff_user, settings):
    settings.STAFF_MFA_REQUIRED = True
    secret = with_totp(staff_user)
    SocialAccount.objects.create(user=staff_user, provider="google", uid="7")
    response = oauth.google_dance(client, oauth.google_claims(email=staff_user.email, sub="7"))
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_as(client) is None
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/" and signed_in_as(client) == staff_user
    assert client.get("/admin/").status_code == 200


def test_staff_without_an_authenticator_are_sent_to_enrol_after_google(client, staff_user, settings):
    settings.STAFF_MFA_REQUIRED = True
    SocialAccount.objects.create(user=staff_user, provider="google", uid="8")
    oauth.google_dance(client, oauth.google_claims(email=staff_user.email, sub="8"))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/enrol/")


# --- Link and unlink from settings ------------------------------------------------


def sign_in_with_password(client, user, *, reauthenticate: bool = True):
    """Sign in, then confirm the password again as allauth asks before linking or unlinking a provider."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    if reauthenticate:
        assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302


def test_linking_asks_for_the_password_again(client, learner):
    sign_in_with_password(client, learner, reauthenticate=False)
    response = oauth.google_dance(client, oauth.google_claims(email="lena@gmail.com"), process="connect")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert not SocialAccount.objects.filter(user=learner).exists()


def test_settings_offer_to_link_each_configured_provider(client, learner):
    sign_in_with_password(client, learner)
    page = client.get("/accounts/settings/").content.decode()
    assert "Link Google" in page and "Link LinkedIn" in page


def test_settings_say_nothing_of_providers_without_keys(client, learner, settings):
    oauth.configure(settings, google=False, linkedin=False)
    sign_in_with_password(client, learner)
    page = client.get("/accounts/settings/").content.decode()
    assert "Link Google" not in page and "/accounts/3rdparty/" not in page


def test_a_signed_in_user_links_google_even_with_another_address(client, learner):
    sign_in_with_password(client, learner)
    response = oauth.google_dance(client, oauth.google_claims(email="lena.private@gmail.com"), process="connect")
    assert response.status_code == 302
    assert SocialAccount.objects.get(user=learner).provider == "google"
    entry = ModelLogEntry.objects.get(action="taptime.user.provider_link", object_id=str(learner.pk))
    assert entry.user_id == learner.pk and entry.data == {"provider": "google"}
    client.logout()
    oauth.google_dance(client, oauth.google_claims(email="lena.private@gmail.com"))
    assert signed_in_as(client) == learner


def test_a_google_account_linked_elsewhere_cannot_be_linked_again(client, learner):
    other = UserFactory(email="other@example.com")
    SocialAccount.objects.create(user=other, provider="google", uid="109876543210987654321")
    sign_in_with_password(client, learner)
    oauth.google_dance(client, oauth.google_claims(email="x@gmail.com"), process="connect")
    assert not SocialAccount.objects.filter(user=learner).exists()
    assert SocialAccount.objects.get(uid="109876543210987654321").user == other


def test_the_only_way_in_cannot_be_unlinked_without_a_password(client):
    oauth.google_dance(client, oauth.google_claims(email="only@example.com"))
    user = signed_in_as(client)
    account = SocialAccount.objects.get(user=user)
    response = client.post("/accounts/3rdparty/", {"account": account.pk})
    assert response.status_code == 200
    assert SocialAccount.objects.filter(pk=account.pk).exists()
    assert "no password" in response.content.decode().lower()


def test_with_a_password_the_provider_can_be_unlinked(client, learner):
    sign_in_with_password(client, learner)
    account = SocialAccount.objects.create(user=learner, provider="google", uid="55")
    response = client.post("/accounts/3rdparty/", {"account": account.pk})
    assert response.status_code == 302
    assert not SocialAccount.objects.filter(pk=account.pk).exists()
    entry = ModelLogEntry.objects.get(action="taptime.user.provider_unlink", object_id=str(learner.pk))
    assert entry.data == {"provider": "google"}


def test_someone_elses_linked_account_cannot_be_unlinked(client, learner):
    other = UserFactory(email="other@example.com")
    account = SocialAccount.objects.create(user=other, provider="google", uid="56")
    sign_in_with_password(client, learner)
    response = client.post("/accounts/3rdparty/", {"account": account.pk})
    assert response.status_code == 200
    assert SocialAccount.objects.filter(pk=account.pk).exists()
    assert not ModelLogEntry.objects.filter(action="taptime.user.provider_unlink").exists()


@pytest.mark.parametrize("bad", ["", "abc", "-1", "99999999999999999999", "1 OR 1=1"])
def test_junk_account_ids_are_refused_without_a_500(client, learner, bad):
    sign_in_with_password(client, learner)
    response = client.post("/accounts/3rdparty/", {"account": bad})
    assert response.status_code == 200


# --- The strict CSP still lets the button leave for the provider ---------------------


def form_action(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("form-action"))


def test_the_account_pages_may_post_on_to_configured_providers_only(client, settings):
    oauth.configure(settings, google=True, linkedin=False)
    action = form_action(client.get("/accounts/google/login/"))
    assert "https://accounts.google.com" in action and "linkedin" not in action


def test_without_keys_the_form_action_stays_self(client, settings):
    oauth.configure(settings, google=False, linkedin=False)
    assert form_action(client.get("/accounts/login/")).split() == ["form-action", "'self'"]


def test_public_pages_keep_form_action_self(client, home_page):
    assert form_action(client.get("/")).split() == ["form-action", "'self'"]


# --- A name the site would refuse ------------------------------------------------------


def test_a_provider_name_with_a_link_asks_for_a_name_first(client):
    claims = oauth.google_claims(email="spam@example.com", name="Win money at https://spam.example")
    response = oauth.google_dance(client, claims)
    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/signup/"
    assert not User.objects.filter(email="spam@example.com").exists()
    refused = client.post("/accounts/3rdparty/signup/", {"full_name": "  ", "email": "spam@example.com"})
    assert refused.status_code == 200 and not User.objects.filter(email="spam@example.com").exists()
    accepted = client.post("/accounts/3rdparty/signup/", {"full_name": "Sam Pam", "email": "spam@example.com"})
    assert accepted.status_code == 302
    assert User.objects.get(email="spam@example.com").full_name == "Sam Pam"
