"""What a WooCommerce store would send and answer, for the connect, webhook and sync tests."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import responses
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.crypto import seal
from plugin.models import Store, StoreCredential, WebhookSubscription, utcnow
from plugin.webhooks.signatures import sign_body
from tests.conftest import load_fixture

STORE_URL = "https://corner-shop.example"
API = f"{STORE_URL}/wp-json/wc/v3"
CONSUMER_KEY = "ck_7b1c5d0a9f1e2d3c4b5a69788796a5b4c3d2e1f0"
CONSUMER_SECRET = "cs_0f1e2d3c4b5a69788796a5b4c3d2e1f07b1c5d0a"
TOPICS = (
    "order.created",
    "order.updated",
    "order.deleted",
    "product.created",
    "product.updated",
    "product.deleted",
)
FIRST_WEBHOOK_ID = 201


def count(db: Session, model: Any, *where: Any) -> int:
    """Rows of a model (matching `where`), as committed by requests and jobs."""
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def fixture(name: str) -> Any:
    return copy.deepcopy(load_fixture(f"woocommerce/{name}"))


def webhook_secret(topic: str) -> str:
    return f"secret-of-{topic}"


def connected_store(db: Session, url: str = STORE_URL, with_webhooks: bool = True) -> Store:
    """A store that went through connect: sealed keys, one webhook per topic with its secret."""
    store = Store(platform="woocommerce", domain=url, name="Corner Shop", installed_at=utcnow())
    store.credential = StoreCredential(
        consumer_key_sealed=seal(CONSUMER_KEY), consumer_secret_sealed=seal(CONSUMER_SECRET)
    )
    db.add(store)
    db.flush()
    if with_webhooks:
        for offset, topic in enumerate(TOPICS):
            db.add(
                WebhookSubscription(
                    store_id=store.id,
                    topic=topic,
                    platform_subscription_id=str(FIRST_WEBHOOK_ID + offset),
                    uri=f"https://encore.example.com/webhooks/woocommerce/{store.public_id}",
                    secret_sealed=seal(webhook_secret(topic)),
                    status="active",
                )
            )
    db.commit()
    return store


def webhook_id_of(topic: str) -> str:
    return str(FIRST_WEBHOOK_ID + TOPICS.index(topic))


def send_webhook(
    client: FlaskClient,
    store: Store,
    topic: str,
    payload: dict[str, Any] | bytes,
    *,
    secret: str | None = None,
    webhook_id: str | None = None,
    delivery_id: str | None = None,
    signature: str | None = None,
) -> Any:
    """POST a delivery the way WooCommerce does (headers of WC_Webhook::deliver)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    resource, event = topic.split(".")
    headers = {
        "User-Agent": "WooCommerce/9.4.2 Hookshot (WordPress/6.7)",
        "X-WC-Webhook-Source": f"{store.domain}/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": resource,
        "X-WC-Webhook-Event": event,
        "X-WC-Webhook-ID": webhook_id or webhook_id_of(topic),
        "X-WC-Webhook-Delivery-ID": delivery_id or hashlib.md5(body + topic.encode()).hexdigest(),
        "X-WC-Webhook-Signature": signature
        if signature is not None
        else sign_body(body, secret or webhook_secret(topic)),
    }
    return client.post(
        f"/webhooks/woocommerce/{store.public_id}",
        data=body,
        headers=headers,
        content_type="application/json",
    )


def _gmt(value: str) -> datetime:
    return datetime.fromisoformat(value)


class FakeStore:
    """One store's REST API: keeps webhooks, orders and products between calls, pages like
    WooCommerce (`per_page`, `page`, `X-WP-Total`, `X-WP-TotalPages`) and filters orders by
    `after`/`before` (created) and `modified_after`/`modified_before` (GMT)."""

    def __init__(self, mock: responses.RequestsMock, url: str = STORE_URL) -> None:
        self.url = url
        self.api = f"{url}/wp-json/wc/v3"
        self.webhooks: list[dict[str, Any]] = []
        self.orders: list[dict[str, Any]] = []
        self.products: list[dict[str, Any]] = []
        self.variations: dict[int, list[dict[str, Any]]] = {}
        self.secrets: dict[int, str] = {}
        self.fail_next: list[int] = []  # statuses to answer before behaving again
        # Decides per request whether the store is down for it (a status) or answers (None).
        self.outage: Callable[[Any], int | None] | None = None
        self.requests: list[Any] = []
        self._next_webhook_id = 300
        pattern = re.compile(re.escape(self.api) + r"/.*")
        for method in (responses.GET, responses.POST, responses.PUT, responses.DELETE):
            mock.add_callback(method, pattern, callback=self._answer)

    # -- arranging --------------------------------------------------------------------
    def add_webhook(self, topic: str, status: str = "active", url: str | None = None) -> int:
        self._next_webhook_id += 1
        hook = fixture("webhook.json")
        hook.update(
            id=self._next_webhook_id,
            name=f"Encore {topic}",
            topic=topic,
            resource=topic.split(".")[0],
            event=topic.split(".")[1],
            status=status,
            delivery_url=url or "https://hooks.example.net/other",
        )
        self.webhooks.append(hook)
        return int(self._next_webhook_id)

    def mirror(self, store: Store, app_url: str = "https://encore.example.com") -> None:
        """The webhooks `connected_store` recorded, as the store itself lists them."""
        for topic in TOPICS:
            self.add_webhook(topic, url=f"{app_url}/webhooks/woocommerce/{store.public_id}")
            self.webhooks[-1]["id"] = int(webhook_id_of(topic))

    def webhook(self, topic: str) -> dict[str, Any] | None:
        return next((h for h in self.webhooks if h["topic"] == topic), None)

    def calls(self, method: str, path: str) -> list[Any]:
        return [
            r
            for r in self.requests
            if r.method == method and urlsplit(r.url).path == urlsplit(self.api + "/" + path).path
        ]

    # -- answering --------------------------------------------------------------------
    def _answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        self.requests.append(request)
        status = self.fail_next.pop(0) if self.fail_next else None
        if status is None and self.outage is not None:
            status = self.outage(request)
        if status is not None:
            return status, {}, json.dumps({"code": "error", "message": "down", "data": {}})
        parts = urlsplit(request.url)
        path = parts.path.removeprefix(urlsplit(self.api).path + "/")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        body = json.loads(request.body) if request.body else {}
        if path == "webhooks":
            if request.method == "POST":
                return self._create_webhook(body)
            return self._page(self.webhooks, query)
        match = re.fullmatch(r"webhooks/(\d+)", path)
        if match:
            return self._one_webhook(request.method, int(match.group(1)), body)
        if path == "orders":
            return self._page(self._orders(query), query)
        if path == "products":
            return self._page(self._modified(self.products, query), query)
        match = re.fullmatch(r"products/(\d+)/variations", path)
        if match:
            return self._page(self.variations.get(int(match.group(1)), []), query)
        match = re.fullmatch(r"products/(\d+)", path)
        if match:
            found = [p for p in self.products if p["id"] == int(match.group(1))]
            if found:
                return 200, {}, json.dumps(found[0])
        return 404, {}, json.dumps({"code": "rest_no_route", "message": "No route", "data": {}})

    def _create_webhook(self, body: dict[str, Any]) -> tuple[int, dict[str, str], str]:
        hook_id = self.add_webhook(
            body["topic"], body.get("status", "active"), body["delivery_url"]
        )
        self.webhooks[-1]["name"] = body.get("name", "")
        self.secrets[hook_id] = body.get("secret", "")
        return 201, {}, json.dumps(self.webhooks[-1])

    def _one_webhook(
        self, method: str, hook_id: int, body: dict[str, Any]
    ) -> tuple[int, dict[str, str], str]:
        hook = next((h for h in self.webhooks if h["id"] == hook_id), None)
        if hook is None:
            return 404, {}, json.dumps({"code": "woocommerce_rest_webhook_invalid_id"})
        if method == "PUT":
            hook.update({k: v for k, v in body.items() if k in {"status", "name"}})
        if method == "DELETE":
            self.webhooks.remove(hook)
        return 200, {}, json.dumps(hook)

    def _orders(self, query: dict[str, str]) -> list[dict[str, Any]]:
        orders = self._modified(self.orders, query)
        if "after" in query:
            orders = [o for o in orders if _gmt(o["date_created_gmt"]) > _gmt(query["after"])]
        if "before" in query:
            orders = [o for o in orders if _gmt(o["date_created_gmt"]) < _gmt(query["before"])]
        return orders

    def _modified(self, items: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
        if "modified_after" in query:
            start = _gmt(query["modified_after"])
            items = [i for i in items if _gmt(i["date_modified_gmt"]) > start]
        if "modified_before" in query:
            end = _gmt(query["modified_before"])
            items = [i for i in items if _gmt(i["date_modified_gmt"]) < end]
        return sorted(items, key=lambda i: i["id"])

    def _page(
        self, items: list[dict[str, Any]], query: dict[str, str]
    ) -> tuple[int, dict[str, str], str]:
        per_page = int(query.get("per_page", 10))
        page = int(query.get("page", 1))
        total_pages = max(1, -(-len(items) // per_page)) if items else 0
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(total_pages)}
        return 200, headers, json.dumps(chunk)


@contextmanager
def fake_store(url: str = STORE_URL) -> Iterator[FakeStore]:
    """Every outbound call must be mocked; anything else fails as a connection error."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeStore(mock, url)
