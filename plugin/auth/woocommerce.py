"""WooCommerce connect (wc-auth): the merchant approves Encore on their own store.

`/auth/woocommerce?store_url=` sends the merchant to the store's approval screen with a
one-time state as `user_id`. After approval WooCommerce POSTs the new REST keys to the
callback and deletes them again unless the answer is exactly 200. The callback only checks,
stores and answers: webhooks and the import are a job, because the store waits for this
answer, and on a one-process store a call back into it from here would never be served.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template_string,
    request,
)
from marshmallow import EXCLUDE, Schema, fields, validate
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as Redirect

from plugin.db import session
from plugin.errors import ApiError
from plugin.jobs.dispatch import after_commit
from plugin.jobs.queue import enqueue
from plugin.jobs.woocommerce_events import CONNECT_KIND
from plugin.models import OAuthState, Platform, Store, StoreStatus, utcnow
from plugin.platforms.woocommerce_keys import save_keys

log = logging.getLogger(__name__)

bp = Blueprint("woocommerce_auth", __name__)

APP_NAME = "Encore"
# Logging in to WordPress and approving may take a while; after this the state is stale.
STATE_LIFETIME = timedelta(minutes=30)
STATE_RETENTION = timedelta(days=1)
SETTINGS_PAGE = "/wp-admin/options-general.php?page=encore-for-woocommerce"


class CallbackSchema(Schema):
    """What WooCommerce POSTs after the merchant approved (JSON)."""

    class Meta:
        unknown = EXCLUDE

    key_id = fields.Integer(required=True, strict=False)
    user_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    consumer_key = fields.String(
        required=True, validate=validate.Regexp(r"^ck_[A-Za-z0-9]{8,128}$")
    )
    consumer_secret = fields.String(
        required=True, validate=validate.Regexp(r"^cs_[A-Za-z0-9]{8,128}$")
    )
    key_permissions = fields.String(
        required=True,
        validate=validate.Equal("read_write", error="Encore needs read_write access."),
    )


def _endpoint(host: str | None, port: int | None, scheme: str) -> tuple[str, int]:
    return (host or "").lower().rstrip("."), port or (443 if scheme == "https" else 80)


def checked_store_url(raw: str) -> str:
    """The store's base URL, normalised; 400 for anything that is not a plain http(s) address
    of another host (an address of Encore itself would make it call itself)."""

    def invalid(message: str) -> ApiError:
        return ApiError(400, "invalid_store_url", message, {"store_url": [message]})

    raw = raw.strip()
    if not raw or len(raw) > 255:
        raise invalid("store_url must be the store's address, such as https://shop.example.")
    parts = urlsplit(raw)
    try:
        port = parts.port
    except ValueError as exc:
        raise invalid("store_url has an invalid port.") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid("store_url must start with https:// or http:// and name a host.")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise invalid("store_url must be the bare store address, without credentials or query.")
    target = _endpoint(parts.hostname, port, parts.scheme)
    app = urlsplit(current_app.config["APP_URL"])
    ours = {_endpoint(app.hostname, app.port, app.scheme)}
    here = urlsplit(f"{request.scheme}://{request.host}")
    ours.add(_endpoint(here.hostname, here.port, here.scheme))
    if target in ours:
        raise invalid("store_url points at Encore itself; use the WooCommerce store's address.")
    host = target[0] if port is None else f"{target[0]}:{port}"
    return f"{parts.scheme}://{host}{parts.path.rstrip('/')}"


@bp.get("/auth/woocommerce")
def begin_connect() -> Redirect:
    store_url = checked_store_url(request.args.get("store_url", ""))
    config = current_app.config
    state = secrets.token_urlsafe(32)
    db = session()
    db.execute(
        delete(OAuthState).where(
            OAuthState.platform == Platform.WOOCOMMERCE,
            OAuthState.created_at < utcnow() - STATE_RETENTION,
        )
    )
    db.add(OAuthState(state=state, platform=Platform.WOOCOMMERCE, shop=store_url))
    db.commit()
    query = urlencode(
        {
            "app_name": APP_NAME,
            "scope": "read_write",
            "user_id": state,
            "return_url": f"{config['APP_URL']}/auth/woocommerce/connected",
            "callback_url": f"{config['APP_URL']}/auth/woocommerce/callback",
        }
    )
    return redirect(f"{store_url}/wc-auth/v1/authorize?{query}", code=302)


def _spend_state(db: Session, state: str) -> str:
    """Mark the state used and return its store URL; only one callback can ever win it."""
    fresh = (
        OAuthState.state == state,
        OAuthState.platform == Platform.WOOCOMMERCE,
        OAuthState.used_at.is_(None),
        OAuthState.created_at >= utcnow() - STATE_LIFETIME,
    )
    store_url = db.scalar(select(OAuthState.shop).where(*fresh))
    won = db.execute(update(OAuthState).where(*fresh).values(used_at=utcnow()))
    if store_url is None or getattr(won, "rowcount", 0) != 1:
        db.rollback()
        raise ApiError(
            400,
            "invalid_state",
            "This connect request is unknown, expired or was already used; click Connect in "
            "the Encore plugin's settings again.",
        )
    return store_url


def _connect(db: Session, store_url: str, consumer_key: str, consumer_secret: str) -> Store:
    store = db.scalar(
        select(Store).where(Store.platform == Platform.WOOCOMMERCE, Store.domain == store_url)
    )
    if store is None:
        name = urlsplit(store_url).hostname or store_url
        store = Store(platform=Platform.WOOCOMMERCE, domain=store_url, name=name)
        db.add(store)
    if not store.is_installed or store.installed_at is None:
        store.installed_at = utcnow()
    store.status = StoreStatus.INSTALLED
    store.uninstalled_at = None
    save_keys(db, store, consumer_key, consumer_secret)
    return store


@bp.post("/auth/woocommerce/callback")
def finish_connect() -> tuple[Response, int]:
    payload: Any = request.get_json(silent=True, force=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_body", "Send the wc-auth keys as a JSON object.")
    data = CallbackSchema().load(payload)
    db = session()
    store_url = _spend_state(db, data["user_id"])
    store = _connect(db, store_url, data["consumer_key"], data["consumer_secret"])
    db.flush()
    event = enqueue(
        db,
        kind=CONNECT_KIND,
        topic="connect",
        event_key=f"{CONNECT_KIND}:{store.id}:{data['key_id']}",
        body="{}",
        store_id=store.id,
        shop_domain=store.domain,
    )
    log.info("WooCommerce store %s connected (key %s)", store.id, data["key_id"])
    if event is not None:
        after_commit(event)
    return jsonify({"status": "connected", "store_id": store.public_id}), 200


CONNECTED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Encore</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto;">
{% if store %}
<h1>Encore is connected</h1>
<p>Your store id is <code>{{ store.public_id }}</code>. Encore is now importing your products
and the last year of orders.</p>
<p><a href="{{ settings_url }}">Back to the Encore settings in WordPress</a>
(the store id is filled in there; click Save).</p>
{% else %}
<h1>Encore is not connected</h1>
<p>The store did not grant access, or this link has expired. Click Connect in the Encore
plugin's settings to try again.</p>
{% endif %}
</body></html>
"""


@bp.get("/auth/woocommerce/connected")
def connected() -> Response:
    """Where WooCommerce sends the merchant back (`success`, `user_id` = the state)."""
    db = session()
    store = None
    if request.args.get("success") == "1":
        store_url = db.scalar(
            select(OAuthState.shop).where(
                OAuthState.state == request.args.get("user_id", "")[:128],
                OAuthState.platform == Platform.WOOCOMMERCE,
                OAuthState.used_at >= utcnow() - STATE_LIFETIME,
            )
        )
        if store_url is not None:
            store = db.scalar(
                select(Store).where(
                    Store.platform == Platform.WOOCOMMERCE, Store.domain == store_url
                )
            )
    settings_url = (
        f"{store.domain}{SETTINGS_PAGE}&{urlencode({'encore_store_id': store.public_id})}"
        if store is not None
        else None
    )
    html = render_template_string(CONNECTED_PAGE, store=store, settings_url=settings_url)
    return Response(html, status=200 if store else 400, mimetype="text/html")
