"""The home page: what Encore is, and the demo store it is showing."""

from __future__ import annotations

from flask import Blueprint, render_template

from plugin.db import session
from plugin.demo.store import find_demo_store
from plugin.tracking.status import TrackingStatus
from plugin.web import demo_blocks, demo_pages
from plugin.web.figures import PARCEL_JOURNEY, store_figures
from plugin.web.formatting import template_helpers
from plugin.web.listings import latest_order

bp = Blueprint("home", __name__)
bp.context_processor(template_helpers)
bp.register_blueprint(demo_pages.bp)  # /demo/… pages live under this blueprint
assert demo_blocks.SURFACES  # its block previews are routes on demo_pages.bp


@bp.get("/")
def index() -> str:
    db = session()
    store = find_demo_store(db)
    if store is None:
        return render_template("home.html", store=None)
    newest = latest_order(db, store)
    moving = (
        latest_order(db, store, TrackingStatus.OUT_FOR_DELIVERY)
        or latest_order(db, store, TrackingStatus.IN_TRANSIT)
        or newest
    )
    return render_template(
        "home.html",
        store=store,
        figures=store_figures(db, store),
        parcel_journey=PARCEL_JOURNEY,
        newest_order=newest,
        moving_order=moving,
    )
