"""Key rotation: `manage.py rotate_secrets` re-encrypts every stored secret under the new first key."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone

from accounts.secrets import ENCRYPTED_COLUMNS, PREFIX, secret_decrypt, secret_encrypt
from api.models import WebhookEndpoint
from bookings.models import CalendarFeed
from tests.factories import sign_in_with_totp, with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [old]
    return old, new


def rotate(settings, new: str, old: str) -> str:
    settings.MFA_ENCRYPTION_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_secrets", stdout=out)
    settings.MFA_ENCRYPTION_KEYS = [new]  # the old key is gone: everything must still read
    return out.getvalue()


def test_every_registered_column_exists_and_holds_text():
    assert {
        "bookings.CalendarFeed",
        "bookings.ExpertCalendar",
        "bookings.ConnectedCalendar",
        "api.WebhookEndpoint",
    } <= set(ENCRYPTED_COLUMNS)
    for label, fields in ENCRYPTED_COLUMNS.items():
        model = apps.get_model(label)
        for field in fields:
            assert isinstance(model._meta.get_field(field), models.TextField | models.CharField), (label, field)


def test_rotation_re_encrypts_second_factors_feeds_and_webhook_secrets(client, learner, settings, keys):
    old, new = keys
    totp_secret = with_totp(learner)
    codes = RecoveryCodes.activate(learner)
    first_code = codes.generate_codes()[0]
    feed = CalendarFeed.objects.create(
        user=learner, token_hash="h" * 64, token_encrypted=secret_encrypt("feed-token"), created_at=timezone.now()
    )
    hook = WebhookEndpoint.objects.create(user=learner, url="https://example.com/hook", secret=secret_encrypt("whsec"))
    before = feed.token_encrypted

    output = rotate(settings, new, old)

    feed.refresh_from_db()
    hook.refresh_from_db()
    assert feed.token_encrypted != before and feed.token_encrypted.startswith(PREFIX)
    assert secret_decrypt(feed.token_encrypted) == "feed-token"
    assert secret_decrypt(hook.secret) == "whsec"
    assert "bookings.CalendarFeed.token_encrypted: 1 re-encrypted" in output
    assert "mfa.Authenticator.data: 2 re-encrypted" in output
    # The second factors still work under the new key alone.
    assert sign_in_with_totp(client, learner, totp_secret).status_code == 302
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(first_code)


def test_a_rerun_is_harmless(settings, learner, keys):
    old, new = keys
    hook = WebhookEndpoint.objects.create(user=learner, url="https://example.com/hook", secret=secret_encrypt("whsec"))
    rotate(settings, new, old)
    rotate(settings, new, old)
    hook.refresh_from_db()
    assert secret_decrypt(hook.secret) == "whsec"


def test_clear_text_left_from_before_encryption_gets_encrypted(settings, learner, keys):
    old, new = keys
    hook = WebhookEndpoint.objects.create(user=learner, url="https://example.com/hook", secret="plain-secret")
    rotate(settings, new, old)
    hook.refresh_from_db()
    assert hook.secret.startswith(PREFIX) and secret_decrypt(hook.secret) == "plain-secret"


def test_a_value_no_key_reads_stops_the_run_with_a_clear_error(settings, learner, keys):
    old, new = keys
    stranger = Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [stranger]
    WebhookEndpoint.objects.create(user=learner, url="https://example.com/hook", secret=secret_encrypt("x"))
    settings.MFA_ENCRYPTION_KEYS = [new, old]
    with pytest.raises(CommandError, match="MFA_ENCRYPTION_KEYS"):
        call_command("rotate_secrets", stdout=StringIO())


def test_a_bad_batch_size_is_refused(settings, keys):
    with pytest.raises(CommandError, match="batch-size"):
        call_command("rotate_secrets", "--batch-size", "0", stdout=StringIO())
