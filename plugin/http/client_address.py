"""Who is calling: the client's address, without trusting headers the client wrote itself."""

from __future__ import annotations

from flask import current_app, request

APP_PROXY_PREFIX = "/proxy/"


def forwarded_address(hops: int) -> str:
    """The address `hops` entries from the right of X-Forwarded-For, else the peer's address.

    Each trusted proxy appends the address it saw, so entries further left were written by the
    client and could be forged to dodge a limit.
    """
    if hops <= 0:
        return request.remote_addr or "unknown"
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) >= hops:
        return forwarded[-hops][:64]
    return request.remote_addr or "unknown"


def client_address() -> str:
    """The caller's address; through the app proxy, the shopper's as Shopify saw it."""
    config = current_app.config
    if request.path.startswith(APP_PROXY_PREFIX):
        return forwarded_address(max(1, int(config.get("APP_PROXY_FORWARDED_HOPS", 1))))
    return forwarded_address(int(config.get("TRUSTED_PROXY_HOPS", 0)))
