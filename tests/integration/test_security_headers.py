"""Security headers: every response has them, each kind of page with its own framing rules."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugin import create_app
from tests.conftest import SHOP
from tests.shopify_helpers import admin_id_token
from tests.storefront_helpers import bearer, proxy_query, shopify_store


def directives(response: Any) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_json_answers_carry_nosniff_referrer_policy_hsts_and_a_locked_down_policy(
    client: FlaskClient,
) -> None:
    response = client.get("/healthz")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert directives(response) == {"default-src": "'none'", "frame-ancestors": "'none'"}


def test_no_hsts_when_the_app_is_served_over_plain_http(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "APP_URL": "http://localhost:8000"})
    response = app.test_client().get("/healthz")
    assert "Strict-Transport-Security" not in response.headers
    app.extensions["encore_db"].dispose()


def test_errors_and_unknown_paths_carry_the_headers_too(client: FlaskClient) -> None:
    response = client.get("/api/storefront/no-such-thing")
    assert response.status_code == 404
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_home_page_loads_only_its_own_assets_and_cannot_be_framed(client: FlaskClient) -> None:
    policy = directives(client.get("/"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"


def test_tracking_page_keeps_its_own_stricter_policy(client: FlaskClient) -> None:
    response = client.get("/t/" + "x" * 32)
    assert response.status_code == 404
    assert directives(response)["script-src"] == "'none'"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_embedded_admin_may_be_framed_by_its_shop_and_the_shopify_admin_only(
    client: FlaskClient, db: Session
) -> None:
    shopify_store(db, with_token=True)
    query = urlencode({"shop": SHOP, "id_token": admin_id_token(), "embedded": "1"})
    response = client.get(f"/admin/?{query}")
    assert directives(response)["frame-ancestors"] == f"https://{SHOP} https://admin.shopify.com"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_storefront_json_stays_readable_from_any_origin(client: FlaskClient) -> None:
    response = client.get("/api/storefront/thank-you?order_id=1", headers=bearer())
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert directives(response)["default-src"] == "'none'"


def test_app_proxy_liquid_gets_no_policy_because_the_theme_renders_it(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    shopify_store(db)
    response = client.get(f"/proxy/tracking?{urlencode(proxy_query())}")
    assert response.status_code == 200
    assert response.mimetype == "application/liquid"
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
