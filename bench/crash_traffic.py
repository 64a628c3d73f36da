"""What the crash proof sends, and a client that sends it as Shopify does (bench/crash.py)."""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from random import Random
from typing import Any

import requests

from bench import servers
from plugin.webhooks.signatures import sign_body

FIXTURES = servers.ROOT / "tests" / "fixtures" / "shopify"
PRODUCTS = 40  # products in the shop; each order has 1-4 of them
SEND_DEADLINE_SECONDS = 120.0  # per delivery: Shopify retries for 48 hours, we for 2 minutes


# --- what is sent ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    event_id: str
    topic: str
    body: bytes
    order_id: str

    def headers(self) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "X-Shopify-Topic": self.topic,
            "X-Shopify-Shop-Domain": servers.SHOP,
            "X-Shopify-API-Version": "2026-10",
            "X-Shopify-Event-Id": self.event_id,
            "X-Shopify-Webhook-Id": f"wh-{self.event_id}",
            "X-Shopify-Triggered-At": datetime.now(UTC).isoformat(),
            "X-Shopify-Hmac-Sha256": sign_body(self.body, servers.API_SECRET),
        }


@dataclass
class Plan:
    deliveries: list[Delivery]  # in sending order, re-sent ones included
    products_of: dict[str, list[str]] = field(default_factory=dict)  # order id -> product ids
    quantity_of: dict[str, int] = field(default_factory=dict)  # order id -> items ordered
    email_of: dict[str, str] = field(default_factory=dict)  # order id -> shopper's address


def order_body(template: dict[str, Any], n: int, rng: Random, plan: Plan) -> bytes:
    """A distinct order of a distinct shopper, in the shape of the recorded webhook."""
    now = datetime.now(UTC).isoformat()
    order_id = 6_100_000_000_000 + n
    customer_id = 7_100_000_000_000 + n
    email = f"shopper{n}@example.com"
    picked = sorted(rng.sample(range(PRODUCTS), rng.randint(1, 4)))
    lines = []
    for k, product in enumerate(picked):
        line = copy.deepcopy(template["line_items"][k % 2])
        line.update(
            id=14_100_000_000_000 + n * 10 + k,
            product_id=8_100_000_000_000 + product,
            variant_id=44_100_000_000_000 + product,
            quantity=rng.randint(1, 3),
            price=f"{2 + product % 9}.49",
            title=f"Product {product}",
        )
        lines.append(line)
    subtotal = sum(float(line["price"]) * line["quantity"] for line in lines)
    customer = dict(template["customer"], id=customer_id, email=email, updated_at=now)
    customer["admin_graphql_api_id"] = f"gid://shopify/Customer/{customer_id}"
    payload = dict(
        template,
        id=order_id,
        admin_graphql_api_id=f"gid://shopify/Order/{order_id}",
        name=f"#{10_000 + n}",
        order_number=10_000 + n,
        email=email,
        token=f"t{order_id}",
        cart_token=f"c{order_id}",
        checkout_token=f"k{order_id}",
        created_at=now,
        processed_at=now,
        updated_at=now,
        customer=customer,
        line_items=lines,
        subtotal_price=f"{subtotal:.2f}",
        total_price=f"{subtotal + 5.99:.2f}",
    )
    key = str(order_id)
    plan.products_of[key] = [str(line["product_id"]) for line in lines]
    plan.quantity_of[key] = sum(line["quantity"] for line in lines)
    plan.email_of[key] = email
    return json.dumps(payload).encode()


def fulfillment_body(template: dict[str, Any], order: dict[str, Any], n: int) -> bytes:
    now = datetime.now(UTC).isoformat()
    number = f"1Z{n:016d}"
    url = f"https://www.ups.com/track?tracknum={number}"
    payload = dict(
        template,
        id=5_100_000_000_000 + n,
        order_id=order["id"],
        created_at=now,
        updated_at=now,
        name=f"{order['name']}.1",
        line_items=order["line_items"],
        tracking_number=number,
        tracking_numbers=[number],
        tracking_url=url,
        tracking_urls=[url],
        admin_graphql_api_id=f"gid://shopify/Fulfillment/{5_100_000_000_000 + n}",
    )
    return json.dumps(payload).encode()


def make_plan(events: int, fulfil_share: float, duplicate_share: float, rng: Random) -> Plan:
    """Orders in sequence; each fulfillment 20-200 places after its order; re-sends after their
    original: half of them right after it (in flight together), half later."""
    orders = json.loads((FIXTURES / "orders_create.json").read_text())
    fulfillment = json.loads((FIXTURES / "fulfillments_create.json").read_text())
    plan = Plan(deliveries=[])
    placed: list[tuple[float, Delivery]] = []
    for n in range(events):
        body = order_body(orders, n, rng, plan)
        order_id = str(6_100_000_000_000 + n)
        placed.append((n, Delivery(f"bench-order-{n}", "orders/create", body, order_id)))
    for n in sorted(rng.sample(range(events), round(events * fulfil_share))):
        order = json.loads(placed[n][1].body)
        body = fulfillment_body(fulfillment, order, n)
        placed.append(
            (
                n + rng.uniform(20, 200),
                Delivery(f"bench-ful-{n}", "fulfillments/create", body, str(order["id"])),
            )
        )
    originals = list(placed)
    for position, delivery in rng.sample(originals, round(len(originals) * duplicate_share)):
        later = 0.001 if rng.random() < 0.5 else rng.uniform(50, 2000)
        placed.append((position + later, delivery))
    plan.deliveries = [delivery for _, delivery in sorted(placed, key=lambda pair: pair[0])]
    return plan


# --- the client ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    delivery: Delivery
    status: int | None  # last answer; None when the last try got no answer
    attempts: int

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class WebhookClient:
    """Posts deliveries like Shopify: retries a connection error, 429 or 5xx with backoff."""

    def __init__(self, url: str) -> None:
        self.url = f"{url}/webhooks/shopify"
        self._sessions = servers.ThreadSessions()

    def send(self, delivery: Delivery) -> Sent:
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            status: int | None = None
            try:
                response = self._sessions.get().post(
                    self.url, data=delivery.body, headers=delivery.headers(), timeout=30
                )
                status = response.status_code
            except requests.RequestException:
                self._sessions.renew()  # the old connection is gone
            retry = status is None or status == 429 or status >= 500
            if not retry or time.monotonic() - started > SEND_DEADLINE_SECONDS:
                return Sent(delivery, status, attempts)
            time.sleep(min(2.0, 0.1 * 2 ** (attempts - 1)))
