"""The admin blueprint: who may come in, CSRF, framing rules and error pages, in one place.

Routes live in `pages`, `api`, `login` and `exports`; they register on this blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from marshmallow import ValidationError
from werkzeug.wrappers import Response as BaseResponse

from plugin.admin import csrf
from plugin.admin.access import Principal, logged_in_user
from plugin.admin.shopify_embedded import (
    APP_BRIDGE_ORIGIN,
    APP_BRIDGE_URL,
    SHOPIFY_ADMIN_ORIGIN,
    ensure_installed,
    frame_ancestors,
    verify_admin_id_token,
)
from plugin.auth.session_token import bearer_token
from plugin.auth.shopify_oauth import is_valid_shop_domain
from plugin.db import session
from plugin.errors import ApiError, error_response
from plugin.web.formatting import template_helpers

bp = Blueprint(
    "admin",
    __name__,
    url_prefix="/admin",
    static_folder="../static/admin",
    static_url_path="/static",
)

# Reachable before anyone is known.
PUBLIC_ENDPOINTS = frozenset(
    {"admin.login", "admin.login_submit", "admin.demo_login", "admin.static"}
)


def is_api_request() -> bool:
    return request.path.startswith("/admin/api/")


def _embedded_shop_in_query() -> str | None:
    """A document load from inside the Shopify admin names its shop in the query."""
    shop = request.args.get("shop", "")
    return shop if is_valid_shop_domain(shop) else None


@bp.before_request
def authenticate() -> BaseResponse | tuple[str, int] | None:
    g.admin_principal = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header_token = bearer_token(request.headers.get("Authorization"))
    query_token = request.args.get("id_token") or None
    if header_token or query_token:
        return _authenticate_shop(header_token, query_token)
    db = session()
    user = logged_in_user(db)
    if user is not None:
        g.admin_principal = Principal(kind="user", user_id=user.id, email=user.email)
        csrf.check_csrf()
        return None
    if is_api_request():
        raise ApiError(
            401,
            "not_logged_in",
            "Send the Shopify id token as Authorization: Bearer, or log in to the admin.",
        )
    if _embedded_shop_in_query():
        return _bounce_page()
    return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))


def _authenticate_shop(header_token: str | None, query_token: str | None) -> tuple[str, int] | None:
    try:
        verified = verify_admin_id_token(header_token or query_token)
    except ApiError:
        if header_token is None and not is_api_request() and _embedded_shop_in_query():
            return _bounce_page()  # an id token from a minute ago: App Bridge fetches a new one
        raise
    g.admin_principal = Principal(kind="shopify", shop=verified.shop, host=request.args.get("host"))
    if header_token is None and not is_api_request():
        # A document load from the Shopify admin: the first one installs the shop.
        ensure_installed(session(), verified.shop, query_token or "")
    return None


def _bounce_page() -> tuple[str, int]:
    """Inside the Shopify admin without a fresh id token: App Bridge gets one and reloads."""
    g.admin_bounce_shop = _embedded_shop_in_query()
    html = render_template(
        "admin/bounce.html",
        api_key=current_app.config.get("SHOPIFY_API_KEY") or "",
        app_bridge_url=APP_BRIDGE_URL,
    )
    return html, 401


@bp.after_request
def security_headers(response: Response) -> Response:
    principal: Principal | None = g.get("admin_principal")
    shop = principal.shop if principal is not None and principal.embedded else None
    shop = shop or g.get("admin_bounce_shop")
    scripts = "'self'" + (f" {APP_BRIDGE_ORIGIN}" if shop else "")
    framing = frame_ancestors(shop) if shop else "frame-ancestors 'none'"
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' https: data:; connect-src 'self' https://*.shopify.com; "
        "form-action 'self'; base-uri 'none'; object-src 'none'; " + framing
    )
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> Any:
    if is_api_request() or request.accept_mimetypes.best == "application/json":
        return error_response(error.status, error.code, error.message, error.fields)
    return render_template("admin/error.html", error=error), error.status


@bp.errorhandler(ValidationError)
def invalid_input(error: ValidationError) -> Any:
    fields = error.messages if isinstance(error.messages, dict) else {"_": error.messages}
    return api_error(ApiError(400, "invalid_input", "Some fields are not valid.", fields))


def admin_url(endpoint: str, **values: Any) -> str:
    """A link to another admin page that keeps the Shopify admin's shop and host."""
    principal: Principal | None = g.get("admin_principal")
    if principal is not None and principal.embedded:
        values.setdefault("shop", principal.shop)
        if principal.host:
            values.setdefault("host", principal.host)
        values.setdefault("embedded", "1")
    return url_for(endpoint, **values)


@bp.context_processor
def admin_context() -> dict[str, Any]:
    principal: Principal | None = g.get("admin_principal")
    embedded = principal is not None and principal.embedded
    return {
        **template_helpers(),
        "principal": principal,
        "admin_url": admin_url,
        "embedded": embedded,
        "csrf_token": csrf.csrf_token if not embedded else (lambda: ""),
        "shopify_api_key": current_app.config.get("SHOPIFY_API_KEY") or "" if embedded else "",
        "app_bridge_url": APP_BRIDGE_URL,
        "shopify_admin_origin": SHOPIFY_ADMIN_ORIGIN,
    }
