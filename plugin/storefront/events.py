"""`POST /api/storefront/events`: a surface reports that an offer was viewed, clicked or dismissed.

Body (JSON): `{"impression_id", "offer_id", "type": "view" | "click" | "dismiss"}`, plus the
credential of the surface that showed the impression, the same one that surface used to load:

- Shopify thank-you and order-status extensions: `Authorization: Bearer <session token>`;
  the impression must belong to the token's shop.
- WooCommerce order block: `"order_key"` in the body, the key of the impression's order.
- Encore's tracking page (`/t/<token>`): `"tracking_token"` in the body, that page's token.

Pages served through the Shopify app proxy send their events to `/apps/encore/events`, which
Shopify signs (see `app_proxy.py`). A missing credential is 401; a credential that does not
match the impression is 404, like an unknown impression, so ids cannot be probed. Repeats are
answered 200 and store nothing new: `{"status": "recorded" | "duplicate"}`.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session

from plugin.db import session
from plugin.errors import ApiError
from plugin.http.bodies import json_body
from plugin.models import Impression, Order, Platform, Store, Surface
from plugin.schemas import OfferEventSchema
from plugin.storefront.offer_events import find_impression, impression_not_found, record_offer_event
from plugin.storefront.shopify_session import extension_session

bp = Blueprint("storefront_events", __name__, url_prefix="/api/storefront")

SHOPIFY_SURFACES = {Surface.THANK_YOU.value, Surface.ORDER_STATUS.value}


def read_event(payload: Any) -> dict[str, Any]:
    """The validated event body (400 for anything else)."""
    if not isinstance(payload, dict):
        raise ApiError(
            400, "invalid_input", "Send a JSON object with impression_id, offer_id, type."
        )
    data: dict[str, Any] = OfferEventSchema().load(payload)
    return data


@bp.post("/events")
@json_body
def offer_event() -> tuple[Response, int]:
    event = read_event(request.get_json(silent=True))
    db = session()
    impression = find_impression(db, event["impression_id"])
    if impression is None:
        raise impression_not_found()
    _authorize(db, impression, event)
    stored = record_offer_event(db, impression, event["offer_id"], event["type"])
    return jsonify({"status": "recorded" if stored else "duplicate"}), 200


def _authorize(db: Session, impression: Impression, event: dict[str, Any]) -> None:
    if impression.surface in SHOPIFY_SURFACES:
        token = extension_session()
        store = db.get(Store, impression.store_id)
        if store is None or store.platform != Platform.SHOPIFY or store.domain != token.shop:
            raise impression_not_found()
        return
    if impression.surface == Surface.WOOCOMMERCE.value:
        _require_order_secret(db, impression, event.get("order_key"), "order_key")
        return
    if impression.surface == Surface.TRACKING_PAGE.value:
        _require_order_secret(db, impression, event.get("tracking_token"), "tracking_token")
        return
    raise impression_not_found()  # app-proxy impressions report through the signed proxy


def _require_order_secret(
    db: Session, impression: Impression, given: str | None, field: str
) -> None:
    if not given:
        raise ApiError(401, f"missing_{field}", f"Send the {field} of the order in the body.")
    order = db.get(Order, impression.order_id) if impression.order_id is not None else None
    expected = getattr(order, field, None) if order is not None else None
    if not expected or not hmac.compare_digest(str(expected).encode(), given.encode()):
        raise impression_not_found()
