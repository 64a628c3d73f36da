"""Security headers on every response, with a Content-Security-Policy per kind of page.

Pages that know better set their own policy first and keep it: the admin (framed only by its
shop's admin, `admin/blueprint.py`) and the tracking page (`storefront/tracking_page.py`, a
nonce for its one script). Everything else gets a default here:

- HTML (home, demo, connect pages): only Encore's own assets, inline styles, data: images;
- JSON and other data: nothing may load or frame it (storefront blocks still read it through
  CORS, which CSP does not restrict);
- `application/liquid` (app proxy): no policy, because Shopify renders it inside the shop's
  theme, whose scripts and styles are the shop's business.
"""

from __future__ import annotations

from flask import Flask, Response, current_app

LIQUID = "application/liquid"
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


def policy_for(response: Response) -> str | None:
    """The default Content-Security-Policy for this response's content type."""
    if response.mimetype == LIQUID:
        return None
    if response.mimetype == "text/html":
        return PAGE_POLICY
    return DATA_POLICY


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    policy = policy_for(response)
    if policy is not None:
        headers.setdefault("Content-Security-Policy", policy)
    config = current_app.config
    max_age = int(config.get("HSTS_SECONDS") or 0)
    if max_age > 0 and str(config.get("APP_URL", "")).startswith("https://"):
        headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    return response


def init_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
