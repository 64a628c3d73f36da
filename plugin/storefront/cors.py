"""CORS for everything under /api/storefront/.

Checkout and customer-account extensions run on Shopify's origins and the WooCommerce block on
the shop's own. They authenticate with tokens in the request, never with cookies, so any origin
may read the answers. Hooked app-wide (not per blueprint) so that routing errors such as 404
and 405 carry the headers too; otherwise the browser hides their JSON from the extension.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

PREFIX = "/api/storefront/"
ALLOWED_HEADERS = "Authorization, Content-Type"
ALLOWED_METHODS = "GET, POST, OPTIONS"
PREFLIGHT_MAX_AGE = "86400"  # browsers may skip the preflight for a day

bp = Blueprint("storefront_cors", __name__)


@bp.before_app_request
def answer_preflight() -> Response | None:
    if request.method == "OPTIONS" and request.path.startswith(PREFIX):
        return Response(status=204)
    return None


@bp.after_app_request
def allow_any_origin(response: Response) -> Response:
    if request.path.startswith(PREFIX):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response
