"""allauth's passkey edit and remove pages: another person's passkey id is the 404 a missing one is, and survives."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def passkey(learner):
    return Authenticator.objects.create(
        user=learner, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop", "credential": {}, "passwordless": True}
    )


def signed_in_and_reauthenticated(client, user):
    client.force_login(user)  # the owner's sign-in would stop at the passkey step
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("name", ["mfa_edit_webauthn", "mfa_remove_webauthn"])
def test_someone_elses_passkey_is_a_404_and_survives(client, passkey, name):
    signed_in_and_reauthenticated(client, UserFactory(email="other@example.com"))
    for method in (client.get, client.post):
        assert method(reverse(name, kwargs={"pk": passkey.pk}), {"name": "Mine now"}).status_code == 404
        assert method(reverse(name, kwargs={"pk": 999_999_999})).status_code == 404
    passkey.refresh_from_db()
    assert passkey.data["name"] == "Laptop"


@pytest.mark.parametrize("name", ["mfa_edit_webauthn", "mfa_remove_webauthn"])
def test_anonymous_visitors_are_sent_to_sign_in(client, passkey, name):
    response = client.post(reverse(name, kwargs={"pk": passkey.pk}))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Authenticator.objects.filter(pk=passkey.pk).exists()


@pytest.mark.parametrize("name", ["mfa_edit_webauthn", "mfa_remove_webauthn"])
def test_the_owner_reaches_their_own(client, learner, passkey, name):
    signed_in_and_reauthenticated(client, learner)
    assert client.get(reverse(name, kwargs={"pk": passkey.pk})).status_code == 200
