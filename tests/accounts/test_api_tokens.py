"""Personal access tokens at /accounts/api-tokens/: shown once, stored hashed, scoped, revocable."""

import hashlib

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import MAX_API_TOKENS, api_token_create
from api.throttling import ClientIPUserRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_is_shown_once_and_stored_only_as_a_hash(client, learner):
    client.force_login(learner)
    response = client.post("/accounts/api-tokens/", {"name": "Calendar sync", "scopes": ["read", "book"]})
    assert response.status_code == 200
    secret = response.context["created"]["secret"]
    assert secret.startswith("tt_") and secret in response.content.decode()
    token = ApiToken.objects.get()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scopes == ["read", "book"] and secret not in str(ApiToken.objects.values().get())
    listing = client.get("/accounts/api-tokens/").content.decode()
    assert "Calendar sync" in listing and secret not in listing and token.prefix in listing
    assert response["Cache-Control"].startswith("max-age=0")
    assert bearer(secret).get("/api/v1/me/").json()["email"] == learner.email


def test_revoking_stops_the_token_and_only_the_owner_can(client, learner):
    token, secret = api_token_create(user=learner, name="x", scopes=["read"])
    client.force_login(UserFactory())
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    assert bearer(secret).get("/api/v1/me/").status_code == 200
    client.force_login(learner)
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 302
    assert bearer(secret).get("/api/v1/me/").status_code == 401
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404  # already revoked
    assert "Revoked" in client.get("/accounts/api-tokens/").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scopes": ["read"]},
        {"name": "x", "scopes": []},
        {"name": "x", "scopes": ["admin"]},
        {"name": "see https://evil.example", "scopes": ["read"]},
        {"name": "x" * 81, "scopes": ["read"]},
        {"name": "tab\there", "scopes": ["read"]},
    ],
)
def test_wrong_input_is_refused_and_makes_nothing(client, learner, data):
    client.force_login(learner)
    response = client.post("/accounts/api-tokens/", data)
    assert response.status_code == 400 and response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_user_has_a_bounded_number_of_tokens(client, learner):
    for index in range(MAX_API_TOKENS):
        api_token_create(user=learner, name=f"t{index}", scopes=["read"])
    client.force_login(learner)
    response = client.post("/accounts/api-tokens/", {"name": "one more", "scopes": ["read"]})
    assert response.status_code == 400 and "revoke one first" in response.content.decode()


def test_the_page_needs_a_sign_in(client):
    assert client.get("/accounts/api-tokens/")["Location"].startswith("/accounts/login/")
    assert client.post("/accounts/api-tokens/1/revoke/")["Location"].startswith("/accounts/login/")


def test_a_token_of_a_deactivated_user_is_refused(learner):
    _token, secret = api_token_create(user=learner, name="x", scopes=["read"])
    learner.is_active = False
    learner.save()
    assert bearer(secret).get("/api/v1/me/").status_code == 401


def test_each_token_is_throttled_on_its_own(learner, monkeypatch):
    monkeypatch.setattr(ClientIPUserRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "2/min"})
    first = bearer(api_token_create(user=learner, name="a", scopes=["read"])[1])
    second = bearer(api_token_create(user=learner, name="b", scopes=["read"])[1])
    assert [first.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    throttled = first.get("/api/v1/me/")
    assert throttled["Retry-After"].isdigit() and throttled.json()["code"] == "throttled"
    assert second.get("/api/v1/me/").status_code == 200


def test_the_page_costs_the_same_queries_for_more_tokens(client, learner, django_assert_num_queries):
    client.force_login(learner)
    api_token_create(user=learner, name="one", scopes=["read"])
    client.get("/accounts/api-tokens/")
    with django_assert_num_queries(5):
        client.get("/accounts/api-tokens/")
    for index in range(5):
        api_token_create(user=learner, name=f"t{index}", scopes=["read"])
    with django_assert_num_queries(5):
        client.get("/accounts/api-tokens/")
