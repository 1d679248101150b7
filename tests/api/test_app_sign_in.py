"""Apps sign in through allauth's headless API (second factor included) and call ours with its session token."""

import re

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory, totp_code, with_totp
from tests.marketplace.factories import next_monday_nine_berlin

from .conftest import problem_of

pytestmark = pytest.mark.django_db
User = get_user_model()

LOGIN = "/_allauth/app/v1/auth/login"


def test_sign_in_gives_a_session_token_our_api_accepts(learner):
    app = APIClient()
    response = app.post(LOGIN, {"email": learner.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]
    me = APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert me.status_code == 200 and me.json()["email"] == learner.email


def test_a_second_factor_is_asked_before_any_token(learner):
    secret = with_totp(learner)
    app = APIClient()
    first = app.post(LOGIN, {"email": learner.email, "password": PASSWORD}, format="json")
    assert first.status_code == 401
    pending = first.json()
    assert "session_token" not in pending.get("meta", {}) or not pending["meta"].get("access_token")
    assert any(flow["id"] == "mfa_authenticate" and flow.get("is_pending") for flow in pending["data"]["flows"])
    half = pending["meta"]["session_token"]
    problem_of(APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=half), 401, "not_authenticated")
    done = app.post(
        "/_allauth/app/v1/auth/2fa/authenticate", {"code": totp_code(secret)}, format="json", HTTP_X_SESSION_TOKEN=half
    )
    assert done.status_code == 200, done.content
    token = done.json()["meta"]["session_token"]
    assert APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).json()["email"] == learner.email


def test_a_wrong_password_gets_no_token(learner):
    response = APIClient().post(LOGIN, {"email": learner.email, "password": "wrong-one-1"}, format="json")
    assert response.status_code == 400 and "session_token" not in response.json().get("meta", {})
    problem_of(APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN="made-up"), 401, "not_authenticated")


SIGNUP = "/_allauth/app/v1/auth/signup"
SESSION = "/_allauth/app/v1/auth/session"


def _key_from_mail(mailoutbox) -> str:
    body = mailoutbox[-1].body
    match = re.search(r"/accounts/confirm-email/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


def test_sign_up_confirms_the_address_then_the_token_uses_our_api_and_sign_out_ends_it(mailoutbox):
    app = APIClient()
    first = app.post(SIGNUP, {"email": "new.app@example.com", "password": PASSWORD}, format="json")
    # The address must be confirmed before any token works (ACCOUNT_EMAIL_VERIFICATION = "mandatory").
    assert first.status_code == 401, first.content
    pending = first.json()
    assert any(flow["id"] == "verify_email" and flow.get("is_pending") for flow in pending["data"]["flows"])
    half = pending["meta"]["session_token"]
    problem_of(APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=half), 401, "not_authenticated")
    assert User.objects.get(email="new.app@example.com").emailaddress_set.get().verified is False

    wrong = app.post("/_allauth/app/v1/auth/email/verify", {"key": "nope"}, format="json", HTTP_X_SESSION_TOKEN=half)
    assert wrong.status_code == 400
    done = app.post(
        "/_allauth/app/v1/auth/email/verify",
        {"key": _key_from_mail(mailoutbox)},
        format="json",
        HTTP_X_SESSION_TOKEN=half,
    )
    assert done.status_code == 200, done.content
    token = done.json()["meta"]["session_token"]
    assert APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).json()["email"] == "new.app@example.com"
    assert app.get(SESSION, HTTP_X_SESSION_TOKEN=token).json()["meta"]["is_authenticated"] is True

    out = app.delete(SESSION, HTTP_X_SESSION_TOKEN=token)
    assert out.status_code == 401  # allauth answers a signed-out session with 401 and no user
    problem_of(APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token), 401, "not_authenticated")


def test_sign_up_refuses_a_taken_address_a_weak_password_and_unknown_shapes(learner, mailoutbox):
    app = APIClient()
    weak = app.post(SIGNUP, {"email": "weak@example.com", "password": "123"}, format="json")
    assert weak.status_code == 400 and any(error["param"] == "password" for error in weak.json()["errors"])
    assert app.post(SIGNUP, {"email": "not-an-address", "password": PASSWORD}, format="json").status_code == 400
    assert app.post(SIGNUP, "{nope", content_type="application/json").status_code == 400
    # A taken address: no second account, and (enumeration prevention) the owner is told by email.
    taken = app.post(SIGNUP, {"email": learner.email, "password": PASSWORD}, format="json")
    assert taken.status_code in (400, 401)
    assert User.objects.filter(email=learner.email).count() == 1
    half = taken.json().get("meta", {}).get("session_token")
    if half is not None:  # the same pending answer a new address gets: it signs nobody in
        problem_of(APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=half), 401, "not_authenticated")


def test_an_app_session_token_writes_without_csrf_and_only_as_its_user(learner, ada):
    token = (
        APIClient()
        .post(LOGIN, {"email": learner.email, "password": PASSWORD}, format="json")
        .json()["meta"]["session_token"]
    )
    app = APIClient(enforce_csrf_checks=True)
    body = {"expert": ada.pages.first().slug, "length": 60, "start": next_monday_nine_berlin().isoformat()}
    held = app.post("/api/v1/bookings/", body, format="json", HTTP_X_SESSION_TOKEN=token)
    assert held.status_code == 201, held.content
    stranger = (
        APIClient()
        .post(LOGIN, {"email": UserFactory().email, "password": PASSWORD}, format="json")
        .json()["meta"]["session_token"]
    )
    problem_of(app.get(f"/api/v1/bookings/{held.json()['id']}/", HTTP_X_SESSION_TOKEN=stranger), 404, "not_found")
    # The app's token is not a site cookie: the site's pages do not sign anyone in with it.
    assert APIClient().get("/dashboard/goals/", HTTP_X_SESSION_TOKEN=token).status_code == 302
