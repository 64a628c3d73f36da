"""The demo store's storefront blocks, rendered from the same code the real endpoints run.

`/demo/orders/<id>/thank-you` and `/demo/orders/<id>/order-status` compute offers and tracking
with `plugin.storefront.surface` (recording a real impression) and draw them as the Shopify
extensions would, next to the JSON those extensions receive.
"""

from __future__ import annotations

import json

from flask import render_template

from plugin.db import session
from plugin.demo.store import find_demo_store
from plugin.errors import ApiError
from plugin.models import Surface
from plugin.storefront import presentation
from plugin.storefront.branding import Branding
from plugin.storefront.surface import answer, compute_facts
from plugin.web import listings
from plugin.web.demo_pages import bp

SURFACES = {
    "thank-you": (Surface.THANK_YOU, "Thank-you page", False),
    "order-status": (Surface.ORDER_STATUS, "Order-status page", True),
}


@bp.get("/orders/<platform_order_id>/<any('thank-you', 'order-status'):surface_name>")
def block_preview(platform_order_id: str, surface_name: str) -> str:
    db = session()
    store = find_demo_store(db)
    order = listings.find_order(db, store, platform_order_id) if store is not None else None
    if store is None or order is None:
        raise ApiError(404, "order_not_found", f"The demo store has no order {platform_order_id}.")
    surface, title, with_tracking = SURFACES[surface_name]
    facts = compute_facts(
        db,
        store,
        order=order,
        platform_order_id=order.platform_order_id,
        with_tracking=with_tracking,
    )
    body = answer(db, store, surface, facts)
    db.commit()
    return render_template(
        "demo/block_preview.html",
        store=store,
        order=order,
        title=title,
        surface_name=surface_name,
        answer=body,
        in_holdout=facts.in_holdout,
        answer_json=json.dumps(body, indent=2),
        brand=Branding.of(store),
        clock=presentation.Clock(store.timezone),
        fmt=presentation,
    )
