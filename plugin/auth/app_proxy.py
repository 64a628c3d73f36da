"""Shopify app proxy signatures: the `signature` Shopify adds to every proxied request.

Unlike the OAuth `hmac`, the signed text has no `&` between parameters, and a parameter that
appears several times is written once with its values joined by commas.
"""

from __future__ import annotations

import hashlib
import hmac

from werkzeug.datastructures import MultiDict


def proxy_message(params: MultiDict[str, str]) -> str:
    """Every parameter but `signature`, sorted by key, as `key=value`, concatenated."""
    return "".join(
        f"{key}={','.join(params.getlist(key))}"
        for key in sorted(set(params.keys()))
        if key != "signature"
    )


def proxy_signature(params: MultiDict[str, str], secret: str) -> str:
    message = proxy_message(params).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_proxy_signature(params: MultiDict[str, str], secret: str | None) -> bool:
    """Constant-time check of the hex HMAC-SHA256 in `signature`."""
    signature = params.get("signature")
    if not signature or not secret:
        return False
    return hmac.compare_digest(proxy_signature(params, secret), signature.strip().lower())
