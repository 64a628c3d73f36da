"""`GET /openapi.json`: a valid OpenAPI 3 document that lists every JSON route."""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from flask import Flask
from flask.testing import FlaskClient

# Paths that answer JSON to programs; everything else is a page, a redirect or an asset.
JSON_PREFIXES = ("/api/", "/admin/api/", "/webhooks/")
JSON_PATHS = {
    "/healthz",
    "/openapi.json",
    "/auth/woocommerce/callback",
    "/auth/shopify/token-exchange",
}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def openapi_path(rule: str) -> str:
    """Flask's `/x/<id>` and `/x/<int:id>` as OpenAPI's `/x/{id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def json_routes(app: Flask) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        path = openapi_path(rule.rule)
        if path in JSON_PATHS or path.startswith(JSON_PREFIXES):
            for method in (rule.methods or set()) - IGNORED_METHODS:
                routes.add((path, method.lower()))
    return routes


def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json
    return body


def test_the_document_is_valid_openapi_3(client: FlaskClient) -> None:
    spec = document(client)
    assert spec["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(spec).validate()  # raises on any violation


def test_every_json_route_is_documented(app: Flask, client: FlaskClient) -> None:
    paths = document(client)["paths"]
    documented = {(path, method) for path, item in paths.items() for method in item}
    undocumented = json_routes(app) - documented
    assert undocumented == set(), f"describe these in plugin/openapi.py: {sorted(undocumented)}"
    assert len(json_routes(app)) >= 20


def test_the_document_describes_no_route_that_does_not_exist(
    app: Flask, client: FlaskClient
) -> None:
    paths = document(client)["paths"]
    documented = {(path, method) for path, item in paths.items() for method in item}
    assert documented - json_routes(app) == set()


def test_every_refusal_is_documented_with_the_error_shape(client: FlaskClient) -> None:
    spec = document(client)
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    for item in spec["paths"].values():
        for operation in item.values():
            for status, answer in operation["responses"].items():
                if int(status) >= 400 and "application/json" in answer.get("content", {}):
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema in (
                        {"$ref": "#/components/schemas/Error"},
                        {"$ref": "#/components/schemas/Status"},
                    )


def test_the_event_body_is_the_schema_the_endpoint_validates_with(client: FlaskClient) -> None:
    spec = document(client)
    body = spec["paths"]["/api/storefront/events"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    documented = spec["components"]["schemas"][ref]

    refused = client.post("/api/storefront/events", json={})

    assert refused.status_code == 400
    assert set(refused.json["error"]["fields"]) == set(documented["required"])


def test_security_schemes_name_the_platform_credentials(client: FlaskClient) -> None:
    schemes = document(client)["components"]["securitySchemes"]
    assert schemes["ShopifyHmac"]["name"] == "X-Shopify-Hmac-Sha256"
    assert schemes["WooCommerceSignature"]["name"] == "X-WC-Webhook-Signature"
    assert schemes["ShopifySessionToken"]["scheme"] == "bearer"
