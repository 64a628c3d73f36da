"""Secrets at rest: Fernet encryption of tokens with the configured key(s)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class SealError(RuntimeError):
    """A stored secret cannot be read with the configured ENCRYPTION_KEY."""


def fernet_keys(key_setting: str) -> list[Fernet]:
    """The keys of `ENCRYPTION_KEY` (comma separated), newest first."""
    try:
        keys = [Fernet(k.strip().encode()) for k in key_setting.split(",") if k.strip()]
    except ValueError as exc:
        raise SealError(
            "ENCRYPTION_KEY holds a value that is not a Fernet key (32 url-safe base64 bytes); "
            "make one with `encore keys generate`."
        ) from exc
    if not keys:
        raise SealError("ENCRYPTION_KEY is empty; set a Fernet key.")
    return keys


def build_fernet(key_setting: str) -> MultiFernet:
    """`ENCRYPTION_KEY` may list several keys (comma separated): the first encrypts, all decrypt."""
    return MultiFernet(fernet_keys(key_setting))


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


def reseal(ciphertext: str) -> str | None:
    """The value sealed with the first key, or None when it already is (nothing to rewrite).

    Raises SealError when no configured key can read it.
    """
    newest = fernet_keys(current_app.config["ENCRYPTION_KEY"])[0]
    try:
        newest.decrypt(ciphertext.encode())
        return None
    except InvalidToken:
        pass
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SealError("No key in ENCRYPTION_KEY can read this value.") from exc
