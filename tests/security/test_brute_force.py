"""Security battery: every form that checks a password or a code stops guessing, and a forged
X-Forwarded-For header never buys another try (with no proxy configured, and behind one)."""

import pytest

from tests.factories import PASSWORD, totp_code, with_totp

pytestmark = [pytest.mark.security, pytest.mark.django_db]

PROXY = "10.0.0.1"
CLIENT = "198.51.100.7"


@pytest.fixture(params=[0, 1], ids=["no-proxy", "one-proxy"])
def forged(request, settings):
    """Request headers for try number ``n``: the same client, a new forged X-Forwarded-For each time."""
    settings.TRUSTED_PROXY_COUNT = request.param

    def meta(n):
        if request.param:
            return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}, {CLIENT}"}
        return {"REMOTE_ADDR": CLIENT, "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}

    return meta


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_login_form_refuses_the_right_password_after_five_wrong_ones(client, learner, forged):
    for n in range(5):
        client.post("/accounts/login/", {"login": learner.email, "password": f"guess-{n}"}, **forged(n))
    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD}, **forged(99))
    assert b"Too many failed login attempts" in response.content
    assert not signed_in(client)


def test_the_login_form_refuses_one_client_guessing_across_many_accounts(client, learner, forged):
    for n in range(10):
        client.post("/accounts/login/", {"login": f"user{n}@example.com", "password": "guess"}, **forged(n))
    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD}, **forged(99))
    assert b"Too many failed login attempts" in response.content
    assert not signed_in(client)


def test_the_second_factor_step_refuses_the_right_code_after_five_wrong_ones(client, learner, forged):
    secret = with_totp(learner)
    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD}, **forged(0))
    assert response["Location"] == "/accounts/2fa/authenticate/"
    for n in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": f"{n:06d}"}, **forged(n + 1))
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, **forged(99))
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert not signed_in(client)


def test_asking_for_the_second_factor_again_refuses_the_right_code_after_five_wrong_ones(
    client, staff_user, forged, settings
):
    settings.STAFF_MFA_REQUIRED = True
    secret = with_totp(staff_user)
    client.force_login(staff_user)
    for n in range(5):
        client.post("/accounts/2fa/reauthenticate/", {"code": f"{n:06d}"}, **forged(n))
    client.post("/accounts/2fa/reauthenticate/", {"code": totp_code(secret)}, **forged(99))
    assert client.get("/admin/", **forged(100))["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_asking_for_the_password_again_stops_guessing(client, learner, forged):
    client.force_login(learner)
    for n in range(10):
        client.post("/accounts/reauthenticate/", {"password": f"guess-{n}"}, **forged(n))
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD}, **forged(99))
    assert response.status_code == 429
    # Still not re-authenticated: the password change keeps asking.
    assert client.get("/accounts/password/change/", **forged(100))["Location"].startswith("/accounts/reauthenticate/")


@pytest.mark.parametrize(
    "path",
    ["/admin/login/", "/django-admin/login/", "/_util/login/", "/es/_util/login/", "/de/_util/login/"],
)
def test_every_other_login_address_signs_no_one_in_and_leads_to_the_limited_form(client, learner, staff_user, path):
    for user in (learner, staff_user):
        response = client.post(
            path, {"login": user.email, "username": user.email, "password": PASSWORD, "next": "/admin/"}
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert not signed_in(client)
    assert client.get(path)["Location"].startswith("/accounts/login/")


def test_an_admin_login_attempt_counts_against_the_same_limit(client, staff_user, forged):
    # The admin's login page is allauth's, so failures there lock the admin account too.
    for n in range(5):
        client.post("/accounts/login/?next=/admin/", {"login": staff_user.email, "password": f"guess-{n}"}, **forged(n))
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": staff_user.email, "password": PASSWORD}, **forged(99)
    )
    assert b"Too many failed login attempts" in response.content
    assert not signed_in(client)
