"""Second-factor secrets are encrypted at rest with a key from the environment."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.apps import apps

from accounts.secrets import PREFIX, secret_decrypt, secret_encrypt
from tests.factories import sign_in_with_totp, with_totp

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0003_encrypt_mfa_secrets")


def test_a_totp_secret_is_stored_encrypted_and_still_signs_in(client, learner):
    secret = with_totp(learner)
    stored = Authenticator.objects.get(user=learner, type=Authenticator.Type.TOTP).data["secret"]
    assert stored.startswith(PREFIX) and secret not in stored
    response = sign_in_with_totp(client, learner, secret)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(learner.pk)


def test_recovery_code_seeds_are_stored_encrypted_and_still_work(learner):
    codes = RecoveryCodes.activate(learner)
    stored = codes.instance.data["seed"]
    assert stored.startswith(PREFIX)
    first = codes.generate_codes()[0]
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(first)


def test_another_key_cannot_read_them_and_rotation_keeps_old_ones_readable(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [old_key]
    stored = secret_encrypt("JBSWY3DPEHPK3PXP")
    settings.MFA_ENCRYPTION_KEYS = [new_key]
    with pytest.raises(RuntimeError, match="MFA_ENCRYPTION_KEYS"):
        secret_decrypt(stored)
    settings.MFA_ENCRYPTION_KEYS = [new_key, old_key]
    assert secret_decrypt(stored) == "JBSWY3DPEHPK3PXP"


def test_the_migration_encrypts_clear_rows_once_and_reverses(learner):
    totp = Authenticator.objects.create(user=learner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    seeds = Authenticator.objects.create(
        user=learner, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "ab" * 40, "used_mask": 0}
    )
    migration.encrypt(apps, None)
    migration.encrypt(apps, None)  # a second run leaves encrypted rows alone
    totp.refresh_from_db()
    seeds.refresh_from_db()
    assert totp.data["secret"].startswith(PREFIX) and secret_decrypt(totp.data["secret"]) == "JBSWY3DPEHPK3PXP"
    assert seeds.data["used_mask"] == 0 and secret_decrypt(seeds.data["seed"]) == "ab" * 40
    migration.decrypt(apps, None)
    totp.refresh_from_db()
    assert totp.data["secret"] == "JBSWY3DPEHPK3PXP"
