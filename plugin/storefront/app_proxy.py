"""Shopify app proxy: `https://{shop}/apps/encore/...` forwarded here, signed by Shopify.

- `GET|POST /proxy/tracking`: the order lookup page (order number + email), or a logged-in
  shopper's recent orders, as `application/liquid` so it renders inside the shop's theme.
  With `Accept: application/json` (theme blocks' scripts) the same in JSON.
- `GET /proxy/offers`: offers for the logged-in shopper's last order, else for `product_ids`
  (the cart). JSON like the thank-you endpoint, or a Liquid block.
- `POST /proxy/events`: the events of offers shown through the proxy (body as in events.py).

Every request must carry a valid `signature` and a `timestamp` at most five minutes old (401
otherwise). Lookups are rate limited per shop and client address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from plugin.auth.app_proxy import verify_proxy_signature
from plugin.auth.shopify_oauth import is_fresh_timestamp, is_valid_shop_domain
from plugin.db import session
from plugin.errors import ApiError, error_response
from plugin.http.bodies import json_body
from plugin.models import Order, Platform, Store, Surface
from plugin.schemas import ProxyOffersQuerySchema
from plugin.storefront import presentation
from plugin.storefront.branding import Branding
from plugin.storefront.events import read_event
from plugin.storefront.offer_events import find_impression, impression_not_found, record_offer_event
from plugin.storefront.order_lookup import find_order_by_number_and_email, recent_orders_of
from plugin.storefront.rate_limit import limiter_on_app
from plugin.storefront.rendering import LIQUID_CONTENT_TYPE, render_liquid
from plugin.storefront.stores import installed_store
from plugin.storefront.surface import answer, compute_facts, remember_facts, remembered_facts
from plugin.storefront.tracking_json import tracking_of

bp = Blueprint("storefront_app_proxy", __name__, url_prefix="/proxy")

MAX_AGE_SECONDS = 300
DEFAULT_PATH_PREFIX = "/apps/encore"
PATH_PREFIX = re.compile(r"/(?:apps|a|community|tools)/[A-Za-z0-9_-]{1,64}")
CUSTOMER_ID = re.compile(r"[0-9]{1,20}")
# One message for every miss: it must not tell which of the two fields was wrong.
NOT_FOUND_MESSAGE = (
    "We couldn't find that order. Check the order number and the email address you used "
    "at checkout, then try again."
)
DEFAULT_LOOKUP_LIMIT = 10
DEFAULT_LOOKUP_WINDOW_SECONDS = 600


@dataclass(frozen=True)
class ProxyRequest:
    store: Store
    customer_id: str | None  # the logged-in shopper's numeric id
    path_prefix: str
    wants_json: bool


def _proxy_request() -> ProxyRequest:
    params = request.args
    if not verify_proxy_signature(params, current_app.config.get("SHOPIFY_API_SECRET")):
        raise ApiError(401, "invalid_signature", "The app proxy signature does not verify.")
    if not is_fresh_timestamp(params.get("timestamp"), MAX_AGE_SECONDS):
        raise ApiError(401, "stale_request", "The app proxy request is too old; reload the page.")
    shop = params.get("shop", "")
    if not is_valid_shop_domain(shop):
        raise ApiError(404, "store_not_found", "Encore is not installed on this store.")
    customer = params.get("logged_in_customer_id", "")
    prefix = params.get("path_prefix", "")
    return ProxyRequest(
        store=installed_store(session(), Platform.SHOPIFY, shop),
        customer_id=customer if CUSTOMER_ID.fullmatch(customer) else None,
        path_prefix=prefix if PATH_PREFIX.fullmatch(prefix) else DEFAULT_PATH_PREFIX,
        wants_json=request.accept_mimetypes.best_match(["text/html", "application/json"])
        == "application/json",
    )


def _liquid(template: str, proxy: ProxyRequest, status: int = 200, **context: Any) -> Response:
    html = render_liquid(
        template,
        brand=Branding.of(proxy.store),
        clock=presentation.Clock(proxy.store.timezone),
        fmt=presentation,
        path_prefix=proxy.path_prefix,
        **context,
    )
    return Response(html, status=status, content_type=LIQUID_CONTENT_TYPE)


def _client_address() -> str:
    """The shopper's address, as Shopify's proxy saw it.

    Read from the right of X-Forwarded-For: entries on the left are whatever the client sent
    and could be forged to dodge the limit. Shopify adds the shopper's address; each load
    balancer in front of Encore adds one more (`APP_PROXY_FORWARDED_HOPS`, default 1).
    """
    hops = max(1, int(current_app.config.get("APP_PROXY_FORWARDED_HOPS", 1)))
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return request.remote_addr or "unknown"


@bp.route("/tracking", methods=["GET", "POST"])
def tracking() -> Response | tuple[Response, int]:
    proxy = _proxy_request()
    source = request.form if request.method == "POST" else request.args
    order_number = (source.get("order") or "").strip()
    email = (source.get("email") or "").strip()
    if order_number or email:
        return _lookup(proxy, order_number, email)
    if proxy.customer_id:
        return _customer_orders(proxy)
    if proxy.wants_json:
        raise ApiError(400, "invalid_input", "Send the order number and email as order and email.")
    return _liquid("storefront/proxy_tracking.html", proxy)


def _lookup(proxy: ProxyRequest, order_number: str, email: str) -> Response | tuple[Response, int]:
    config = current_app.config
    limiter = limiter_on_app(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        "proxy_lookups",
        limit=int(config.get("PROXY_LOOKUP_LIMIT", DEFAULT_LOOKUP_LIMIT)),
        window=float(config.get("PROXY_LOOKUP_WINDOW_SECONDS", DEFAULT_LOOKUP_WINDOW_SECONDS)),
    )
    key = (proxy.store.id, _client_address())
    if not limiter.allow(key):
        return _too_many_lookups(proxy, limiter.retry_after(key))

    db = session()
    order = find_order_by_number_and_email(db, proxy.store, order_number, email)
    if order is None:
        if proxy.wants_json:
            raise ApiError(404, "order_not_found", NOT_FOUND_MESSAGE)
        return _liquid(
            "storefront/proxy_tracking.html",
            proxy,
            message=NOT_FOUND_MESSAGE,
            typed_order=order_number[:40],
        )
    body = _order_answer(proxy, order)
    if proxy.wants_json:
        return jsonify(body), 200
    return _liquid("storefront/proxy_tracking.html", proxy, order=order, answer=body)


def _order_answer(proxy: ProxyRequest, order: Order) -> dict[str, Any]:
    db = session()
    facts = remembered_facts(proxy.store, Surface.APP_PROXY, order.platform_order_id)
    if facts is None:
        facts = compute_facts(
            db,
            proxy.store,
            order=order,
            platform_order_id=order.platform_order_id,
            with_tracking=True,
            surface=Surface.APP_PROXY,
        )
        remember_facts(proxy.store, Surface.APP_PROXY, order.platform_order_id, facts)
    return answer(db, proxy.store, Surface.APP_PROXY, facts, proxy.customer_id)


def _too_many_lookups(proxy: ProxyRequest, retry_after: int) -> Response:
    minutes = max(1, (retry_after + 59) // 60)
    message = (
        f"Too many order lookups from your connection. Please wait {minutes} "
        f"minute{'s' if minutes != 1 else ''} and try again."
    )
    if proxy.wants_json:
        response, _status = error_response(429, "too_many_lookups", message)
        response.status_code = 429
    else:
        response = _liquid("storefront/proxy_tracking.html", proxy, status=429, message=message)
    response.headers["Retry-After"] = str(retry_after)
    return response


def _customer_orders(proxy: ProxyRequest) -> Response | tuple[Response, int]:
    assert proxy.customer_id is not None
    orders = recent_orders_of(session(), proxy.store, proxy.customer_id)
    listed = [
        {
            "order_name": order.name,
            "placed_at": presentation.Clock().machine(order.placed_at),
            "tracking": tracking_of(order),
        }
        for order in orders
    ]
    if proxy.wants_json:
        return jsonify({"orders": listed}), 200
    return _liquid("storefront/proxy_tracking.html", proxy, customer_orders=listed)


@bp.get("/offers")
def offers() -> Response | tuple[Response, int]:
    proxy = _proxy_request()
    query: dict[str, Any] = ProxyOffersQuerySchema().load(request.args.to_dict())
    db = session()
    last_order = None
    if proxy.customer_id:
        recent = recent_orders_of(db, proxy.store, proxy.customer_id)
        last_order = recent[0] if recent else None
    cart: list[str] = query["product_ids"]
    order_ref = last_order.platform_order_id if last_order is not None else None
    facts = remembered_facts(proxy.store, Surface.APP_PROXY, order_ref, cart)
    if facts is None:
        facts = compute_facts(
            db,
            proxy.store,
            order=last_order,
            platform_order_id=order_ref,
            cart_product_ids=cart,
            with_tracking=False,
            holdout_unit=order_ref or _customer_unit(proxy.customer_id),
            surface=Surface.APP_PROXY,
        )
        remember_facts(proxy.store, Surface.APP_PROXY, order_ref, facts, cart)
    body = answer(db, proxy.store, Surface.APP_PROXY, facts, proxy.customer_id, query["limit"])
    if proxy.wants_json:
        return jsonify(body), 200
    return _liquid("storefront/proxy_offers.html", proxy, answer=body)


def _customer_unit(customer_id: str | None) -> str | None:
    """A shopper without an order is held out (or not) as a person, the same on every visit."""
    return f"customer:{customer_id}" if customer_id else None


@bp.post("/events")
@json_body
def events() -> tuple[Response, int]:
    proxy = _proxy_request()
    event = read_event(request.get_json(silent=True))
    db = session()
    impression = find_impression(db, event["impression_id"])
    if impression is None or impression.store_id != proxy.store.id:
        raise impression_not_found()
    stored = record_offer_event(db, impression, event["offer_id"], event["type"])
    return jsonify({"status": "recorded" if stored else "duplicate"}), 200
