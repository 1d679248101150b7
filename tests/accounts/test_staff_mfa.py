"""Promise: staff cannot use the admin without a second factor."""

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.STAFF_MFA_REQUIRED = True


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, staff_user, mfa_required, path):
    client.post("/accounts/login/", {"login": staff_user.email, "password": PASSWORD})
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/2fa/totp/activate/?next={path}"
    # allauth asks for the password again before a second factor is added...
    confirm = client.get(response["Location"])
    assert confirm["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(confirm["Location"], {"password": PASSWORD})
    # ...then shows the authenticator set-up, with our explanation.
    setup = client.get(response["Location"])
    assert setup.status_code == 200
    assert b"Set up two-factor authentication before using the admin." in setup.content
    assert b"Authenticator" in setup.content


def test_staff_with_totp_use_the_admin(client, staff_user, mfa_required):
    Authenticator.objects.create(user=staff_user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(client, staff_user, mfa_required):
    Authenticator.objects.create(user=staff_user, type=Authenticator.Type.RECOVERY_CODES, data={})
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 302


def test_learners_pages_are_not_affected(client, learner, staff_user, mfa_required):
    client.force_login(staff_user)
    assert client.get("/dashboard/").status_code == 200
