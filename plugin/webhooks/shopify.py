"""POST /webhooks/shopify: verify, store in the inbox, commit, answer. No work happens here."""

from __future__ import annotations

import hashlib
import logging

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import select

from plugin.auth.shopify_oauth import is_valid_shop_domain
from plugin.db import session
from plugin.errors import ApiError
from plugin.jobs.dispatch import after_commit
from plugin.jobs.queue import enqueue
from plugin.jobs.shopify_events import KIND
from plugin.models import Platform, Store
from plugin.webhooks.signatures import verify_base64_hmac

log = logging.getLogger(__name__)

bp = Blueprint("shopify_webhooks", __name__)


def _header(name: str) -> str | None:
    """Shopify sends `X-Shopify-*` headers; newer deliveries may use unprefixed `shopify-*`."""
    return request.headers.get(f"X-Shopify-{name}") or request.headers.get(f"shopify-{name}")


@bp.post("/webhooks/shopify")
def receive_shopify_webhook() -> tuple[Response, int]:
    secret = current_app.config["SHOPIFY_API_SECRET"]
    body = request.get_data(cache=False)
    if not secret or not verify_base64_hmac(body, _header("Hmac-Sha256"), secret):
        raise ApiError(401, "invalid_signature", "The webhook signature does not verify.")

    topic = (_header("Topic") or "").strip()
    shop = (_header("Shop-Domain") or "").strip().lower()
    if not topic or not is_valid_shop_domain(shop):
        raise ApiError(
            400,
            "invalid_headers",
            "X-Shopify-Topic and a valid X-Shopify-Shop-Domain are required.",
        )
    delivery_id = _header("Event-Id") or _header("Webhook-Id")
    if not delivery_id:
        # No id header at all: the same body on the same topic is the same event.
        delivery_id = "sha256-" + hashlib.sha256(body).hexdigest()

    db = session()
    store_id = db.scalar(
        select(Store.id).where(Store.platform == Platform.SHOPIFY, Store.domain == shop)
    )
    event = enqueue(
        db,
        kind=KIND,
        topic=topic,
        event_key=f"shopify:{shop}:{topic}:{delivery_id}",
        body=body.decode("utf-8", errors="replace"),
        store_id=store_id,
        shop_domain=shop,
        headers={
            "api_version": _header("API-Version"),
            "webhook_id": _header("Webhook-Id"),
            "event_id": _header("Event-Id"),
            "triggered_at": _header("Triggered-At"),
        },
    )
    if event is None:
        return jsonify({"status": "duplicate"}), 200
    after_commit(event)
    return jsonify({"status": "accepted"}), 200
