"""The session token a Shopify checkout or customer-account extension sends with each call."""

from __future__ import annotations

from flask import current_app, request

from plugin.auth.session_token import (
    SessionToken,
    SessionTokenError,
    bearer_token,
    verify_session_token,
)
from plugin.errors import ApiError


def extension_session() -> SessionToken:
    """The verified token of this request, else a 401 (one message: no hint which check failed)."""
    config = current_app.config
    try:
        return verify_session_token(
            bearer_token(request.headers.get("Authorization")),
            api_key=str(config.get("SHOPIFY_API_KEY") or ""),
            api_secret=str(config.get("SHOPIFY_API_SECRET") or ""),
        )
    except SessionTokenError as exc:
        raise ApiError(
            401,
            "invalid_session_token",
            "Send the extension's session token (shopify.sessionToken.get()) as "
            "Authorization: Bearer <token>.",
        ) from exc
