"""Secrets the server must read back, kept sealed in the database: the TOTP seeds of staff accounts.

A copy of the database (a backup, a dump handed to a contractor) then does
not carry what generates staff's second-factor codes. The key is derived
from ``SECRET_KEY`` with HKDF, one key per purpose; Fernet (AES-128-CBC with
HMAC-SHA256, from the ``cryptography`` package) seals and checks each value.
Changing ``SECRET_KEY`` makes the sealed seeds unreadable: staff then set up
the second factor again (an administrator resets it), as after a lost phone.
"""
from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEALED = "f1:"  # the prefix of a sealed value; anything else is a seed stored before sealing


class UnreadableSecret(ValueError):
    """A sealed value this key cannot open (SECRET_KEY changed, or the value was altered)."""


class SecretBox:
    def __init__(self, secret_key: str, purpose: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"tsunagu {purpose}".encode()).derive(
            secret_key.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, value: str) -> str:
        return SEALED + self._fernet.encrypt(value.encode()).decode()

    def open(self, stored: str) -> str:
        """The value; one stored before sealing is returned as it is (sealed at its next use)."""
        if not is_sealed(stored):
            return stored
        try:
            return self._fernet.decrypt(stored.removeprefix(SEALED).encode()).decode()
        except InvalidToken as error:
            raise UnreadableSecret() from error


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED)
