"""Encrypt the second-factor secrets stored before accounts.adapters.MFAAdapter existed.

TOTP keys (``data["secret"]``), recovery-code seeds (``data["seed"]``) and codes
migrated from older allauth versions (``data["migrated_codes"]``) are encrypted
with MFA_ENCRYPTION_KEYS; values already encrypted are left as they are, so the
migration can run twice. Reversing writes them back in clear text.
"""

from django.db import migrations

from accounts.secrets import secret_decrypt, secret_encrypt


def _rewrite(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]).iterator():
        data = dict(authenticator.data)
        for field in ("secret", "seed"):
            if isinstance(data.get(field), str):
                data[field] = convert(data[field])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt(apps, schema_editor):
    _rewrite(apps, secret_encrypt)


def decrypt(apps, schema_editor):
    _rewrite(apps, secret_decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_full_name_refuses_links_and_controls"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
