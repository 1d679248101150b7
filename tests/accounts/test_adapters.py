"""allauth's per-address limits use the trusted client address (core.http.client_ip)."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.0.0.1"


def fail_from(client, n, *, real_client, spoofs_with, proxied):
    """``n`` failed logins for ``n`` different addresses, each with a new forged header."""
    for i in range(n):
        forged = f"{spoofs_with}{i}"
        meta = (
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{forged}, {real_client}"}
            if proxied
            else {"REMOTE_ADDR": real_client, "HTTP_X_FORWARDED_FOR": forged}
        )
        client.post(LOGIN, {"login": f"nobody{i}@example.com", "password": "wrong-password"}, **meta)


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_header_does_not_reset_the_failed_login_limit(client, settings, learner, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    fail_from(client, 10, real_client="198.51.100.7", spoofs_with="192.0.2.", proxied=proxies == 1)
    meta = (
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.0.2.200, 198.51.100.7"}
        if proxies
        else {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "192.0.2.200"}
    )
    response = client.post(LOGIN, {"login": learner.email, "password": PASSWORD}, **meta)
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_behind_a_proxy_each_client_has_its_own_bucket(client, settings, learner):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_from(client, 10, real_client="198.51.100.7", spoofs_with="192.0.2.", proxied=True)
    # Another visitor behind the same proxy is not locked out by the first one's failures.
    response = client.post(
        LOGIN,
        {"login": learner.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)
