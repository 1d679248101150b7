"""Headers every response carries."""

import pytest
from django.db import DataError

from core.middleware import BadInputMiddleware


@pytest.mark.django_db
def test_every_page_sends_a_permissions_policy(client, site_tree, settings):
    for url in ("/", "/accounts/login/", "/no-such-page/"):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy
        assert 'payment=(self "https://js.stripe.com")' in policy


# --- Bad input the database refuses: a 400 with nothing changed, not a 500 -----------------------


def test_database_refusals_and_field_conversions_become_400s_and_other_errors_do_not(rf, caplog):
    middleware = BadInputMiddleware(lambda request: None)
    request = rf.get("/api/v1/bookings/")
    for error in (DataError("value out of range"), ValueError("Field 'id' expected a number but got 'x'.")):
        assert middleware.process_exception(request, error).status_code == 400
    assert "Bad input reached GET /api/v1/bookings/" in caplog.text
    assert middleware.process_exception(request, ValueError("a real bug")) is None
    assert middleware.process_exception(request, KeyError("x")) is None
