"""The admins get a Content-Security-Policy of their own; the public site keeps the strict one."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_both_admins_answer_with_their_own_policy(client, staff_user, path):
    client.force_login(staff_user)
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]


def test_the_public_site_keeps_the_strict_policy(client, home_page):
    policy = directives(client.get("/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
