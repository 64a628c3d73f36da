"""Storefront latency: thank-you and order-status answers over a store with real volume.

Builds a SQLite store (10k products, 100k orders with line items, parcels and timelines) with
bulk Core inserts, then sends authenticated requests through the WSGI app (Flask test client)
for many distinct orders, first with the answer cache cold, then warm. Prints p50/p95/p99 and
requests per second; asserts nothing. Run: `.venv/bin/python bench/storefront.py`.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import Any

import jwt
from cryptography.fernet import Fernet
from sqlalchemy import Engine, event, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin import create_app
from plugin.models import (
    Customer,
    LineItem,
    Order,
    Product,
    ProductPopularity,
    Shipment,
    ShipmentEvent,
    Store,
    Variant,
)

API_KEY = "bench-client-id"
SECRET = "bench-client-secret"
SHOP = "bench-grocer.myshopify.com"
CHUNK = 10_000
START = datetime(2026, 1, 1, tzinfo=UTC)


def chunks(rows: Iterator[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(engine: Engine, table: Any, rows: Iterator[dict[str, Any]], total: int, what: str) -> None:
    started = time.perf_counter()
    done = 0
    with engine.begin() as connection:
        for batch in chunks(rows):
            connection.execute(insert(table), batch)
            done += len(batch)
            print(f"\r  {what}: {done:,}/{total:,}", end="", flush=True)
    print(f"  ({time.perf_counter() - started:.1f}s)")


def build_store(engine: Engine, products: int, orders: int, rng: random.Random) -> int:
    with engine.begin() as connection:
        store_id = int(
            connection.execute(
                insert(Store).returning(Store.id),
                [
                    {
                        "platform": "shopify",
                        "domain": SHOP,
                        "name": "Bench Grocer",
                        "installed_at": START,
                        "settings": {},
                    }
                ],
            ).scalar_one()
        )
    product_ids = [str(8_000_000_000_000 + n) for n in range(products)]
    bulk(
        engine,
        Product.__table__,
        (
            {
                "store_id": store_id,
                "platform_product_id": pid,
                "title": f"Product {n}",
                "status": "active" if n % 50 else "archived",
                "image_url": f"https://cdn.shopify.com/s/files/1/{n}.jpg",
            }
            for n, pid in enumerate(product_ids)
        ),
        products,
        "products",
    )
    bulk(
        engine,
        Variant.__table__,
        (
            {
                "store_id": store_id,
                "product_id": n + 1,
                "platform_variant_id": f"4{pid}",
                "price": Decimal(f"{2 + n % 40}.{n % 100:02d}"),
                "available": n % 17 != 0,
            }
            for n, pid in enumerate(product_ids)
        ),
        products,
        "variants",
    )
    customers = orders // 5
    bulk(
        engine,
        Customer.__table__,
        (
            {"store_id": store_id, "platform_customer_id": str(7_000_000 + n)}
            for n in range(customers)
        ),
        customers,
        "customers",
    )
    bulk(
        engine,
        Order.__table__,
        (
            {
                "store_id": store_id,
                "platform_order_id": str(5_000_000_000 + n),
                "name": f"#{1000 + n}",
                "customer_id": 1 + n % customers,
                "currency": "USD",
                "total_price": Decimal("25.00"),
                "status": "paid",
                "placed_at": START + timedelta(minutes=n),
                "tracking_token": secrets.token_urlsafe(24),
            }
            for n in range(orders)
        ),
        orders,
        "orders",
    )
    # Popular products really are ordered more often (a long tail, as in a real shop).
    weights = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(products)))
    per_order = 3

    def line_items() -> Iterator[dict[str, Any]]:
        for order in range(1, orders + 1):
            for index in rng.choices(range(products), cum_weights=weights, k=per_order):
                yield {
                    "order_id": order,
                    "store_id": store_id,
                    "platform_product_id": product_ids[index],
                    "platform_variant_id": f"4{product_ids[index]}",
                    "title": "Item",
                    "quantity": 1,
                    "price": Decimal("5.00"),
                }

    bulk(engine, LineItem.__table__, line_items(), orders * per_order, "line items")
    shipped = orders * 6 // 10
    bulk(
        engine,
        Shipment.__table__,
        (
            {
                "store_id": store_id,
                "order_id": order,
                "platform_fulfillment_id": str(order),
                "carrier": "UPS",
                "tracking_number": f"1Z{order:012d}",
                "status": "in_transit",
                "estimated_delivery": START + timedelta(days=3, minutes=order),
            }
            for order in range(1, shipped + 1)
        ),
        shipped,
        "shipments",
    )
    bulk(
        engine,
        ShipmentEvent.__table__,
        (
            {
                "shipment_id": shipment,
                "at": START + timedelta(minutes=shipment, hours=step),
                "status": status,
                "message": message,
                "location": "Louisville, KY",
            }
            for shipment in range(1, shipped + 1)
            for step, (status, message) in enumerate(
                (("confirmed", "Label created"), ("in_transit", "Departed facility"))
            )
        ),
        shipped * 2,
        "shipment events",
    )
    started = time.perf_counter()
    with engine.begin() as connection:
        counted = (
            select(
                LineItem.store_id,
                LineItem.platform_product_id,
                func.count(func.distinct(LineItem.order_id)),
                func.max(Order.placed_at),
            )
            .join(Order, Order.id == LineItem.order_id)
            .group_by(LineItem.store_id, LineItem.platform_product_id)
        )
        connection.execute(
            insert(ProductPopularity).from_select(
                ["store_id", "platform_product_id", "order_count", "last_ordered_at"], counted
            )
        )
    print(f"  popularity counted ({time.perf_counter() - started:.1f}s)")
    return store_id


def token(customer: str | None = None) -> str:
    now = int(time.time())
    claims = {"dest": SHOP, "aud": API_KEY, "exp": now + 600, "nbf": now - 1, "iat": now}
    if customer:
        claims["sub"] = f"gid://shopify/Customer/{customer}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.encode(claims, SECRET, algorithm="HS256")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class StatementCounter:
    """Counts the SQL statements an engine sends (what each answer costs the database)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def run(
    client: Any,
    path: str,
    order_ids: list[str],
    headers: dict[str, str],
    statements: StatementCounter,
) -> dict[str, float]:
    latencies = []
    statements_before = statements.count
    started = time.perf_counter()
    for order_id in order_ids:
        t0 = time.perf_counter()
        response = client.get(path, query_string={"order_id": order_id}, headers=headers)
        latencies.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(
                f"{path} answered {response.status_code}: {response.get_data()[:300]!r}"
            )
    elapsed = time.perf_counter() - started
    return {
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "rps": len(order_ids) / elapsed,
        "sql": (statements.count - statements_before) / len(order_ids),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2_000, help="distinct orders per run")
    args = parser.parse_args()
    rng = random.Random(7)

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "JOBS_BACKEND": "inline",
                "SHOPIFY_API_KEY": API_KEY,
                "SHOPIFY_API_SECRET": SECRET,
                "ENCRYPTION_KEY": Fernet.generate_key().decode(),
                "SECRET_KEY": "bench",
                "HOLDOUT_SHARE": 0.0,
                # Thousands of answers a minute for one shop: measure them, not the limiter.
                "RATELIMIT_ENABLED": False,
                # A cold pass can outlast the default 30 s: keep answers for the warm pass.
                "STOREFRONT_CACHE_SECONDS": 3600,
            }
        )
        engine = app.extensions["encore_db"].engine
        print(f"Building a store: {args.products:,} products, {args.orders:,} orders (SQLite)")
        t0 = time.perf_counter()
        build_store(engine, args.products, args.orders, rng)
        print(f"  built in {time.perf_counter() - t0:.1f}s")

        client = app.test_client()
        statements = StatementCounter(engine)
        headers = {"Authorization": f"Bearer {token()}"}
        picks = rng.sample(range(args.orders), min(args.orders, args.requests * 2))
        thank_you_orders = [f"gid://shopify/OrderIdentity/{5_000_000_000 + n}" for n in picks[::2]]
        status_orders = [f"gid://shopify/Order/{5_000_000_000 + n}" for n in picks[1::2]]
        run(client, "/api/storefront/thank-you", thank_you_orders[:50], headers, statements)  # warm
        app.extensions["encore_cache.surface_facts"].clear()

        figures = {
            "thank-you, cache cold": run(
                client, "/api/storefront/thank-you", thank_you_orders, headers, statements
            ),
            "thank-you, cache warm": run(
                client, "/api/storefront/thank-you", thank_you_orders, headers, statements
            ),
            "order-status, cache cold": run(
                client, "/api/storefront/order-status", status_orders, headers, statements
            ),
            "order-status, cache warm": run(
                client, "/api/storefront/order-status", status_orders, headers, statements
            ),
        }

    print(
        f"\n{len(thank_you_orders):,} distinct orders per run, one process, Flask test client, "
        "SQLite (synchronous=FULL: each answer commits its impression)"
    )
    print(f"{'run':<28}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'SQL/answer':>12}")
    for name, f in figures.items():
        print(
            f"{name:<28}{f['p50']:>9.2f}{f['p95']:>9.2f}{f['p99']:>9.2f}{f['rps']:>9.0f}"
            f"{f['sql']:>12.1f}"
        )


if __name__ == "__main__":
    main()
