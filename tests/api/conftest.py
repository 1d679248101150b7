"""API fixtures: clients signed in by session (with CSRF enforced) or by a personal access token."""

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create


@pytest.fixture
def api():
    return APIClient(enforce_csrf_checks=True)


def token_client(user, *scopes):
    _token, secret = api_token_create(user=user, name="test", scopes=list(scopes or ["read", "book", "expert"]))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def problem_of(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status and body["type"] == f"urn:taptime:problem:{code}"
    return body
