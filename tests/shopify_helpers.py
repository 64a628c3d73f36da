"""What Shopify would send and answer, for the install, token and Admin API tests."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jwt
import responses

from tests.conftest import SHOP, SHOPIFY_API_KEY, SHOPIFY_API_SECRET, load_fixture
from tests.databases import stored_bytes

API_VERSION = "2026-10"
WEBHOOK_URI = "https://encore.example.com/webhooks/shopify"


def token_url(shop: str = SHOP) -> str:
    return f"https://{shop}/admin/oauth/access_token"


def graphql_url(shop: str = SHOP, version: str = API_VERSION) -> str:
    return f"https://{shop}/admin/api/{version}/graphql.json"


def signed_query(params: dict[str, Any], secret: str = SHOPIFY_API_SECRET) -> dict[str, str]:
    """Add the hex HMAC Shopify puts on install and callback URLs."""
    values = {key: str(value) for key, value in params.items()}
    message = "&".join(f"{key}={values[key]}" for key in sorted(values))
    values["hmac"] = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return values


def make_session_token(
    secret: str = SHOPIFY_API_SECRET, algorithm: str = "HS256", **claims: Any
) -> str:
    """A session token as Shopify signs it; admin id tokens add `iss`, `sid` (pass them)."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "dest": SHOP,
        "aud": SHOPIFY_API_KEY,
        "exp": now + 60,
        "nbf": now - 1,
        "iat": now - 1,
        "jti": "8c6f4a1e-6b5d-4f6e-9d2b-3a7c1e0f9b8d",
    }
    payload.update(claims)
    payload = {key: value for key, value in payload.items() if value is not None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        return jwt.encode(payload, secret, algorithm=algorithm)


def admin_id_token(shop: str = SHOP, **claims: Any) -> str:
    """What App Bridge hands the embedded admin: dest and iss name the shop."""
    defaults: dict[str, Any] = {
        "iss": f"https://{shop}/admin",
        "dest": f"https://{shop}",
        "sub": "74219845",
        "sid": "b2a1d7e0f3c94a6b8e5d",
    }
    defaults.update(claims)
    return make_session_token(**defaults)


@contextmanager
def mocked_http() -> Iterator[responses.RequestsMock]:
    """Every outbound call must be mocked; anything else fails as a connection error."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def json_body(call: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(call.request.body)
    return body


def calls_to(mock: responses.RequestsMock, url: str) -> list[Any]:
    return [call for call in mock.calls if call.request.url.split("?")[0] == url]


class FakeShopifyAdmin:
    """One shop's Admin GraphQL endpoint: keeps its webhook subscriptions between calls."""

    def __init__(
        self,
        mock: responses.RequestsMock,
        shop: str = SHOP,
        subscriptions: list[dict[str, Any]] | None = None,
        page_size: int = 100,
    ) -> None:
        self.shop = shop
        self.subscriptions: list[dict[str, Any]] = list(subscriptions or [])
        self.page_size = page_size
        self.created_topics: list[str] = []
        self.tokens_seen: list[str] = []
        self._next_id = 1047897700
        mock.add_callback(
            responses.POST,
            graphql_url(shop),
            callback=self._answer,
            content_type="application/json",
        )

    def subscribe(self, topic: str, uri: str = WEBHOOK_URI) -> None:
        self._next_id += 1
        self.subscriptions.append(
            {"id": f"gid://shopify/WebhookSubscription/{self._next_id}", "topic": topic, "uri": uri}
        )

    def _answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        self.tokens_seen.append(request.headers.get("X-Shopify-Access-Token", ""))
        body = json.loads(request.body)
        query, variables = body["query"], body.get("variables") or {}
        if "webhookSubscriptionCreate" in query:
            payload = self._create(variables)
        elif "webhookSubscriptions(" in query:
            payload = self._list(variables.get("after"))
        elif "shop {" in query:
            payload = load_fixture("shopify/graphql_shop.json")
        else:
            return 400, {}, json.dumps({"errors": "unexpected query in test"})
        return 200, {}, json.dumps(payload)

    def _list(self, after: str | None) -> dict[str, Any]:
        start = int(after or 0)
        page = self.subscriptions[start : start + self.page_size]
        payload = copy.deepcopy(load_fixture("shopify/graphql_webhook_subscriptions.json"))
        has_next = start + self.page_size < len(self.subscriptions)
        payload["data"]["webhookSubscriptions"] = {
            "nodes": page,
            "pageInfo": {
                "hasNextPage": has_next,
                "endCursor": str(start + self.page_size) if page else None,
            },
        }
        return payload

    def _create(self, variables: dict[str, Any]) -> dict[str, Any]:
        topic = variables["topic"]
        self.subscribe(topic, variables["webhookSubscription"]["uri"])
        self.created_topics.append(topic)
        payload = copy.deepcopy(load_fixture("shopify/graphql_webhook_subscription_create.json"))
        payload["data"]["webhookSubscriptionCreate"]["webhookSubscription"] = self.subscriptions[-1]
        return payload


def database_bytes(database_url: str) -> bytes:
    """What the database stores: SQLite's file and log, or PostgreSQL's rows as text."""
    return stored_bytes(database_url)
