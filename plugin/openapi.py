"""`GET /openapi.json`: the OpenAPI 3 document of Encore's JSON API, built from its schemas.

Request bodies and query parameters come from the same marshmallow schemas the views load,
so the document cannot drift from the validation. `tests/integration/test_openapi.py` fails
when a JSON route is added without a description here.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, Response, current_app, jsonify

from plugin.admin.schemas import (
    DashboardOut,
    DashboardQuery,
    DeadLetterReplay,
    HealthOut,
    NotificationPreview,
    NotificationTest,
    ProductSearch,
    StoreOut,
)
from plugin.admin.settings_schema import StoreSettingsPatch
from plugin.auth.woocommerce import CallbackSchema
from plugin.schemas import (
    ErrorSchema,
    FeedbackSchema,
    OfferEventSchema,
    ShopifyBlockQuerySchema,
    StatusSchema,
    StorefrontAnswerSchema,
    UtcTime,
    WooCommercePingSchema,
)

bp = Blueprint("openapi", __name__)

VERSION = "1.0.0"
ERROR_TEXT = {
    400: "The input is not valid; `error.fields` says which parts.",
    401: "Missing or wrong credentials.",
    403: "Not allowed for this shop or store.",
    404: "Not found (or not yours).",
    413: "The body is too large.",
    415: "The body is not JSON.",
    422: "Understood but not done; the message says why.",
    429: "Rate limited; wait for `Retry-After` seconds.",
    502: "The shop's platform did not answer; try again.",
    503: "Not configured or not reachable.",
}
SHOPIFY: list[dict[str, list[str]]] = [{"ShopifySessionToken": []}]
ADMIN: list[dict[str, list[str]]] = [{"ShopifySessionToken": []}, {"AdminSession": []}]


def _json(schema: Any, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _object(description: str) -> dict[str, Any]:
    return _json({"type": "object"}, description)


def _errors(*statuses: int) -> dict[int, dict[str, Any]]:
    return {status: _json("Error", ERROR_TEXT[status]) for status in statuses}


def _body(schema: Any) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _path_param(name: str, description: str) -> dict[str, Any]:
    return {
        "in": "path",
        "name": name,
        "required": True,
        "schema": {"type": "string"},
        "description": description,
    }


STORE_ID = _path_param("store_id", "The store's public id.")
TOKEN = _path_param("token", "The order's tracking token.")
SHOPIFY_HEADERS = [
    {"in": "header", "name": f"X-Shopify-{name}", "schema": {"type": "string"}}
    for name in ("Topic", "Shop-Domain", "Event-Id", "Webhook-Id", "API-Version")
]
WC_HEADERS = [
    {"in": "header", "name": f"X-WC-Webhook-{name}", "schema": {"type": "string"}}
    for name in ("Topic", "ID", "Delivery-ID", "Resource", "Event")
]


def _operations() -> dict[str, dict[str, dict[str, Any]]]:
    """Every documented path and its operations (OpenAPI operation objects)."""
    admin_store = [STORE_ID]
    return {
        "/healthz": {
            "get": {
                "summary": "Liveness for load balancers (the database answers)",
                "tags": ["operations"],
                "security": [],
                "responses": {
                    200: _json(StatusSchema, "The database answers."),
                    503: _json(StatusSchema, "The database does not answer."),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "tags": ["operations"],
                "security": [],
                "responses": {200: _object("OpenAPI 3 document.")},
            }
        },
        "/webhooks/shopify": {
            "post": {
                "summary": "Receive a Shopify webhook (verify, store, acknowledge)",
                "tags": ["webhooks"],
                "security": [{"ShopifyHmac": []}],
                "parameters": SHOPIFY_HEADERS,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "responses": {
                    200: _json(StatusSchema, "Stored (`accepted`) or seen before (`duplicate`)."),
                    **_errors(400, 401, 413, 429),
                },
            }
        },
        "/webhooks/woocommerce/{store_id}": {
            "post": {
                "summary": "Receive a WooCommerce webhook, or its creation ping",
                "tags": ["webhooks"],
                "security": [{"WooCommerceSignature": []}, {}],
                "parameters": [STORE_ID, *WC_HEADERS],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"type": "object"}},
                        "application/x-www-form-urlencoded": {"schema": WooCommercePingSchema},
                    },
                },
                "responses": {
                    200: _json(StatusSchema, "`accepted`, `duplicate`, or `pong` for the ping."),
                    **_errors(400, 401, 404, 413, 429),
                },
            }
        },
        "/auth/woocommerce/callback": {
            "post": {
                "summary": "WooCommerce hands over the REST keys after the merchant approved",
                "tags": ["install"],
                "security": [],
                "requestBody": _body(CallbackSchema),
                "responses": {
                    200: _object("Connected: `{status, store_id}`."),
                    **_errors(400, 413, 429),
                },
            }
        },
        "/auth/shopify/token-exchange": {
            "post": {
                "summary": "Trade the embedded admin's id token for an offline access token",
                "tags": ["install"],
                "security": SHOPIFY,
                "responses": {
                    200: _object("Installed: `{shop, installed}`."),
                    **_errors(401, 429, 502, 503),
                },
            }
        },
        "/api/storefront/thank-you": {
            "get": _shopify_block("Offers for the thank-you page"),
        },
        "/api/storefront/order-status": {
            "get": _shopify_block("Offers and tracking for the order-status page"),
        },
        "/api/storefront/woocommerce/{store_id}/orders/{order_id}": {
            "get": {
                "summary": "Offers and tracking for a WooCommerce order (JSON or HTML fragment)",
                "tags": ["storefront"],
                "security": [],
                "parameters": [
                    STORE_ID,
                    _path_param("order_id", "The WooCommerce order id."),
                    {
                        "in": "query",
                        "name": "key",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "The order key WooCommerce gave the shopper.",
                    },
                ],
                "responses": {
                    200: {
                        "description": "The answer, as JSON or (Accept: text/html) a fragment.",
                        "content": {
                            "application/json": {"schema": StorefrontAnswerSchema},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors(404, 429),
                },
            }
        },
        "/api/storefront/events": {
            "post": {
                "summary": "Record a view, click or dismiss of an offer",
                "tags": ["storefront"],
                "security": [*SHOPIFY, {}],
                "requestBody": _body(OfferEventSchema),
                "responses": {
                    200: _json(StatusSchema, "`recorded`, or `duplicate` for a repeat."),
                    **_errors(400, 401, 404, 413, 415, 429),
                },
            }
        },
        "/api/storefront/feedback/{token}": {
            "post": {
                "summary": "The shopper rates the order (once)",
                "tags": ["storefront"],
                "security": [],
                "parameters": [TOKEN],
                "requestBody": _body(FeedbackSchema),
                "responses": {
                    200: _object("Already rated: `{status: duplicate, rating}`."),
                    201: _object("Recorded: `{status: recorded, rating}`."),
                    **_errors(400, 403, 404, 413, 415, 429),
                },
            }
        },
        "/admin/api/stores": {
            "get": _admin("The stores this admin may manage", [], "StoresOut"),
        },
        "/admin/api/stores/{store_id}/settings": {
            "get": _admin("The store's effective settings", admin_store, None),
            "patch": _admin(
                "Change some settings (all-or-nothing)", admin_store, None, StoreSettingsPatch
            ),
        },
        "/admin/api/stores/{store_id}/products": {
            "get": _admin(
                "Products matching `q`", [*admin_store, {"in": "query", "schema": ProductSearch}]
            ),
        },
        "/admin/api/stores/{store_id}/dashboard": {
            "get": _admin(
                "Earnings, lift and deliveries for a period",
                [*admin_store, {"in": "query", "schema": DashboardQuery}],
                DashboardOut,
            ),
        },
        "/admin/api/stores/{store_id}/health": {
            "get": _admin(
                "Inbox, dead letters, webhooks, token state and background tasks",
                admin_store,
                HealthOut,
            ),
        },
        "/admin/api/stores/{store_id}/dead-letters/replay": {
            "post": _admin(
                "Give dead letters a fresh set of tries", admin_store, None, DeadLetterReplay
            ),
        },
        "/admin/api/stores/{store_id}/preview/branding": {
            "post": _admin(
                "Preview the block and page with unsaved settings",
                admin_store,
                None,
                StoreSettingsPatch,
            ),
        },
        "/admin/api/stores/{store_id}/preview/notification": {
            "post": _admin(
                "Preview a notification template", admin_store, None, NotificationPreview
            ),
        },
        "/admin/api/stores/{store_id}/notifications/test": {
            "post": _admin(
                "Send a test notification", admin_store, None, NotificationTest, (422, 503)
            ),
        },
    }


def _shopify_block(summary: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "tags": ["storefront"],
        "security": SHOPIFY,
        "parameters": [{"in": "query", "schema": ShopifyBlockQuerySchema}],
        "responses": {
            200: _json(StorefrontAnswerSchema, "Up to three offers, and tracking when asked."),
            **_errors(400, 401, 404, 429),
        },
    }


def _admin(
    summary: str,
    parameters: list[dict[str, Any]],
    answer: Any = None,
    body: Any = None,
    more: tuple[int, ...] = (),
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "tags": ["admin"],
        "security": ADMIN,
        "parameters": parameters,
        "responses": {
            200: _json(answer or {"type": "object"}, "Done."),
            **_errors(400, 401, 403, 404, 429, *more),
        },
    }
    if body is not None:
        operation["requestBody"] = _body(body)
        operation["responses"].update(_errors(413, 415))
    return operation


def build_spec(app: Flask) -> dict[str, Any]:
    """The whole document for this app (its APP_URL is the server)."""
    marshmallow = MarshmallowPlugin()
    spec = APISpec(
        title="Encore",
        version=VERSION,
        openapi_version="3.0.3",
        plugins=[marshmallow],
        info={
            "description": "Post-purchase offers and order tracking for Shopify and "
            "WooCommerce. Errors always have the shape of `Error`."
        },
        servers=[{"url": str(app.config["APP_URL"])}],
    )
    marshmallow.map_to_openapi_type(UtcTime, "string", "date-time")
    spec.components.schema("Error", schema=ErrorSchema)
    spec.components.schema(
        "StoresOut",
        {
            "type": "object",
            "required": ["stores"],
            "properties": {
                "stores": {"type": "array", "items": {"$ref": "#/components/schemas/StoreOut"}}
            },
        },
    )
    spec.components.schema("StoreOut", schema=StoreOut)
    _security_schemes(spec)
    for path, operations in _operations().items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _security_schemes(spec: APISpec) -> None:
    schemes = {
        "ShopifyHmac": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Shopify-Hmac-Sha256",
            "description": "Base64 HMAC-SHA256 of the raw body with the app secret.",
        },
        "WooCommerceSignature": {
            "type": "apiKey",
            "in": "header",
            "name": "X-WC-Webhook-Signature",
            "description": "Base64 HMAC-SHA256 of the raw body with the webhook's secret.",
        },
        "ShopifySessionToken": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Shopify session token (extensions) or admin id token (HS256).",
        },
        "AdminSession": {
            "type": "apiKey",
            "in": "cookie",
            "name": "session",
            "description": "Encore admin login (email and password), with X-CSRF-Token.",
        },
    }
    for name, scheme in schemes.items():
        spec.components.security_scheme(name, scheme)


@bp.get("/openapi.json")
def openapi_document() -> Response:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    document = app.extensions.get("encore_openapi")
    if document is None:
        document = app.extensions.setdefault("encore_openapi", build_spec(app))
    return jsonify(document)


def init_openapi(app: Flask) -> None:
    app.register_blueprint(bp)
