"""`GET /api/storefront/woocommerce/<store_id>/orders/<order_id>?key=<order_key>`.

Called by the companion plugin (server side) or the shopper's browser on the order-received and
view-order pages. The order key WooCommerce gave the shopper is the credential: a wrong key, an
unknown order and an unknown store all answer the same 404. JSON like the Shopify order-status
endpoint, or an HTML fragment when the `Accept` header prefers HTML.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session

from plugin.db import session
from plugin.errors import ApiError
from plugin.models import Order, Platform, Store, Surface
from plugin.storefront import presentation
from plugin.storefront.branding import Branding
from plugin.storefront.orders import load_order
from plugin.storefront.rendering import render_html
from plugin.storefront.stores import installed_store_by_public_id
from plugin.storefront.surface import answer, compute_facts, remember_facts, remembered_facts

bp = Blueprint("storefront_woocommerce", __name__, url_prefix="/api/storefront/woocommerce")

MAX_ID_LENGTH = 64


def _not_found() -> ApiError:
    return ApiError(404, "order_not_found", "No such order, or the order key does not match.")


@bp.get("/<store_id>/orders/<order_id>")
def order_block(store_id: str, order_id: str) -> Response:
    db = session()
    store, order = _authorized_order(db, store_id, order_id, request.args.get("key", ""))
    facts = remembered_facts(store, Surface.WOOCOMMERCE, order.platform_order_id)
    if facts is None:
        facts = compute_facts(
            db, store, order=order, platform_order_id=order.platform_order_id, with_tracking=True
        )
        remember_facts(store, Surface.WOOCOMMERCE, order.platform_order_id, facts)
    body = answer(db, store, Surface.WOOCOMMERCE, facts)
    response = _as_html(store, body) if _prefers_html() else jsonify(body)
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _authorized_order(db: Session, store_id: str, order_id: str, key: str) -> tuple[Store, Order]:
    if not key or len(store_id) > MAX_ID_LENGTH or len(order_id) > MAX_ID_LENGTH:
        raise _not_found()
    store = installed_store_by_public_id(db, store_id)
    if store is None or store.platform != Platform.WOOCOMMERCE:
        raise _not_found()
    order = load_order(db, store, order_id)
    expected = order.order_key if order is not None else None
    # Compared in constant time, so response timing does not reveal how much of a key was right.
    if order is None or not expected or not hmac.compare_digest(expected.encode(), key.encode()):
        raise _not_found()
    return store, order


def _prefers_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def _as_html(store: Store, body: dict[str, Any]) -> Response:
    html = render_html(
        "storefront/woocommerce_block.html",
        answer=body,
        brand=Branding.of(store),
        clock=presentation.Clock(store.timezone),
        fmt=presentation,
    )
    return Response(html, mimetype="text/html")
