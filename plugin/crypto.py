"""Secrets at rest: Fernet encryption of tokens with the configured key(s)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class SealError(RuntimeError):
    """A stored secret cannot be read with the configured ENCRYPTION_KEY."""


def build_fernet(key_setting: str) -> MultiFernet:
    """`ENCRYPTION_KEY` may list several keys (comma separated): the first encrypts, all decrypt."""
    keys = [Fernet(k.strip().encode()) for k in key_setting.split(",") if k.strip()]
    if not keys:
        raise SealError("ENCRYPTION_KEY is empty; set a Fernet key.")
    return MultiFernet(keys)


def _fernet() -> MultiFernet:
    fernet: MultiFernet = current_app.extensions["encore_fernet"]
    return fernet


def seal(plaintext: str) -> str:
    """Encrypt a secret for storage."""
    return _fernet().encrypt(plaintext.encode()).decode()


def unseal(ciphertext: str) -> str:
    """Decrypt a stored secret."""
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SealError(
            "A stored secret cannot be decrypted: ENCRYPTION_KEY changed without keeping the old "
            "key. Put the old key after the new one in ENCRYPTION_KEY (comma separated)."
        ) from exc
