"""Shopify install: the authorization-code flow and the embedded admin's token exchange.

Every check happens before anything is written, so a rejected request (4xx) stores nothing.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, redirect, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as Redirect

from plugin.auth.session_token import SessionTokenError, bearer_token, verify_session_token
from plugin.auth.shopify_oauth import (
    AccessTokenGrant,
    ShopifyAppCredentials,
    ShopifyAuthError,
    ShopifyNotConfigured,
    exchange_authorization_code,
    exchange_id_token,
    is_fresh_timestamp,
    is_valid_shop_domain,
    verify_query_hmac,
)
from plugin.auth.tokens import save_shopify_token
from plugin.db import session
from plugin.errors import ApiError
from plugin.models import OAuthState, Platform, Store, StoreStatus, utcnow

log = logging.getLogger(__name__)

bp = Blueprint("shopify_auth", __name__)

STATE_COOKIE = "encore_shopify_state"
STATE_COOKIE_SALT = "encore.shopify.oauth-state"
# How long a merchant may spend on Shopify's consent screen before the state goes stale.
STATE_LIFETIME = timedelta(minutes=15)
# States nobody came back with are swept when new installs start.
STATE_RETENTION = timedelta(days=1)


def _app_credentials() -> ShopifyAppCredentials:
    try:
        return ShopifyAppCredentials.from_config(current_app.config)
    except ShopifyNotConfigured as exc:
        raise ApiError(503, "shopify_not_configured", str(exc)) from exc


def _checked_shop(params: dict[str, str], app: ShopifyAppCredentials) -> str:
    """The `shop` of a query Shopify signed, after domain, HMAC and freshness checks."""
    shop = params.get("shop", "")
    if not is_valid_shop_domain(shop):
        raise ApiError(
            400,
            "invalid_shop",
            "shop must be a myshopify.com domain such as example.myshopify.com.",
        )
    if not verify_query_hmac(params, app.api_secret):
        raise ApiError(
            400,
            "invalid_hmac",
            "The request's hmac does not verify; open the app again from the Shopify admin.",
        )
    max_age = float(current_app.config.get("OAUTH_MAX_AGE_SECONDS", 300))
    if not is_fresh_timestamp(params.get("timestamp"), max_age):
        raise ApiError(
            400,
            "stale_request",
            "The request's timestamp is too old (or this server's clock is wrong); "
            "open the app again from the Shopify admin.",
        )
    return shop


def _state_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=STATE_COOKIE_SALT)


@bp.get("/auth/shopify")
def begin_install() -> Redirect:
    """Send the merchant to Shopify's consent screen, remembering a one-time state."""
    app = _app_credentials()
    shop = _checked_shop(request.args.to_dict(), app)
    config = current_app.config

    state = secrets.token_urlsafe(32)
    db = session()
    db.execute(delete(OAuthState).where(OAuthState.created_at < utcnow() - STATE_RETENTION))
    db.add(OAuthState(state=state, platform=Platform.SHOPIFY, shop=shop))
    db.commit()

    query = urlencode(
        {
            "client_id": app.api_key,
            "scope": config["SHOPIFY_SCOPES"],
            "redirect_uri": f"{config['APP_URL']}/auth/shopify/callback",
            "state": state,
        }
    )
    response = redirect(f"https://{shop}/admin/oauth/authorize?{query}", code=302)
    response.set_cookie(
        STATE_COOKIE,
        _state_serializer().dumps({"state": state, "shop": shop}),
        max_age=int(STATE_LIFETIME.total_seconds()),
        path="/auth/shopify",
        secure=True,
        httponly=True,
        samesite="Lax",
    )
    return response


def _cookie_state(shop: str) -> str:
    """The state this browser was given, if the signed cookie is intact and for this shop."""
    raw = request.cookies.get(STATE_COOKIE)
    if not raw:
        raise ApiError(
            400,
            "invalid_state",
            "The install state cookie is missing; start the install again from the Shopify "
            "admin in the same browser (cookies must be enabled).",
        )
    try:
        value = _state_serializer().loads(raw, max_age=int(STATE_LIFETIME.total_seconds()))
    except BadSignature as exc:
        raise ApiError(
            400, "invalid_state", "The install state cookie is invalid or expired; start again."
        ) from exc
    if not isinstance(value, dict) or value.get("shop") != shop:
        raise ApiError(400, "invalid_state", "The install state belongs to another shop.")
    return str(value.get("state") or "")


def _spend_state(db: Session, state: str, shop: str) -> None:
    """Mark the state used; only one callback can ever win it."""
    result = db.execute(
        update(OAuthState)
        .where(
            OAuthState.state == state,
            OAuthState.platform == Platform.SHOPIFY,
            OAuthState.shop == shop,
            OAuthState.used_at.is_(None),
            OAuthState.created_at >= utcnow() - STATE_LIFETIME,
        )
        .values(used_at=utcnow())
    )
    if getattr(result, "rowcount", 0) != 1:
        db.rollback()
        raise ApiError(
            400,
            "invalid_state",
            "This install state was already used, has expired, or is unknown; start the "
            "install again from the Shopify admin.",
        )
    db.commit()


@bp.get("/auth/shopify/callback")
def finish_install() -> Redirect:
    """Shopify sends the merchant back with a code: check everything, then get the token."""
    app = _app_credentials()
    params = request.args.to_dict()
    shop = _checked_shop(params, app)
    state = params.get("state", "")
    cookie_state = _cookie_state(shop)
    if not state or not hmac.compare_digest(state.encode(), cookie_state.encode()):
        raise ApiError(
            400, "invalid_state", "The state does not match this browser's; start again."
        )
    code = params.get("code", "")
    if not code:
        raise ApiError(400, "missing_code", "Shopify sent no authorization code; start again.")

    db = session()
    _spend_state(db, state, shop)
    grant = _grant_or_502(lambda: exchange_authorization_code(shop, code, app))
    store = _install(db, shop, grant)
    log.info("Encore installed on %s (authorization code)", shop)

    response = redirect(f"https://{shop}/admin/apps/{app.api_key}", code=302)
    response.delete_cookie(
        STATE_COOKIE, path="/auth/shopify", secure=True, httponly=True, samesite="Lax"
    )
    _after_install(db, store)
    return response


@bp.post("/auth/shopify/token-exchange")
def token_exchange() -> tuple[Response, int]:
    """The embedded admin hands us its id token; we trade it for an offline access token."""
    app = _app_credentials()
    id_token = bearer_token(request.headers.get("Authorization"))
    if id_token is None:
        raise ApiError(
            401, "invalid_session_token", "Send the admin's id token as Authorization: Bearer."
        )
    try:
        verified = verify_session_token(
            id_token, api_key=app.api_key, api_secret=app.api_secret, require_iss=True
        )
    except SessionTokenError as exc:
        raise ApiError(401, "invalid_session_token", str(exc)) from exc

    grant = _grant_or_502(lambda: exchange_id_token(verified.shop, id_token, app))
    db = session()
    store = _install(db, verified.shop, grant)
    log.info("Encore installed on %s (token exchange)", verified.shop)
    _after_install(db, store)
    return jsonify({"shop": verified.shop, "installed": True}), 200


def _grant_or_502(call: Callable[[], AccessTokenGrant]) -> AccessTokenGrant:
    try:
        return call()
    except ShopifyAuthError as exc:
        raise ApiError(502, "shopify_token_request_failed", str(exc)) from exc


def _install(db: Session, shop: str, grant: AccessTokenGrant) -> Store:
    """Create the store, or bring an uninstalled one back, with its new token."""
    store = db.scalar(select(Store).where(Store.platform == Platform.SHOPIFY, Store.domain == shop))
    now = utcnow()
    if store is None:
        store = Store(platform=Platform.SHOPIFY, domain=shop, name=shop.split(".", 1)[0])
        db.add(store)
    if not store.is_installed or store.installed_at is None:
        store.installed_at = now
    store.status = StoreStatus.INSTALLED
    store.uninstalled_at = None
    save_shopify_token(db, store, grant, now=now)
    db.commit()
    return store


def _after_install(db: Session, store: Store) -> None:
    """Subscribe webhooks, then learn the shop's name, currency and time zone.

    The install stands even if Shopify fails here: `encore shopify sync-webhooks` retries the
    subscriptions, and the shop details are read again on the next install.
    """
    from plugin.platforms.shopify_admin import admin_client_for
    from plugin.platforms.shopify_fetch import refresh_shop_details
    from plugin.platforms.shopify_webhooks import register_webhooks

    try:
        client = admin_client_for(db, store)
        register_webhooks(db, store, client)
        db.commit()
        refresh_shop_details(db, store, client)
        db.commit()
    except Exception as exc:  # the merchant must not see a failed install for this
        db.rollback()
        log.warning(
            "%s: post-install setup failed (%s); run `encore shopify sync-webhooks` to retry",
            store.domain,
            exc,
        )
