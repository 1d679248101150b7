"""Encryption at rest for the secrets we hold: second-factor secrets, calendar addresses and tokens, webhook secrets.

Fernet (AES-128-CBC with HMAC-SHA256) from ``cryptography``, keyed by
``MFA_ENCRYPTION_KEYS`` from the environment, never stored in the database: a
leaked dump or backup then holds no usable secret. The first key encrypts;
every key in the list decrypts (``MultiFernet``). Rotation: put a new key first,
keep the old ones after it, deploy, run ``manage.py rotate_secrets`` (which
re-encrypts every registered column under the new key), then drop the old keys
(docs/accounts.md#encryption-at-rest).

Apps that store a secret with ``secret_encrypt`` register its column here
(``encrypted_columns_register`` in their ``AppConfig.ready``), so the rotation
finds it without accounts importing them.
"""

from __future__ import annotations

import logging
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

logger = logging.getLogger(__name__)

# Marks a value as ours, so clear text written before encryption is recognised.
PREFIX = "fernet:"


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.MFA_ENCRYPTION_KEYS))


def secret_encrypt(text: str) -> str:
    if text.startswith(PREFIX):
        return text
    return PREFIX + _current().encrypt(text.encode()).decode("ascii")


# "app_label.Model" -> the text columns holding secret_encrypt output.
ENCRYPTED_COLUMNS: dict[str, tuple[str, ...]] = {}


def encrypted_columns_register(model_label: str, *fields: str) -> None:
    """Declare that ``model_label``'s ``fields`` hold ``secret_encrypt`` output (for ``rotate_secrets``)."""
    ENCRYPTED_COLUMNS[model_label] = tuple(dict.fromkeys((*ENCRYPTED_COLUMNS.get(model_label, ()), *fields)))


def secret_rotate(stored: str) -> str:
    """The same secret encrypted under the first key (a clear-text value from before encryption gets encrypted)."""
    if not stored.startswith(PREFIX):
        return secret_encrypt(stored)
    try:
        return PREFIX + _current().rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise RuntimeError("A secret cannot be decrypted with any key in MFA_ENCRYPTION_KEYS.") from error


def secret_decrypt(stored: str) -> str:
    """The clear secret; a value from before encryption (no prefix) is read as it is, with a warning."""
    if not stored.startswith(PREFIX):
        logger.warning("A second-factor secret is stored unencrypted; run manage.py migrate accounts.")
        return stored
    try:
        return _current().decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except InvalidToken as error:
        # Wrong or missing key: a configuration error, never a secret to guess around.
        raise RuntimeError("Second-factor secret cannot be decrypted: check MFA_ENCRYPTION_KEYS.") from error
