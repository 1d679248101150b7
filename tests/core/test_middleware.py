"""Headers every response carries."""

import pytest


@pytest.mark.django_db
def test_every_page_sends_a_permissions_policy(client, site_tree, settings):
    for url in ("/", "/accounts/login/", "/no-such-page/"):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy
        assert 'payment=(self "https://js.stripe.com")' in policy
