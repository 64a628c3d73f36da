"""POST /webhooks/woocommerce/<store_id>: verify, store in the inbox, commit, answer.

Each webhook has its own secret: `X-WC-Webhook-ID` says which one signed the body. The
unsigned form body `webhook_id=N` is WooCommerce's ping when a webhook is created; it needs
exactly 200 and leaves nothing behind. WooCommerce derives `X-WC-Webhook-Delivery-ID` from the
webhook id and the current second, so two deliveries in one second share it: the resource id
and its modified date complete the dedupe key.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from plugin.crypto import unseal
from plugin.db import session
from plugin.errors import ApiError
from plugin.jobs.dispatch import after_commit
from plugin.jobs.queue import enqueue
from plugin.jobs.woocommerce_events import WEBHOOK_KIND
from plugin.models import Platform, Store, StoreStatus, WebhookSubscription
from plugin.webhooks.signatures import verify_base64_hmac

bp = Blueprint("woocommerce_webhooks", __name__)

PING = re.compile(rb"^webhook_id=\d{1,20}$")
MAX_KEY_PART = 64


def _header(name: str) -> str:
    return (request.headers.get(f"X-WC-Webhook-{name}") or "").strip()


def _is_ping(body: bytes) -> bool:
    return not _header("Signature") and PING.match(body.strip()) is not None


def _invalid_signature() -> ApiError:
    return ApiError(401, "invalid_signature", "The webhook signature does not verify.")


def _secret(store: Store, webhook_id: str) -> str | None:
    if not webhook_id.isdigit():
        return None
    sealed = session().scalar(
        select(WebhookSubscription.secret_sealed).where(
            WebhookSubscription.store_id == store.id,
            WebhookSubscription.platform_subscription_id == webhook_id,
        )
    )
    return unseal(sealed) if sealed else None


def _key_part(value: Any) -> str:
    text = str(value if value not in (None, "") else "-")
    if len(text) > MAX_KEY_PART:
        return "sha256-" + hashlib.sha256(text.encode()).hexdigest()[:32]
    return text


def _resource_version(body: bytes) -> tuple[Any, Any]:
    """(id, date_modified_gmt) of the delivered resource; a body that is not JSON is
    stored anyway (the job dead-letters it), keyed by its hash."""
    try:
        payload = json.loads(body)
    except ValueError:
        return hashlib.sha256(body).hexdigest(), None
    if not isinstance(payload, dict):
        return hashlib.sha256(body).hexdigest(), None
    return payload.get("id"), payload.get("date_modified_gmt") or payload.get("date_modified")


@bp.post("/webhooks/woocommerce/<store_id>")
def receive_woocommerce_webhook(store_id: str) -> tuple[Response, int]:
    db = session()
    store = db.scalar(
        select(Store).where(
            Store.public_id == store_id[:64],
            Store.platform == Platform.WOOCOMMERCE,
            Store.status == StoreStatus.INSTALLED,
        )
    )
    if store is None:
        raise ApiError(404, "store_not_found", "No connected WooCommerce store has this id.")
    body = request.get_data(cache=False)
    if _is_ping(body):
        return jsonify({"status": "pong"}), 200

    webhook_id = _header("ID")
    secret = _secret(store, webhook_id)
    if secret is None or not verify_base64_hmac(body, _header("Signature"), secret):
        raise _invalid_signature()
    topic = _header("Topic")
    if not topic:
        raise ApiError(400, "invalid_headers", "X-WC-Webhook-Topic is required.")

    resource_id, modified = _resource_version(body)
    delivery_id = _header("Delivery-ID") or "sha256-" + hashlib.sha256(body).hexdigest()[:32]
    key = ":".join(_key_part(p) for p in (delivery_id, resource_id, modified))
    event = enqueue(
        db,
        kind=WEBHOOK_KIND,
        topic=topic[:64],
        event_key=f"woocommerce:{store.id}:{key}",
        body=body.decode("utf-8", errors="replace"),
        store_id=store.id,
        shop_domain=store.domain,
        headers={
            "webhook_id": webhook_id,
            "delivery_id": _header("Delivery-ID") or None,
            "resource": _header("Resource") or None,
            "event": _header("Event") or None,
            "source": _header("Source") or None,
        },
    )
    if event is None:
        return jsonify({"status": "duplicate"}), 200
    after_commit(event)
    return jsonify({"status": "accepted"}), 200
