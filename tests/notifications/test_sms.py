"""The SMS adapters: Twilio's Messages resource at the HTTP boundary (its real request and answer shapes),
the console default, and the record every send leaves.

Shapes from Twilio's docs: ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` with form fields
``To``, ``From`` or ``MessagingServiceSid`` and ``Body``, HTTP basic auth (account SID : auth token);
201 with the Message resource (``sid`` SM…, ``status`` "queued" or "accepted", ``error_code`` null); an
error is ``{"code": 21211, "message": "...", "more_info": "https://www.twilio.com/docs/errors/21211",
"status": 400}``.
"""

import base64
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest
import requests
import responses

from notifications.models import PhoneNumber, SmsDelivery
from notifications.phones import sms_send
from notifications.sms import (
    ConsoleSms,
    SmsRefused,
    SmsUnavailable,
    TwilioSms,
    sms_fits_one,
    sms_length,
    sms_sender,
)
from tests.factories import UserFactory

SID = "AC0123456789abcdef0123456789abcdef"
URL = f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json"
TO = "+4915123456789"


def message_resource(**overrides):
    """A created Message as Twilio answers it (trimmed to the fields the docs list first)."""
    return {
        "account_sid": SID,
        "api_version": "2010-04-01",
        "body": "Hello",
        "date_created": "Thu, 24 Aug 2023 05:01:45 +0000",
        "date_sent": None,
        "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000",
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": "+15557122661",
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": None,
        "sid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
        "status": "queued",
        "to": TO,
        "uri": f"/2010-04-01/Accounts/{SID}/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json",
        **overrides,
    }


def twilio_error(code, message, status=400):
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@pytest.fixture
def twilio(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = SID
    settings.TWILIO_AUTH_TOKEN = "secret-token"
    settings.TWILIO_FROM = "+15557122661"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    with responses.RequestsMock() as mocked:
        yield mocked


def test_twilio_gets_a_form_post_with_basic_auth_and_answers_the_message_sid(twilio):
    twilio.add(responses.POST, URL, json=message_resource(), status=201)
    sent = sms_sender().send_sms(TO, "Your session starts at 10:00 – join: https://x.example/")
    assert sent.message_id == "SM1f0e8ae6ade43cb3c0ce4525424e404f" and sent.provider == "twilio"
    request = twilio.calls[0].request
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(f"{SID}:secret-token".encode()).decode()
    assert parse_qs(request.body) == {
        "To": [TO],
        "From": ["+15557122661"],
        "Body": ["Your session starts at 10:00 – join: https://x.example/"],
    }


def test_a_messaging_service_replaces_from(twilio, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG9752274e9e519418a7406176694466fa"
    twilio.add(responses.POST, URL, json=message_resource(status="accepted"), status=201)
    sms_sender().send_sms(TO, "Hi")
    body = parse_qs(twilio.calls[0].request.body)
    assert body["MessagingServiceSid"] == ["MG9752274e9e519418a7406176694466fa"] and "From" not in body


@pytest.mark.parametrize(
    ("code", "message", "permanent"),
    [
        (21211, "Invalid 'To' Phone Number: +49151234XXXX", True),
        (21614, "'To' number is not a valid mobile number", True),
        (21610, "Attempt to send to unsubscribed recipient", True),
        (21408, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number", False),
    ],
)
def test_a_refusal_carries_twilios_code_and_message(twilio, code, message, permanent):
    twilio.add(responses.POST, URL, json=twilio_error(code, message), status=400)
    with pytest.raises(SmsRefused) as refused:
        sms_sender().send_sms(TO, "Hi")
    assert (refused.value.code, refused.value.message, refused.value.status) == (code, message, 400)
    assert refused.value.permanent is permanent


@pytest.mark.parametrize("status", [429, 500, 503])
def test_twilio_overloaded_or_down_is_unavailable_not_refused(twilio, status):
    twilio.add(
        responses.POST,
        URL,
        json=twilio_error(20429 if status == 429 else 20500, "Too Many Requests", status),
        status=status,
    )
    with pytest.raises(SmsUnavailable):
        sms_sender().send_sms(TO, "Hi")


def test_no_connection_or_a_body_that_is_not_json_never_escapes_as_a_crash(twilio):
    twilio.add(responses.POST, URL, body=requests.ConnectionError("refused"))
    with pytest.raises(SmsUnavailable):
        sms_sender().send_sms(TO, "Hi")
    twilio.replace(responses.POST, URL, body="<html>bad gateway</html>", status=401)
    with pytest.raises(SmsRefused) as refused:
        sms_sender().send_sms(TO, "Hi")
    assert refused.value.code is None and not refused.value.permanent


def test_twilio_without_credentials_is_refused_at_construction():
    with pytest.raises(ValueError, match="TWILIO_ACCOUNT_SID"):
        TwilioSms(account_sid="", auth_token="x", from_="+15557122661")
    with pytest.raises(ValueError, match="TWILIO_FROM"):
        TwilioSms(account_sid=SID, auth_token="x")


def test_the_default_is_the_console_adapter(settings, sms_outbox):
    assert settings.SMS_BACKEND == "console"
    assert isinstance(sms_sender(), ConsoleSms)
    sms_sender().send_sms(TO, "Hello")
    assert sms_outbox == [{"to": TO, "body": "Hello"}]


@pytest.mark.django_db
def test_every_send_is_recorded_and_a_dead_number_is_no_longer_verified(twilio):
    user = UserFactory()
    PhoneNumber.objects.create(user=user, number=TO, verified_at=datetime(2026, 1, 1, tzinfo=UTC))
    twilio.add(responses.POST, URL, json=message_resource(), status=201)
    assert sms_send(user=user, to=TO, body="Your code is 123456", purpose="test") == message_resource()["sid"]
    twilio.replace(
        responses.POST, URL, json=twilio_error(21614, "'To' number is not a valid mobile number"), status=400
    )
    with pytest.raises(SmsRefused):
        sms_send(user=user, to=TO, body="Hi", purpose="test")
    records = list(
        SmsDelivery.objects.filter(user=user).order_by("pk").values("status", "provider_message_id", "error_code")
    )
    assert records == [
        {"status": "sent", "provider_message_id": message_resource()["sid"], "error_code": ""},
        {"status": "refused", "provider_message_id": "", "error_code": "21614"},
    ]
    phone = PhoneNumber.objects.get(user=user)
    assert not phone.is_verified and phone.failure_code == "21614"
    assert not SmsDelivery.objects.filter(error_message__contains="123456").exists()


@pytest.mark.django_db
def test_an_outage_is_recorded_and_leaves_the_number_verified(twilio):
    user = UserFactory()
    PhoneNumber.objects.create(user=user, number=TO, verified_at=datetime(2026, 1, 1, tzinfo=UTC))
    twilio.add(responses.POST, URL, json=twilio_error(20500, "Internal Server Error", 500), status=500)
    with pytest.raises(SmsUnavailable):
        sms_send(user=user, to=TO, body="Hi", purpose="test")
    assert SmsDelivery.objects.get(user=user).status == "unavailable"
    assert PhoneNumber.objects.get(user=user).is_verified


def test_the_length_of_a_text_counts_gsm_and_other_alphabets_apart():
    assert sms_length("a" * 160) == (160, 160) and sms_fits_one("a" * 160) and not sms_fits_one("a" * 161)
    assert sms_length("€") == (2, 160)  # the extension table counts twice
    assert sms_length("Zoë 😀") == (6, 70)  # ë is not GSM: the whole text is UCS-2; the emoji is 2 units


@pytest.mark.django_db
def test_staff_read_what_twilio_refused_in_the_admin_but_never_the_body(client, staff_user, twilio):
    client.force_login(staff_user)
    user = UserFactory()
    twilio.add(responses.POST, URL, json=twilio_error(21211, "Invalid 'To' Phone Number: +49151234XXXX"), status=400)
    with pytest.raises(SmsRefused):
        sms_send(user=user, to=TO, body="Your TapTime code is 654321.", purpose="phone_verification")
    response = client.get("/django-admin/notifications/smsdelivery/")
    page = response.content.decode()
    assert response.status_code == 200, response.get("Location")
    assert "21211" in page and "Invalid &#x27;To&#x27; Phone Number" in page and "654321" not in page
