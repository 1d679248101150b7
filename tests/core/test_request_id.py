"""X-Request-ID: taken when valid, made when missing or invalid, echoed, and on every log line."""

import json
import logging
import re

import pytest
from django.conf import settings as django_settings
from django.utils.module_loading import import_string

from core.request_id import RequestIdFilter, current_request_id, request_id_clean

HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.mark.django_db
def test_a_request_without_one_gets_a_new_id_each_time(client):
    first = client.get("/healthz/")["X-Request-ID"]
    second = client.get("/healthz/")["X-Request-ID"]
    assert HEX32.fullmatch(first) and HEX32.fullmatch(second) and first != second


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["abc", "0f3c1c2e-9b1a-4c55-8d4e-2a1b3c4d5e6f", "lb:17.3_x", "a" * 128])
def test_a_valid_incoming_id_is_kept_and_echoed(client, incoming):
    assert client.get("/healthz/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming", ["", "a" * 129, "two words", "line\nbreak", '"quoted"', "<script>", "café", "x;y", "{json}"]
)
def test_an_invalid_incoming_id_is_replaced(client, incoming):
    echoed = client.get("/healthz/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert HEX32.fullmatch(echoed)


@pytest.mark.django_db
def test_the_id_reaches_error_pages_and_not_beyond_the_request(client):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-404"
    assert current_request_id() == "-"


def test_clean_refuses_none():
    assert request_id_clean(None) is None


def test_json_log_lines_carry_the_request_id_and_the_usual_fields():
    record = logging.LogRecord("bookings.services", logging.WARNING, __file__, 1, "hold %s refused", ("42",), None)
    RequestIdFilter().filter(record)
    options = dict(django_settings.LOG_JSON_FORMATTER)
    formatter = import_string(options.pop("()"))(**options)
    line = json.loads(formatter.format(record))
    assert line["message"] == "hold 42 refused"
    assert line["level"] == "WARNING"
    assert line["logger"] == "bookings.services"
    assert line["request_id"] == "-"
    assert "time" in line and isinstance(line["process"], int)
