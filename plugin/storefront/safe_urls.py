"""Only web links reach a shopper's page: a `javascript:` or `data:` URL never does."""

from __future__ import annotations

from urllib.parse import urlsplit


def web_url(value: object) -> str | None:
    """`value` when it is an absolute http(s) URL without spaces or quotes, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > 2048 or any(ch in url for ch in " \"'<>\\\n\r\t"):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return None
    return url
