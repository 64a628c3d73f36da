"""Rate limits on the public endpoints (flask-limiter), one rule per blueprint.

Counters live in Redis when RATELIMIT_STORAGE_URI (else REDIS_URL) is set, so every web
process shares them; otherwise each process counts on its own. Each limit is keyed by what
identifies the caller: the shop or store for webhooks, the shop and client address on the
storefront, the client address elsewhere. Over a limit the answer is 429 in the usual error
shape with Retry-After, before any view runs, so nothing is stored.

Webhook limits count signed deliveries per shop (a flash sale must pass) and, separately,
refused deliveries per address (forgers cannot use up a shop's allowance, only their own).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from flask import Blueprint, Flask, Response, current_app, request
from flask_limiter import Limiter, RateLimitExceeded

from plugin.errors import error_response
from plugin.http.client_address import client_address

EXTENSION = "encore_limiter"
SIGN_IN_ENDPOINTS = frozenset({"admin.login_submit", "admin.demo_login"})
REFUSED = frozenset({400, 401, 403, 404})


def shopify_shop() -> str:
    """The shop a Shopify webhook names (checked against the signature by the view)."""
    shop = request.headers.get("X-Shopify-Shop-Domain") or request.headers.get(
        "shopify-shop-domain", ""
    )
    return "shop:" + shop.strip().lower()[:255]


def path_store() -> str:
    """The store id in the path (WooCommerce webhooks and order blocks)."""
    return "store:" + str((request.view_args or {}).get("store_id", ""))[:64]


def token_shop() -> str:
    """The shop a storefront session token names (the view verifies the token)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return "-"
    try:
        claims = jwt.decode(token.strip(), options={"verify_signature": False})
    except jwt.PyJWTError:
        return "-"
    dest = claims.get("dest") if isinstance(claims, dict) else None
    return str(dest or "-").removeprefix("https://")[:255]


def storefront_caller() -> str:
    shop = token_shop() if "store_id" not in (request.view_args or {}) else path_store()
    return f"{shop}|{client_address()}"


def proxy_caller() -> str:
    return f"{request.args.get('shop', '-')[:255]}|{client_address()}"


def accepted(response: Response) -> bool:
    return response.status_code < 400


def refused(response: Response) -> bool:
    return response.status_code in REFUSED


def not_signing_in() -> bool:
    return request.endpoint not in SIGN_IN_ENDPOINTS or request.method != "POST"


@dataclass(frozen=True)
class Rule:
    """One limit on one blueprint: which config key holds it and what it counts."""

    blueprint: str
    setting: str
    key: Callable[[], str]
    scope: str
    deduct_when: Callable[[Response], bool] | None = None
    exempt_when: Callable[[], bool] | None = None


RULES = (
    Rule("shopify_webhooks", "RATELIMIT_WEBHOOKS", shopify_shop, "deliveries", accepted),
    Rule("shopify_webhooks", "RATELIMIT_WEBHOOK_REJECTS", client_address, "refused", refused),
    Rule("woocommerce_webhooks", "RATELIMIT_WEBHOOKS", path_store, "deliveries", accepted),
    Rule("woocommerce_webhooks", "RATELIMIT_WEBHOOK_REJECTS", client_address, "refused", refused),
    Rule("shopify_auth", "RATELIMIT_AUTH", client_address, "auth"),
    Rule("woocommerce_auth", "RATELIMIT_AUTH", client_address, "auth"),
    Rule("storefront_shopify", "RATELIMIT_STOREFRONT", storefront_caller, "storefront"),
    Rule("storefront_events", "RATELIMIT_STOREFRONT", storefront_caller, "storefront"),
    Rule("storefront_woocommerce", "RATELIMIT_STOREFRONT", storefront_caller, "storefront"),
    Rule("storefront_app_proxy", "RATELIMIT_APP_PROXY", proxy_caller, "proxy"),
    Rule("storefront_tracking_page", "RATELIMIT_TRACKING_PAGE", client_address, "tracking"),
    Rule("admin", "RATELIMIT_ADMIN", client_address, "admin"),
    Rule(
        "admin",
        "RATELIMIT_ADMIN_LOGIN",
        client_address,
        "sign-in",
        exempt_when=not_signing_in,
    ),
)


def _setting(key: str) -> Callable[[], str]:
    return lambda: str(current_app.config[key])


def storage_uri(config: Mapping[str, Any]) -> str:
    """Redis when configured (RATELIMIT_STORAGE_URI, else REDIS_URL), else process memory."""
    return str(config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://")


def too_many_requests(error: RateLimitExceeded) -> tuple[Response, int]:
    limiter: Limiter = current_app.extensions[EXTENSION]
    current = limiter.current_limit
    wait = 1
    if current is not None:
        wait = max(1, math.ceil(current.reset_at - time.time()))
    response, status = error_response(
        429,
        "rate_limited",
        f"Too many requests ({error.description}); wait {wait} seconds, then try again.",
    )
    response.headers["Retry-After"] = str(wait)
    return response, status


def init_rate_limits(app: Flask) -> Limiter:
    """Attach the limiter and every rule; RATELIMIT_ENABLED=false turns them all off."""
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config)
    limiter = Limiter(
        key_func=client_address,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        key_prefix=str(app.config.get("RATELIMIT_KEY_PREFIX") or "encore"),
        # An unreachable Redis must not take the shop down: count in memory meanwhile.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        headers_enabled=False,
    )
    for rule in RULES:
        blueprint = app.blueprints.get(rule.blueprint)
        if not isinstance(blueprint, Blueprint):
            continue
        limiter.limit(
            _setting(rule.setting),
            key_func=rule.key,
            scope=rule.scope,
            deduct_when=rule.deduct_when,
            exempt_when=rule.exempt_when,
        )(blueprint)
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    return limiter
