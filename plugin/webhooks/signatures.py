"""Webhook signatures: base64 HMAC-SHA256 of the raw body (Shopify and WooCommerce alike)."""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign_body(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify_base64_hmac(body: bytes, signature: str | None, secret: str) -> bool:
    """Constant-time check of a base64 HMAC-SHA256 signature over the raw body."""
    if not signature:
        return False
    return hmac.compare_digest(sign_body(body, secret).encode(), signature.strip().encode())
