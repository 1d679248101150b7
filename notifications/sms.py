"""Text messages behind a small interface: ``send_sms(to_e164, body)``.

``SMS_BACKEND`` picks the adapter: ``console`` (the default: the demo and the
tests; the message is logged and kept in ``sent_messages``) or ``twilio``
(production: Twilio's Programmable Messaging REST API over plain ``requests``,
credentials from the environment only).

An adapter answers with the provider's message id, or raises ``SmsRefused``
(the provider looked at the message and said no: Twilio's error ``code`` and
``message``; ``permanent`` when the number itself is the problem, so it must
not be texted again) or ``SmsUnavailable`` (the provider could not be reached
or failed on its side: the message may be tried again later). Provider objects
and HTTP details never leave this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com/2010-04-01"
TWILIO_TIMEOUT_SECONDS = 10

# Twilio error codes that say the number itself cannot take our texts: invalid 'To' (21211), not
# reachable (21214), unsubscribed with STOP (21610), not reachable by SMS (21612), not a mobile
# number (21614). The number is marked unverified; the person verifies it again to get texts.
TWILIO_PERMANENT_NUMBER_ERRORS = frozenset({21211, 21214, 21610, 21612, 21614})


@dataclass(frozen=True)
class SmsSent:
    provider: str
    message_id: str


class SmsError(Exception):
    def __init__(self, message: str, *, code: int | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class SmsRefused(SmsError):
    """The provider refused this message; ``permanent`` if the number can never take texts from us."""

    def __init__(self, message: str, *, code: int | None = None, status: int | None = None, permanent: bool) -> None:
        super().__init__(message, code=code, status=status)
        self.permanent = permanent


class SmsUnavailable(SmsError):
    """The provider could not be reached or failed on its side (network, 429, 5xx)."""


class SmsSender(Protocol):
    name: str

    def send_sms(self, to_e164: str, body: str) -> SmsSent: ...


# What the console adapter "sent", newest last: the demo's log and the tests' outbox.
sent_messages: list[dict[str, str]] = []


class ConsoleSms:
    """Logs the message instead of sending it (the demo, the tests, a deploy without an SMS provider)."""

    name = "console"

    def send_sms(self, to_e164: str, body: str) -> SmsSent:
        sent_messages.append({"to": to_e164, "body": body})
        logger.info("SMS to %s: %s", to_e164, body)
        return SmsSent(provider=self.name, message_id=f"console-{len(sent_messages)}")


class TwilioSms:
    """Twilio's Messages resource: ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``.

    Form fields ``To``, ``Body`` and either ``From`` (a Twilio number or sender
    id) or ``MessagingServiceSid``; HTTP basic auth with the account SID and
    auth token. A 201 answer is the created Message (``sid``, ``status``:
    queued or accepted); an error is ``{"code", "message", "more_info",
    "status"}`` with the HTTP status.
    """

    name = "twilio"

    def __init__(self, *, account_sid: str, auth_token: str, from_: str = "", messaging_service_sid: str = "") -> None:
        if not account_sid or not auth_token:
            raise ValueError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must both be set for SMS_BACKEND=twilio")
        if not (from_ or messaging_service_sid):
            raise ValueError("set TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID for SMS_BACKEND=twilio")
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_ = from_
        self.messaging_service_sid = messaging_service_sid

    @property
    def url(self) -> str:
        return f"{TWILIO_API}/Accounts/{self.account_sid}/Messages.json"

    def send_sms(self, to_e164: str, body: str) -> SmsSent:
        data = {"To": to_e164, "Body": body}
        if self.messaging_service_sid:
            data["MessagingServiceSid"] = self.messaging_service_sid
        else:
            data["From"] = self.from_
        try:
            response = requests.post(
                self.url, data=data, auth=(self.account_sid, self.auth_token), timeout=TWILIO_TIMEOUT_SECONDS
            )
        except requests.RequestException as error:
            raise SmsUnavailable(f"Twilio could not be reached: {type(error).__name__}") from None
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        if response.status_code in (200, 201) and answer.get("sid"):
            return SmsSent(provider=self.name, message_id=str(answer["sid"])[:64])
        code = answer.get("code") if isinstance(answer.get("code"), int) else None
        message = str(answer.get("message") or response.reason or "error")[:500]
        if response.status_code == 429 or response.status_code >= 500:
            raise SmsUnavailable(
                f"Twilio answered {response.status_code}: {message}", code=code, status=response.status_code
            )
        raise SmsRefused(
            message, code=code, status=response.status_code, permanent=code in TWILIO_PERMANENT_NUMBER_ERRORS
        )


def sms_sender() -> SmsSender:
    backend = getattr(settings, "SMS_BACKEND", "console")
    if backend == "console":
        return ConsoleSms()
    if backend == "twilio":
        return TwilioSms(
            account_sid=settings.TWILIO_ACCOUNT_SID,
            auth_token=settings.TWILIO_AUTH_TOKEN,
            from_=settings.TWILIO_FROM,
            messaging_service_sid=settings.TWILIO_MESSAGING_SERVICE_SID,
        )
    raise ValueError(f"unknown SMS_BACKEND {backend!r}; known: console, twilio")


# The GSM 03.38 basic character set: a text of these alone fits 160 characters in one SMS; any
# other character makes the whole text UCS-2, 70 characters a segment. The extension table's
# characters (^{}[]~|€\) count twice.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")


def sms_length(body: str) -> tuple[int, int]:
    """(units, limit of one SMS): GSM-7 septets and 160, or UTF-16 code units and 70."""
    if all(char in GSM_BASIC or char in GSM_EXTENDED for char in body):
        return sum(2 if char in GSM_EXTENDED else 1 for char in body), 160
    return len(body.encode("utf-16-le")) // 2, 70


def sms_fits_one(body: str) -> bool:
    units, limit = sms_length(body)
    return units <= limit
