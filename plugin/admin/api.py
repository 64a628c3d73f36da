"""`/admin/api/...`: the JSON behind the admin pages, one error shape for every refusal.

Writes validate everything first (marshmallow, then the store's own catalog) and change
nothing when any part is wrong.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from flask.wrappers import Response
from sqlalchemy import select

from plugin.admin import previews
from plugin.admin.access import current_principal, store_for, stores_of
from plugin.admin.blueprint import bp
from plugin.admin.health import dead_letter_ids, health_report
from plugin.admin.periods import requested_period
from plugin.admin.schemas import (
    DashboardOut,
    DeadLetterReplay,
    HealthOut,
    NotificationPreview,
    NotificationTest,
    ProductSearch,
    StoreOut,
)
from plugin.admin.settings_schema import StoreSettingsPatch, apply_patch
from plugin.admin.settings_view import effective_settings
from plugin.analytics.dashboard import build_dashboard
from plugin.analytics.sources import optional
from plugin.db import session
from plugin.errors import ApiError
from plugin.http.bodies import reject_non_json_body
from plugin.jobs.dispatch import hand_to_broker
from plugin.jobs.queue import replay_dead_letters
from plugin.models import Product, Store, utcnow

SEARCH_RESULTS = 20


def _store(store_id: str) -> Store:
    return store_for(session(), current_principal(), store_id)


def _json_body() -> dict[str, Any]:
    reject_non_json_body()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(
            400, "invalid_json", "Send a JSON object with Content-Type: application/json."
        )
    return body


def _holdout_default() -> float:
    return float(current_app.config["HOLDOUT_SHARE"])


@bp.get("/api/stores")
def api_stores() -> Response:
    stores = stores_of(session(), current_principal())
    return jsonify({"stores": StoreOut(many=True).dump(stores)})


@bp.get("/api/stores/<store_id>/settings")
def api_settings(store_id: str) -> Response:
    store = _store(store_id)
    return jsonify({"settings": effective_settings(store, _holdout_default())})


@bp.patch("/api/stores/<store_id>/settings")
def api_update_settings(store_id: str) -> Response:
    store = _store(store_id)
    patch = StoreSettingsPatch().load(_json_body())
    _check_products_exist(store, patch)
    db = session()
    store.settings = apply_patch(dict(store.settings or {}), patch)
    db.commit()
    return jsonify({"settings": effective_settings(store, _holdout_default())})


def _check_products_exist(store: Store, patch: dict[str, Any]) -> None:
    """Pinned, trigger and excluded products must be products of this store."""
    wanted: dict[str, list[str]] = {}
    for index, pin in enumerate(patch.get("pinned_offers") or []):
        for product_id in [pin["product_id"], *pin.get("trigger_product_ids", [])]:
            wanted.setdefault(product_id, []).append(f"pinned_offers.{index}")
    for product_id in patch.get("excluded_product_ids") or []:
        wanted.setdefault(product_id, []).append("excluded_product_ids")
    if not wanted:
        return
    known = set(
        session().scalars(
            select(Product.platform_product_id).where(
                Product.store_id == store.id, Product.platform_product_id.in_(list(wanted))
            )
        )
    )
    problems: dict[str, list[str]] = {}
    for product_id, places in wanted.items():
        if product_id not in known:
            for place in places:
                problems.setdefault(place, []).append(f"No product {product_id} in this store.")
    if problems:
        raise ApiError(400, "unknown_product", "Some products are not in this store.", problems)


@bp.get("/api/stores/<store_id>/products")
def api_products(store_id: str) -> Response:
    """Products whose title or id matches `q`, for the offers form's pickers."""
    store = _store(store_id)
    query = ProductSearch().load(request.args.to_dict())["q"].strip()
    statement = select(Product.platform_product_id, Product.title).where(
        Product.store_id == store.id
    )
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(
            (Product.title.ilike(like)) | (Product.platform_product_id == query)
        )
    rows = session().execute(statement.order_by(Product.title, Product.id).limit(SEARCH_RESULTS))
    return jsonify({"products": [{"product_id": p, "title": t} for p, t in rows]})


@bp.get("/api/stores/<store_id>/dashboard")
def api_dashboard(store_id: str) -> Response:
    store = _store(store_id)
    now = utcnow()
    period = requested_period(request.args, store, now)
    return jsonify(DashboardOut().dump(build_dashboard(session(), store, period, now)))


@bp.get("/api/stores/<store_id>/health")
def api_health(store_id: str) -> Response:
    store = _store(store_id)
    report = health_report(session(), store, utcnow(), current_app.config)
    return jsonify(HealthOut().dump(report))


@bp.post("/api/stores/<store_id>/dead-letters/replay")
def api_replay(store_id: str) -> Response:
    """Give this store's dead letters (named, or all) a fresh set of tries."""
    store = _store(store_id)
    wanted = DeadLetterReplay().load(_json_body())
    db = session()
    dead = set(dead_letter_ids(db, store))
    if wanted["all"]:
        ids = sorted(dead)
    else:
        ids = sorted(set(wanted["ids"]))
        unknown = [event_id for event_id in ids if event_id not in dead]
        if unknown:
            raise ApiError(
                404,
                "dead_letter_not_found",
                "Some of these are not dead letters of this store.",
                {"ids": [f"No dead letter {event_id}." for event_id in unknown]},
            )
    replayed = replay_dead_letters(db, ids)
    hand_to_broker(replayed)
    return jsonify({"replayed": len(replayed)})


@bp.post("/api/stores/<store_id>/preview/branding")
def api_preview_branding(store_id: str) -> Response:
    """The block and tracking page with these (unsaved) settings over the saved ones."""
    store = _store(store_id)
    patch = StoreSettingsPatch().load(_json_body())
    settings = apply_patch(dict(store.settings or {}), patch)
    return jsonify(previews.branding_preview(session(), store, settings))


@bp.post("/api/stores/<store_id>/preview/notification")
def api_preview_notification(store_id: str) -> Response:
    store = _store(store_id)
    wanted = NotificationPreview().load(_json_body())
    return jsonify(
        previews.notification_preview(
            store,
            dict(store.settings or {}),
            wanted["milestone"],
            wanted["subject"],
            wanted["body"],
        )
    )


@bp.post("/api/stores/<store_id>/notifications/test")
def api_send_test(store_id: str) -> Response:
    store = _store(store_id)
    wanted = NotificationTest().load(_json_body())
    send = optional("plugin.notifications", "send_test_notification")
    failure = optional("plugin.notifications", "NotificationError")
    if send is None or failure is None:
        raise ApiError(
            503, "notifications_unavailable", "Notifications are not part of this installation."
        )
    try:
        send(session(), store, wanted["channel"], wanted["milestone"], wanted["recipient"].strip())
    except failure as exc:
        raise ApiError(422, "notification_not_sent", str(exc)) from exc
    return jsonify(
        {"sent": True, "channel": wanted["channel"], "recipient": wanted["recipient"].strip()}
    )
