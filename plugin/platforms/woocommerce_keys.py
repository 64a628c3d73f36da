"""A WooCommerce store's REST keys at rest: sealed with the app's Fernet key, as tokens are."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from plugin.crypto import seal, unseal
from plugin.models import Store, StoreCredential
from plugin.platforms.woocommerce_client import WooCommerceApiError


def save_keys(db: Session, store: Store, consumer_key: str, consumer_secret: str) -> None:
    """Seal and keep the keys the store just granted (the caller commits)."""
    credential = store.credential
    if credential is not None and (inspect(credential).deleted or inspect(credential).detached):
        credential = None  # revoked earlier in this session: start a new row
    if credential is None:
        credential = StoreCredential()
        store.credential = credential
        db.add(credential)
    credential.consumer_key_sealed = seal(consumer_key)
    credential.consumer_secret_sealed = seal(consumer_secret)
    credential.scopes = "read_write"


def store_keys(store: Store) -> tuple[str, str]:
    """The consumer key and secret, or an error that says the merchant must connect again."""
    credential = store.credential
    if not store.is_installed:
        raise WooCommerceApiError(
            f"Encore is disconnected from {store.domain}; connect it again from the Encore "
            "plugin's settings page.",
            code="disconnected",
        )
    if credential is None or not (
        credential.consumer_key_sealed and credential.consumer_secret_sealed
    ):
        raise WooCommerceApiError(
            f"{store.domain} has no WooCommerce REST keys; click Connect in the Encore plugin's "
            "settings page.",
            code="no_keys",
        )
    return unseal(credential.consumer_key_sealed), unseal(credential.consumer_secret_sealed)
