"""Apps sign in through allauth's headless API (second factor included) and call ours with its session token."""

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, totp_code, with_totp

from .conftest import problem_of

pytestmark = pytest.mark.django_db

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
