"""A person's mobile number: added, verified by a texted code, changed, removed; and every text we send.

Codes. Six digits from ``secrets``; only a keyed hash is stored (HMAC with
the ``SECRET_KEY``, over the person, the number and the code), so a copy of
the database does not give the codes away and a code texted to one number or
person verifies no other. A code works once, for ``PHONE_CODE_TTL_SECONDS``
(10 minutes), and dies after ``PHONE_CODE_MAX_TRIES`` (5) wrong tries; the
comparison is constant-time. Asking for a code (adding or changing the
number, "send a new code") is limited to one a minute and
``PHONE_CODES_PER_DAY`` (5) a day per person, and as many per number whoever
asks, counted from the code rows themselves under a lock on the person's
phone row, so two requests at once cannot both slip under a limit.

Changing the number un-verifies it and kills its pending codes; removing it
turns text reminders off. A number the provider refuses for good (see
``notifications.sms``) is marked unverified where it is found.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.timezones import zone_country

from .errors import PhoneError
from .models import NotificationPreference, PhoneNumber, PhoneVerification, SmsDelivery
from .signals import sms_reminders_enabled
from .sms import SmsError, SmsRefused, SmsUnavailable, sms_sender

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def phone_number_parse(*, raw: str, zone: str | None = None) -> str:
    """``raw`` as an E.164 mobile number; a number without ``+`` is read in the country of ``zone``."""
    text = (raw or "").strip()
    region = zone_country(zone) if not text.startswith("+") else None
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or parsed.extension or not phonenumbers.is_valid_number(parsed):
        raise PhoneError(
            _("This is not a phone number we can read. Enter it with its country code, e.g. +49 151 23456789."),
            code="invalid_number",
        )
    if phonenumbers.number_type(parsed) not in MOBILE_TYPES:
        raise PhoneError(_("This is not a mobile number: text messages can only go to a mobile."), code="not_mobile")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_number_display(number: str) -> str:
    """An E.164 number the way people read it (``+49 151 23456789``)."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(number), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return number


def _code_hash(*, user_id: int, number: str, code: str) -> str:
    return salted_hmac("notifications.phone-code", f"{user_id}:{number}:{code}", algorithm="sha256").hexdigest()


def _expire_pending(*, user, now: datetime) -> None:
    PhoneVerification.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)


def _code_issue(*, user, number: str, now: datetime) -> str:
    """A new code for ``number`` (older ones die), inside the caller's transaction with the phone row locked."""
    day = now - timedelta(days=1)
    mine = PhoneVerification.objects.filter(user=user, created_at__gt=day)
    if mine.filter(created_at__gt=now - timedelta(seconds=settings.PHONE_CODE_RESEND_SECONDS)).exists():
        raise PhoneError(
            _("We have just sent you a code. Please wait a minute before asking for another."), code="wait"
        )
    if mine.count() >= settings.PHONE_CODES_PER_DAY:
        raise PhoneError(
            _("You have asked for %(count)s codes today. Please use the newest one, or try again tomorrow.")
            % {"count": settings.PHONE_CODES_PER_DAY},
            code="daily_limit",
        )
    if PhoneVerification.objects.filter(number=number, created_at__gt=day).count() >= settings.PHONE_CODES_PER_DAY:
        raise PhoneError(
            _("This number has been sent too many codes today. Please try again tomorrow."), code="number_limit"
        )
    _expire_pending(user=user, now=now)
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneVerification.objects.create(
        user=user,
        number=number,
        code_hash=_code_hash(user_id=user.pk, number=number, code=code),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.PHONE_CODE_TTL_SECONDS),
    )
    return code


def _code_text(*, user, number: str, code: str) -> None:
    """Text the code (after the commit that stored its hash); a refusal or outage becomes a PhoneError."""
    minutes = settings.PHONE_CODE_TTL_SECONDS // 60
    with override(user.preferred_language or settings.LANGUAGE_CODE):
        body = _("Your TapTime code is %(code)s. It expires in %(minutes)s minutes.") % {
            "code": code,
            "minutes": minutes,
        }
    try:
        sms_send(user=user, to=number, body=body, purpose="phone_verification")
    except SmsRefused as refused:
        raise PhoneError(
            _("We could not send a text to this number (%(reason)s). Please check it, or use another.")
            % {"reason": refused.message},
            code="refused",
        ) from None
    except SmsUnavailable:
        raise PhoneError(
            _("Text messages cannot be sent right now. Please ask for a new code in a few minutes."),
            code="unavailable",
        ) from None


def _locked_phone(user) -> PhoneNumber | None:
    return PhoneNumber.objects.select_for_update().filter(user=user).first()


def phone_number_set(*, user, raw: str, now: datetime) -> PhoneNumber:
    """Store ``raw`` as the person's (unverified) mobile number and text it a code.

    The same number, already verified, is refused with a clear message rather
    than sent another code. A refused number (invalid, not mobile, over a
    limit) changes nothing.
    """
    number = phone_number_parse(raw=raw, zone=user.time_zone)
    with transaction.atomic():
        phone = _locked_phone(user)
        if phone is not None and phone.number == number and phone.is_verified:
            raise PhoneError(_("This number is already verified."), code="unchanged")
        if phone is None:
            # Two first adds at once: the second waits on the first's row, then sees it.
            phone, _created = PhoneNumber.objects.get_or_create(user=user, defaults={"number": number})
            phone = _locked_phone(user)
        phone.number, phone.verified_at, phone.failure_code = number, None, ""
        phone.save(update_fields=["number", "verified_at", "failure_code", "updated_at"])
        code = _code_issue(user=user, number=number, now=now)
    _code_text(user=user, number=number, code=code)
    return phone


def phone_code_resend(*, user, now: datetime) -> None:
    """Text a new code to the person's unverified number (the limits apply)."""
    with transaction.atomic():
        phone = _locked_phone(user)
        if phone is None:
            raise PhoneError(_("Add a mobile number first."), code="no_number")
        if phone.is_verified:
            raise PhoneError(_("This number is already verified."), code="unchanged")
        code = _code_issue(user=user, number=phone.number, now=now)
    _code_text(user=user, number=phone.number, code=code)


@dataclass(frozen=True)
class _Outcome:
    error: PhoneError | None = None
    enabled: bool = False


def phone_code_confirm(*, user, code: str, now: datetime) -> PhoneNumber:
    """Verify the person's number with the code texted to it, or refuse (a wrong try is counted)."""
    with transaction.atomic():
        phone = _locked_phone(user)
        if phone is None:
            raise PhoneError(_("Add a mobile number first."), code="no_number")
        if phone.is_verified:
            raise PhoneError(_("This number is already verified."), code="unchanged")
        pending = (
            PhoneVerification.objects.select_for_update()
            .filter(user=user, number=phone.number, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        outcome = _check(pending, user=user, phone=phone, code=code, now=now)
        if outcome.enabled:
            transaction.on_commit(lambda: sms_reminders_enabled.send(sender=PhoneNumber, user_id=user.pk))
    if outcome.error is not None:
        raise outcome.error  # after the commit, so the wrong try stays counted
    return phone


def _check(pending: PhoneVerification | None, *, user, phone: PhoneNumber, code: str, now: datetime) -> _Outcome:
    if pending is None or pending.expires_at <= now:
        return _Outcome(PhoneError(_("This code has expired. Ask for a new one."), code="expired"))
    if pending.attempts >= settings.PHONE_CODE_MAX_TRIES:
        return _Outcome(PhoneError(_("Too many wrong codes. Ask for a new one."), code="too_many"))
    expected = _code_hash(user_id=user.pk, number=phone.number, code=code)
    if not constant_time_compare(expected, pending.code_hash):
        pending.attempts += 1
        pending.save(update_fields=["attempts"])
        left = settings.PHONE_CODE_MAX_TRIES - pending.attempts
        if left <= 0:
            return _Outcome(PhoneError(_("Too many wrong codes. Ask for a new one."), code="too_many"))
        return _Outcome(
            PhoneError(_("That code is not right. You have %(left)s tries left.") % {"left": left}, code="wrong")
        )
    pending.used_at = now
    pending.save(update_fields=["used_at"])
    phone.verified_at, phone.failure_code = now, ""
    phone.save(update_fields=["verified_at", "failure_code", "updated_at"])
    wants_sms = NotificationPreference.objects.filter(user=user, reminder_sms=True).exists()
    return _Outcome(enabled=wants_sms)


def phone_number_remove(*, user, now: datetime) -> bool:
    """Forget the person's number and its pending codes, and turn text reminders off; False if there was none."""
    with transaction.atomic():
        deleted, _rows = PhoneNumber.objects.filter(user=user).delete()
        _expire_pending(user=user, now=now)
        NotificationPreference.objects.filter(user=user, reminder_sms=True).update(reminder_sms=False)
    return bool(deleted)


def sms_send(*, user, to: str, body: str, purpose: str) -> str:
    """Text ``body`` to ``to`` and record the attempt; returns the provider's message id.

    Raises ``SmsRefused`` (recorded; a permanent refusal marks the person's
    number unverified if it is still this one) or ``SmsUnavailable`` (recorded;
    the caller may try again later). Never records the body: it may be a code.
    """
    sender = sms_sender()
    record = SmsDelivery(user=user, to=to, purpose=purpose[:40], provider=sender.name)
    try:
        sent = sender.send_sms(to, body)
    except SmsError as error:
        record.status = SmsDelivery.Status.REFUSED if isinstance(error, SmsRefused) else SmsDelivery.Status.UNAVAILABLE
        record.error_code = "" if error.code is None else str(error.code)
        record.error_message = error.message[:500]
        record.save()
        if isinstance(error, SmsRefused) and error.permanent and user is not None:
            PhoneNumber.objects.filter(user=user, number=to).update(
                verified_at=None, failure_code=record.error_code or "refused"
            )
        raise
    record.status, record.provider_message_id = SmsDelivery.Status.SENT, sent.message_id
    record.save()
    return sent.message_id
