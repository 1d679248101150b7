"""Security battery: no `next`-style parameter sends a visitor off the site or into a script.

A sweep requests every URL the resolver knows that takes no argument (GET and POST,
signed out and signed in) with each hostile target in every parameter name such
targets travel in, and the flows that carry a target across steps (sign-in with a
second factor, sign-up and confirmation, re-authentication, sign-out, the staff
set-up page) are walked to their final redirect.
"""

import re
from urllib.parse import urlencode

import pytest
from django.core import mail

from tests.factories import PASSWORD, totp_code, with_totp

from .routes import all_routes, leaves_the_site

pytestmark = [pytest.mark.security, pytest.mark.django_db]

HOSTILE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\\/evil.example/",
    "///evil.example/",
    "https:evil.example",
    " //evil.example/",
    "\t//evil.example/",
    "http://testserver@evil.example/",
    "https://evil.example#@testserver/",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]
PARAMETERS = ["next", "redirect_to", "return_to", "success_url", "continue", "url"]


def test_the_site_check_itself_sees_each_hostile_target():
    # Control: every target the sweep uses would be caught if a view echoed it.
    assert all(leaves_the_site(target) for target in HOSTILE)
    assert not any(leaves_the_site(ok) for ok in ["/dashboard/", "/admin/pages/?q=1", "http://testserver/x"])


def _public_paths(site_tree):
    paths = [route.path() for route in all_routes() if not route.takes_arguments and not route.is_admin]
    # Wagtail serves the editors' pages through one pattern with an argument: a few of each kind.
    return sorted(set(paths) | {"/", site_tree["about"].url, site_tree["contact"].url, site_tree["faq"].url})


def _assert_stays(response, target, where):
    if response.status_code in (301, 302, 303, 307, 308):
        assert not leaves_the_site(response["Location"]), f"{where} -> {response['Location']}"
    body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
    for attribute in ("href", "action", "formaction", "src"):
        assert f'{attribute}="{target}"' not in body, f"{where} echoes {target!r} into {attribute}"


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "learner"])
def test_no_view_without_arguments_redirects_off_site(client, site_tree, learner, signed_in):
    paths = _public_paths(site_tree)
    assert "/accounts/login/" in paths and "/accounts/logout/" in paths and "/dashboard/" in paths
    for path in paths:
        for target in HOSTILE:
            if signed_in:
                client.force_login(learner)
            params = dict.fromkeys(PARAMETERS, target)
            _assert_stays(client.get(f"{path}?{urlencode(params)}"), target, f"GET {path}")
            _assert_stays(client.post(f"{path}?{urlencode(params)}", params), target, f"POST {path}")


def test_no_admin_view_redirects_off_site(client, site_tree, staff_user):
    # Wagtail's /admin/failwhale/ raises on purpose (to test error pages) and Django's
    # admin autocomplete fails without its parameters: staff-only 500s, not redirects.
    client.raise_request_exception = False
    client.force_login(staff_user)
    paths = [route.path() for route in all_routes() if not route.takes_arguments and route.is_admin]
    assert "/admin/" in paths and "/django-admin/" in paths
    for path in paths:
        for target in HOSTILE[:6] + HOSTILE[-3:]:
            _assert_stays(client.get(f"{path}?{urlencode(dict.fromkeys(PARAMETERS, target))}"), target, f"GET {path}")


@pytest.mark.parametrize("target", HOSTILE)
class TestFlowsThatCarryATarget:
    def test_sign_in(self, client, learner, target):
        response = client.post(
            f"/accounts/login/?{urlencode({'next': target})}",
            {"login": learner.email, "password": PASSWORD, "next": target},
        )
        assert response.status_code == 302 and not leaves_the_site(response["Location"])

    def test_sign_in_through_the_second_factor(self, client, learner, target):
        secret = with_totp(learner)
        client.post(
            f"/accounts/login/?{urlencode({'next': target})}",
            {"login": learner.email, "password": PASSWORD, "next": target},
        )
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret), "next": target})
        assert response.status_code == 302 and "_auth_user_id" in client.session
        assert not leaves_the_site(response["Location"])

    def test_sign_up_and_confirm(self, client, target):
        data = {
            "full_name": "Grace Hopper",
            "email": "grace@example.com",
            "password1": "cobol-1906-nano",
            "password2": "cobol-1906-nano",
            "next": target,
        }
        response = client.post(f"/accounts/signup/?{urlencode({'next': target})}", data)
        assert response.status_code == 302 and not leaves_the_site(response["Location"])
        confirm = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
        response = client.post(f"{confirm}?{urlencode({'next': target})}", {"next": target})
        assert response.status_code == 302 and not leaves_the_site(response["Location"])

    def test_re_authentication_by_password_and_by_code(self, client, learner, target):
        secret = with_totp(learner)
        client.force_login(learner)
        response = client.post(
            f"/accounts/reauthenticate/?{urlencode({'next': target})}", {"password": PASSWORD, "next": target}
        )
        assert response.status_code == 302 and not leaves_the_site(response["Location"])
        response = client.post(
            f"/accounts/2fa/reauthenticate/?{urlencode({'next': target})}", {"code": totp_code(secret), "next": target}
        )
        assert response.status_code == 302 and not leaves_the_site(response["Location"])

    def test_sign_out(self, client, learner, target):
        client.force_login(learner)
        response = client.post(f"/accounts/logout/?{urlencode({'next': target})}", {"next": target})
        assert response.status_code == 302 and "_auth_user_id" not in client.session
        assert not leaves_the_site(response["Location"])

    def test_the_staff_second_factor_pages(self, client, staff_user, settings, target):
        settings.STAFF_MFA_REQUIRED = True
        client.force_login(staff_user)
        response = client.get(f"/accounts/2fa/enrol/?{urlencode({'next': target})}")
        assert response.status_code == 200 and f'value="{target}"' not in response.content.decode()
        with_totp(staff_user)
        response = client.get(f"/accounts/2fa/enrol/?{urlencode({'next': target})}")
        assert response.status_code == 302 and not leaves_the_site(response["Location"])


def test_there_is_no_language_switch_view_taking_a_target(client):
    # The language menu links to each page's own translation; nothing redirects to a posted target.
    assert client.post("/i18n/setlang/", {"language": "de", "next": "https://evil.example/"}).status_code == 404
