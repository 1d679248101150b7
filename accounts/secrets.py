"""Encryption at rest for second-factor secrets (TOTP keys, recovery-code seeds).

Fernet (AES-128-CBC with HMAC-SHA256) from ``cryptography``, keyed by
``MFA_ENCRYPTION_KEYS`` from the environment, never stored in the database: a
leaked dump or backup then holds no usable second factor. The first key
encrypts; every key in the list decrypts, so a key is rotated by putting the new
one first and re-saving (``manage.py migrate accounts`` re-encrypts nothing by
itself; see docs/operations.md).
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
