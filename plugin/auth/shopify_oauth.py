"""Shopify OAuth: signed-query checks and the three grants of `/admin/oauth/access_token`.

Written on `requests` rather than the `shopifyapi` package: that package has no token
exchange or refresh grant, keeps its session in global state, and its HTTP goes through
urllib, which `responses` cannot intercept in tests. The checks below are a few lines each.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")

TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"
OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token"

_http: requests.Session | None = None


class ShopifyAuthError(RuntimeError):
    """Shopify would not give us a token; the message says what to do next."""


class ShopifyNotConfigured(ShopifyAuthError):
    """SHOPIFY_API_KEY / SHOPIFY_API_SECRET are missing."""


def shopify_http() -> requests.Session:
    """The one HTTP session every Shopify call shares (keeps connections to shops alive)."""
    global _http
    if _http is None:
        _http = requests.Session()
        _http.headers["User-Agent"] = "Encore (self-hosted post-purchase app)"
    return _http


@dataclass(frozen=True)
class ShopifyAppCredentials:
    """The app's client id and secret (from SHOPIFY_API_KEY / SHOPIFY_API_SECRET)."""

    api_key: str
    api_secret: str = field(repr=False)
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ShopifyAppCredentials:
        api_key, api_secret = config.get("SHOPIFY_API_KEY"), config.get("SHOPIFY_API_SECRET")
        missing = [
            name
            for name, value in (("SHOPIFY_API_KEY", api_key), ("SHOPIFY_API_SECRET", api_secret))
            if not value
        ]
        if missing:
            raise ShopifyNotConfigured(
                f"Shopify is not configured: set {' and '.join(missing)} to the client id and "
                "client secret of your app (Shopify Dev Dashboard → your app → Settings)."
            )
        return cls(
            api_key=str(api_key),
            api_secret=str(api_secret),
            timeout=float(config.get("HTTP_TIMEOUT_SECONDS", 10.0)),
        )


@dataclass(frozen=True)
class AccessTokenGrant:
    """What `/admin/oauth/access_token` answered. Tokens are kept out of repr (and so of logs)."""

    access_token: str = field(repr=False)
    scope: str
    expires_in: int | None = None
    refresh_token: str | None = field(default=None, repr=False)
    refresh_token_expires_in: int | None = None

    @classmethod
    def from_response(cls, body: Any, shop: str) -> AccessTokenGrant:
        if not isinstance(body, Mapping) or not isinstance(body.get("access_token"), str):
            raise ShopifyAuthError(
                f"{shop} answered the token request without an access_token; "
                "start the install again from the Shopify admin."
            )
        return cls(
            access_token=body["access_token"],
            scope=str(body.get("scope") or ""),
            expires_in=_optional_int(body.get("expires_in")),
            refresh_token=body.get("refresh_token") or None,
            refresh_token_expires_in=_optional_int(body.get("refresh_token_expires_in")),
        )


def _optional_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def is_valid_shop_domain(shop: str | None) -> bool:
    """Only `name.myshopify.com` is a shop we may send a request (or a merchant) to."""
    return bool(shop) and SHOP_DOMAIN.fullmatch(str(shop)) is not None


def query_hmac_message(params: Mapping[str, str]) -> str:
    """The text Shopify signs: every parameter but `hmac`, sorted by key, `k=v` joined by `&`."""
    return "&".join(f"{key}={params[key]}" for key in sorted(params) if key != "hmac")


def verify_query_hmac(params: Mapping[str, str], secret: str) -> bool:
    """Constant-time check of the hex HMAC-SHA256 Shopify adds to install and callback URLs."""
    signature = params.get("hmac")
    if not signature or not secret:
        return False
    expected = hmac.new(
        secret.encode(), query_hmac_message(params).encode(), hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, str(signature).lower())


def is_fresh_timestamp(
    timestamp: str | None, max_age_seconds: float, now: float | None = None
) -> bool:
    """A signed query older than `max_age_seconds` could be a replay; one from the future too."""
    try:
        signed_at = int(str(timestamp))
    except ValueError:
        return False
    current = time.time() if now is None else now
    return abs(current - signed_at) <= max_age_seconds


def _post_token_request(
    shop: str, body: dict[str, str], what: str, next_step: str, app: ShopifyAppCredentials
) -> AccessTokenGrant:
    if not is_valid_shop_domain(shop):
        raise ShopifyAuthError(f"{shop!r} is not a myshopify.com domain; refusing to call it.")
    url = f"https://{shop}/admin/oauth/access_token"
    try:
        response = shopify_http().post(
            url,
            json=body,
            headers={"Accept": "application/json"},
            timeout=app.timeout,
        )
    except requests.RequestException as exc:
        raise ShopifyAuthError(
            f"Could not reach {shop} for the {what} ({type(exc).__name__}); "
            "check this server's outbound network and try again."
        ) from exc
    if response.status_code != 200:
        raise ShopifyAuthError(
            f"Shopify refused the {what} for {shop} "
            f"(HTTP {response.status_code}{_error_detail(response)}): {next_step}"
        )
    try:
        payload = response.json()
    except ValueError as exc:
        raise ShopifyAuthError(
            f"{shop} answered the {what} with something other than JSON: {next_step}"
        ) from exc
    return AccessTokenGrant.from_response(payload, shop)


def _error_detail(response: requests.Response) -> str:
    """Shopify's OAuth errors look like {"error": "...", "error_description": "..."}."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, Mapping):
        return ""
    parts = [str(body[k]) for k in ("error", "error_description", "errors") if body.get(k)]
    return (", " + "; ".join(parts)[:300]) if parts else ""


def exchange_authorization_code(
    shop: str, code: str, app: ShopifyAppCredentials
) -> AccessTokenGrant:
    """Authorization-code grant, asking for an expiring offline token with a refresh token."""
    return _post_token_request(
        shop,
        {
            "client_id": app.api_key,
            "client_secret": app.api_secret,
            "code": code,
            "expiring": "1",
        },
        "authorization code",
        "install codes are single-use and short-lived; start the install again "
        "from the Shopify admin, and check SHOPIFY_API_KEY/SHOPIFY_API_SECRET belong to this app.",
        app,
    )


def exchange_id_token(shop: str, id_token: str, app: ShopifyAppCredentials) -> AccessTokenGrant:
    """Token-exchange grant: the embedded admin's id token → an expiring offline token."""
    return _post_token_request(
        shop,
        {
            "client_id": app.api_key,
            "client_secret": app.api_secret,
            "grant_type": TOKEN_EXCHANGE_GRANT,
            "subject_token": id_token,
            "subject_token_type": ID_TOKEN_TYPE,
            "requested_token_type": OFFLINE_TOKEN_TYPE,
            "expiring": "1",
        },
        "token exchange",
        "reload Encore in the Shopify admin to get a fresh id token, and check "
        "SHOPIFY_API_KEY/SHOPIFY_API_SECRET belong to this app.",
        app,
    )


def refresh_access_token(
    shop: str, refresh_token: str, app: ShopifyAppCredentials
) -> AccessTokenGrant:
    """Refresh grant: a new access token and a new (rotated) refresh token."""
    return _post_token_request(
        shop,
        {
            "client_id": app.api_key,
            "client_secret": app.api_secret,
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
        },
        "token refresh",
        "the refresh token is no longer valid; the merchant must open Encore in the Shopify "
        "admin (or reinstall it) so it can get a new token.",
        app,
    )
