"""The admin inside the Shopify admin: id tokens, the first-load token exchange, framing.

Shopify loads the app in an iframe and hands it an id token (a JWT signed with the app secret)
on the first document load (`?id_token=`) and through App Bridge on every later request
(`Authorization: Bearer`). The token names the shop; nothing else identifies the merchant.

Token exchange (an offline access token for the shop's API, plus webhook registration) runs
only when the shop has no usable token. The stored credential *is* the cached answer: an
admin load for an installed shop makes no call to Shopify at all.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.auth.session_token import SessionToken, SessionTokenError, verify_session_token
from plugin.auth.shopify_oauth import (
    ShopifyAppCredentials,
    ShopifyAuthError,
    ShopifyNotConfigured,
    exchange_id_token,
)
from plugin.auth.tokens import REFRESH_MARGIN
from plugin.errors import ApiError
from plugin.models import Platform, Store, utcnow

SHOPIFY_ADMIN_ORIGIN = "https://admin.shopify.com"
APP_BRIDGE_ORIGIN = "https://cdn.shopify.com"
APP_BRIDGE_URL = f"{APP_BRIDGE_ORIGIN}/shopifycloud/app-bridge.js"


def app_credentials() -> ShopifyAppCredentials:
    try:
        return ShopifyAppCredentials.from_config(current_app.config)
    except ShopifyNotConfigured as exc:
        raise ApiError(503, "shopify_not_configured", str(exc)) from exc


def verify_admin_id_token(token: str | None) -> SessionToken:
    """The shop an admin id token speaks for; 401 when it is missing, forged or stale."""
    app = app_credentials()
    try:
        return verify_session_token(
            token, api_key=app.api_key, api_secret=app.api_secret, require_iss=True
        )
    except SessionTokenError as exc:
        raise ApiError(401, "invalid_session_token", str(exc)) from exc


def shop_store(db: Session, shop: str) -> Store | None:
    return db.scalar(select(Store).where(Store.platform == Platform.SHOPIFY, Store.domain == shop))


def has_usable_token(store: Store | None, now: datetime) -> bool:
    """Installed, with an access token that is valid now or can still be refreshed."""
    if store is None or not store.is_installed:
        return False
    credential = store.credential
    if credential is None or not credential.access_token_sealed:
        return False
    expires_at = credential.access_expires_at
    if expires_at is None or expires_at - now > REFRESH_MARGIN:
        return True
    refresh_expires_at = credential.refresh_expires_at
    return bool(credential.refresh_token_sealed) and (
        refresh_expires_at is None or refresh_expires_at > now
    )


def ensure_installed(db: Session, shop: str, id_token: str) -> Store:
    """The shop's store, after a token exchange if (and only if) it has no usable token."""
    store = shop_store(db, shop)
    if has_usable_token(store, utcnow()):
        assert store is not None
        return store
    # The install itself belongs to plugin.auth.shopify (the same steps as its
    # POST /auth/shopify/token-exchange): reuse them rather than keep a second copy.
    from plugin.auth.shopify import _after_install, _install

    app = app_credentials()
    try:
        grant = exchange_id_token(shop, id_token, app)
    except ShopifyAuthError as exc:
        raise ApiError(502, "shopify_token_request_failed", str(exc)) from exc
    store = _install(db, shop, grant)
    _after_install(db, store)
    return store


def frame_ancestors(shop: str) -> str:
    """Only this shop's admin may frame the page (Shopify's requirement for embedded apps)."""
    return f"frame-ancestors https://{shop} {SHOPIFY_ADMIN_ORIGIN}"
