"""Shopify access tokens at rest: sealed with Fernet, refreshed shortly before they expire."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from plugin.auth.shopify_oauth import (
    AccessTokenGrant,
    ShopifyAppCredentials,
    ShopifyAuthError,
    refresh_access_token,
)
from plugin.crypto import seal, unseal
from plugin.models import Store, StoreCredential, utcnow

log = logging.getLogger(__name__)

# Refresh this early so a token never expires in the middle of a job's calls.
REFRESH_MARGIN = timedelta(minutes=5)


class StoreTokenError(ShopifyAuthError):
    """This store has no usable Shopify token; the message says what the merchant must do."""


def save_shopify_token(
    db: Session, store: Store, grant: AccessTokenGrant, now: datetime | None = None
) -> StoreCredential:
    """Seal and keep the tokens Shopify just gave us (the caller commits)."""
    now = now or utcnow()
    credential = store.credential
    if credential is not None and (inspect(credential).deleted or inspect(credential).detached):
        credential = None  # revoked earlier in this session (uninstall): start a new row
    if credential is None:
        credential = StoreCredential()
        store.credential = credential
        db.add(credential)
    credential.access_token_sealed = seal(grant.access_token)
    credential.access_expires_at = (
        now + timedelta(seconds=grant.expires_in) if grant.expires_in else None
    )
    if grant.refresh_token:
        credential.refresh_token_sealed = seal(grant.refresh_token)
        credential.refresh_expires_at = (
            now + timedelta(seconds=grant.refresh_token_expires_in)
            if grant.refresh_token_expires_in
            else None
        )
    elif grant.expires_in is None:
        # A non-expiring token needs no refresh token; drop any left from before.
        credential.refresh_token_sealed = None
        credential.refresh_expires_at = None
    credential.scopes = grant.scope or credential.scopes
    return credential


def _needs_refresh(credential: StoreCredential, now: datetime) -> bool:
    expires_at = credential.access_expires_at
    return expires_at is not None and expires_at - now <= REFRESH_MARGIN


def shopify_access_token(db: Session, store: Store, now: datetime | None = None) -> str:
    """A usable access token for this shop, refreshed first when it expires within 5 minutes.

    A refresh commits the session: Shopify rotates the refresh token, and losing the new one
    to a later rollback would lock us out of the shop.
    """
    now = now or utcnow()
    credential = _usable_credential(store)
    if _needs_refresh(credential, now):
        # Another worker may be refreshing the same shop: lock the row (PostgreSQL) and look
        # again, so only one of us spends the refresh token.
        locked = db.scalars(
            select(StoreCredential)
            .where(StoreCredential.id == credential.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        if _needs_refresh(locked, now):
            _refresh(db, store, locked, now)
        credential = locked
    sealed = credential.access_token_sealed
    if not sealed:
        raise StoreTokenError(f"{store.domain} lost its Shopify access token; reinstall Encore.")
    return unseal(sealed)


def _usable_credential(store: Store) -> StoreCredential:
    if not store.is_installed:
        raise StoreTokenError(
            f"Encore is uninstalled from {store.domain}; the merchant must install it again "
            "before Encore can call Shopify for this shop."
        )
    credential = store.credential
    if credential is None or not credential.access_token_sealed:
        raise StoreTokenError(
            f"{store.domain} has no Shopify access token; the merchant must open Encore in the "
            "Shopify admin (or reinstall it) to grant one."
        )
    return credential


def _refresh(db: Session, store: Store, credential: StoreCredential, now: datetime) -> None:
    if not credential.refresh_token_sealed:
        raise StoreTokenError(
            f"The Shopify access token of {store.domain} has expired and there is no refresh "
            "token; the merchant must open Encore in the Shopify admin to grant a new one."
        )
    if credential.refresh_expires_at is not None and credential.refresh_expires_at <= now:
        raise StoreTokenError(
            f"The Shopify refresh token of {store.domain} expired on "
            f"{credential.refresh_expires_at:%Y-%m-%d}; the merchant must open Encore in the "
            "Shopify admin (or reinstall it) to grant a new token."
        )
    try:
        app = ShopifyAppCredentials.from_config(current_app.config)
        grant = refresh_access_token(store.domain, unseal(credential.refresh_token_sealed), app)
    except ShopifyAuthError as exc:
        raise StoreTokenError(
            f"Could not refresh the Shopify access token of {store.domain}. {exc}"
        ) from exc
    save_shopify_token(db, store, grant, now=utcnow())
    db.commit()
    log.info("Refreshed the Shopify access token of %s", store.domain)
