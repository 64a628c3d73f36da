"""The Shopify thank-you and order-status extensions' backend.

`GET /api/storefront/thank-you` and `GET /api/storefront/order-status`, both with
`?order_id=<gid://shopify/OrderIdentity/N | gid://shopify/Order/N | N>&product_ids=<a,b>` and
`Authorization: Bearer <session token>`. CORS comes from `cors.py`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session

from plugin.db import session
from plugin.errors import ApiError
from plugin.models import Platform, Store, Surface
from plugin.schemas import ShopifyBlockQuerySchema
from plugin.storefront.late_orders import fetch_late_order
from plugin.storefront.orders import belongs_to_another_store, load_order
from plugin.storefront.shopify_session import extension_session
from plugin.storefront.stores import installed_store
from plugin.storefront.surface import (
    SurfaceFacts,
    answer,
    compute_facts,
    remember_facts,
    remembered_facts,
)

bp = Blueprint("storefront_shopify", __name__, url_prefix="/api/storefront")

ORDER_NOT_FOUND = "No such order in this shop."


@bp.get("/thank-you")
def thank_you() -> tuple[Response, int]:
    return _block(Surface.THANK_YOU)


@bp.get("/order-status")
def order_status() -> tuple[Response, int]:
    return _block(Surface.ORDER_STATUS)


def _block(surface: Surface) -> tuple[Response, int]:
    token = extension_session()
    query: dict[str, Any] = ShopifyBlockQuerySchema().load(request.args.to_dict())
    db = session()
    store = installed_store(db, Platform.SHOPIFY, token.shop)
    order_id: str = query["order_id"]
    cart: list[str] = query["product_ids"]

    facts = remembered_facts(store, surface, order_id, cart)
    if facts is None:
        facts = _facts(db, store, surface, order_id, cart)
        remember_facts(store, surface, order_id, facts, cart)
    # A logged-in shopper sees only their own orders (checked on every answer, cached or not).
    known_order = facts.order_id is not None
    if token.customer_id and known_order and facts.order_customer_id != token.customer_id:
        raise ApiError(404, "order_not_found", ORDER_NOT_FOUND)
    return jsonify(answer(db, store, surface, facts, token.customer_id)), 200


def _facts(
    db: Session, store: Store, surface: Surface, order_id: str, cart: list[str]
) -> SurfaceFacts:
    with_tracking = surface == Surface.ORDER_STATUS
    order = load_order(db, store, order_id, with_tracking)
    if order is None:
        if belongs_to_another_store(db, store, order_id):
            raise ApiError(404, "order_not_found", ORDER_NOT_FOUND)
        order = fetch_late_order(db, store, order_id)
    return compute_facts(
        db,
        store,
        order=order,
        platform_order_id=order_id,
        cart_product_ids=cart,
        with_tracking=with_tracking,
    )
