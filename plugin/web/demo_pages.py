"""The demo store's pages: products, orders, one order with its parcels, the webhook log."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from plugin.db import session
from plugin.demo.store import find_demo_store
from plugin.errors import ApiError
from plugin.jobs.queue import count_by_status
from plugin.web import listings
from plugin.web.formatting import template_helpers

bp = Blueprint("demo", __name__, url_prefix="/demo")
bp.context_processor(template_helpers)


@bp.get("/products")
def products() -> str:
    db = session()
    store = find_demo_store(db)
    if store is None:
        return render_template("demo/products.html", store=None)
    sort = request.args.get("sort", listings.PRODUCT_SORTS[0])
    if sort not in listings.PRODUCT_SORTS:
        sort = listings.PRODUCT_SORTS[0]
    product_type = request.args.get("type") or None
    return render_template(
        "demo/products.html",
        store=store,
        page=listings.product_page(db, store, sort=sort, product_type=product_type),
        sort=sort,
        sorts=listings.PRODUCT_SORTS,
        product_type=product_type,
        product_types=listings.product_types(db, store),
    )


@bp.get("/orders")
def orders() -> str:
    db = session()
    store = find_demo_store(db)
    if store is None:
        return render_template("demo/orders.html", store=None)
    return render_template(
        "demo/orders.html",
        store=store,
        page=listings.order_page(db, store),
        shopper_name=listings.shopper_name,
    )


@bp.get("/orders/<platform_order_id>")
def order(platform_order_id: str) -> str:
    db = session()
    store = find_demo_store(db)
    found = listings.find_order(db, store, platform_order_id) if store is not None else None
    if store is None or found is None:
        raise ApiError(404, "order_not_found", f"The demo store has no order {platform_order_id}.")
    products = listings.products_by_id(
        db, store, [i.platform_product_id for i in found.line_items if i.platform_product_id]
    )
    subtotal = found.subtotal_price if found.subtotal_price is not None else found.total_price
    return render_template(
        "demo/order.html",
        store=store,
        order=found,
        shopper=listings.shopper_name(found.customer),
        products=products,
        shipping=found.total_price - subtotal,
        subtotal=subtotal,
        event=listings.event_for_order(db, f"demo:{found.platform_order_id}"),
    )


@bp.get("/webhooks")
def webhooks() -> str:
    db = session()
    return render_template(
        "demo/webhooks.html",
        page=listings.inbox_page(db),
        counts=count_by_status(db),
    )
