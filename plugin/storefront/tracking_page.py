"""`GET /t/<token>`: Encore's branded tracking page, the link in shipping emails and texts.

The token is the only credential (unguessable, one per order). The page is self-contained: no
external stylesheet, script or font, so it loads fast on a phone and leaks nothing to others.
"""

from __future__ import annotations

import re
import secrets

from flask import Blueprint, Response, url_for

from plugin.db import session
from plugin.models import Surface
from plugin.storefront import presentation
from plugin.storefront.branding import Branding
from plugin.storefront.orders import load_order_by_tracking_token
from plugin.storefront.rendering import render_html
from plugin.storefront.stores import installed_store_by_id
from plugin.storefront.surface import answer, compute_facts, remember_facts, remembered_facts

bp = Blueprint("storefront_tracking_page", __name__)

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _page_headers(response: Response, nonce: str | None = None) -> Response:
    # The token is in the URL: never send it on as a Referer (e.g. to the shop's cart).
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    script = f"'nonce-{nonce}'" if nonce else "'none'"
    # Styles stay inline-only (a nonce would make browsers ignore style attributes).
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; "
        f"script-src {script}; connect-src 'self'; form-action 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )
    return response


def not_found_page() -> Response:
    return _page_headers(Response(render_html("storefront/not_found.html"), status=404))


@bp.get("/t/<token>")
def tracking_page(token: str) -> Response:
    db = session()
    order = load_order_by_tracking_token(db, token) if TOKEN_SHAPE.fullmatch(token) else None
    store = installed_store_by_id(db, order.store_id) if order is not None else None
    if order is None or store is None:
        return not_found_page()

    facts = remembered_facts(store, Surface.TRACKING_PAGE, order.platform_order_id)
    if facts is None:
        facts = compute_facts(
            db, store, order=order, platform_order_id=order.platform_order_id, with_tracking=True
        )
        remember_facts(store, Surface.TRACKING_PAGE, order.platform_order_id, facts)
    body = answer(db, store, Surface.TRACKING_PAGE, facts)

    nonce = secrets.token_urlsafe(16)
    html = render_html(
        "storefront/tracking_page.html",
        answer=body,
        order=order,
        brand=Branding.of(store),
        clock=presentation.Clock(store.timezone),
        fmt=presentation,
        events_url=url_for("storefront_events.offer_event"),
        tracking_token=token,
        nonce=nonce,
    )
    return _page_headers(Response(html, mimetype="text/html"), nonce)
