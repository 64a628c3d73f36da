"""Load: webhook acks and storefront reads at a fixed request rate against gunicorn on localhost.

Per database (PostgreSQL by default; `--db sqlite|postgresql|both`): migrate, install a Shopify
store with products and orders (half of them shipped, with tracking), then start Encore under
gunicorn with the production settings (gunicorn.conf.py) and, in the same run, a bare Flask app
(bench/bare_app.py) under the same settings. Each target is driven at `--rate` requests per
second for `--duration` seconds, open loop: requests leave on a fixed schedule whatever the
server does, and latency is counted from the scheduled moment, so a slow server shows as
latency, not as fewer requests. Targets: the bare route, signed `orders/create` webhooks (each
a distinct event: verify, store, commit, answer; no job worker runs), and the thank-you and
order-status endpoints with a valid session token. Prints p50/p90/p99, error rate, achieved
rate and Encore's ratio to the bare route. Run: `.venv/bin/python bench/load.py`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

import jwt
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers
from plugin.webhooks.signatures import sign_body

FIXTURE = servers.ROOT / "tests" / "fixtures" / "shopify" / "orders_create.json"
TIMEOUT_SECONDS = 10.0
GAVE_UP = "not sent (gave up)"


@dataclass(frozen=True)
class Call:
    """One HTTP request to make."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None = None
    label: str = ""


# --- the store -------------------------------------------------------------------------------


def build_store(app: Any, products: int, orders: int, rng: Random) -> list[str]:
    """Products and orders through the same ingest code as webhooks; returns the order ids."""
    from plugin import ingest
    from plugin.models import Store, utcnow
    from plugin.offers.recommender.neighbours import refresh_neighbours
    from plugin.platforms.base import (
        CustomerRecord,
        LineItemRecord,
        OrderRecord,
        ProductRecord,
        ShipmentEventRecord,
        ShipmentRecord,
        VariantRecord,
    )

    product_ids = [str(8_300_000_000_000 + n) for n in range(products)]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(products)]  # a long tail, as in a shop
    order_ids = []
    with app.app_context():
        db = app.extensions["encore_db"].session()
        store = db.query(Store).filter_by(domain=servers.SHOP).one()
        for n, pid in enumerate(product_ids):
            variant = VariantRecord(
                platform_variant_id=f"4{pid}", price=Decimal(f"{3 + n % 20}.49"), available=True
            )
            ingest.upsert_product(
                db,
                store,
                ProductRecord(
                    platform_product_id=pid,
                    title=f"Product {n}",
                    status="active",
                    image_url=f"https://cdn.shopify.com/s/files/1/{n}.jpg",
                    variants=(variant,),
                ),
            )
        db.commit()
        now = utcnow()
        for n in range(orders):
            order_id = str(6_300_000_000_000 + n)
            picked = sorted(set(rng.choices(product_ids, weights=weights, k=rng.randint(1, 4))))
            placed = now - timedelta(hours=rng.uniform(1, 72))
            shipments: tuple[ShipmentRecord, ...] = ()
            if n % 2 == 0:
                number = f"1Z{n:016d}"
                shipments = (
                    ShipmentRecord(
                        platform_fulfillment_id=str(5_300_000_000_000 + n),
                        platform_order_id=order_id,
                        tracking_number=number,
                        tracking_url=f"https://www.ups.com/track?tracknum={number}",
                        carrier="UPS",
                        status="in_transit",
                        shipped_at=placed + timedelta(hours=1),
                        events=(
                            ShipmentEventRecord(placed + timedelta(hours=1), "confirmed"),
                            ShipmentEventRecord(placed + timedelta(hours=9), "in_transit"),
                        ),
                    ),
                )
            ingest.upsert_order(
                db,
                store,
                OrderRecord(
                    platform_order_id=order_id,
                    placed_at=placed,
                    currency="USD",
                    total_price=Decimal("25.00"),
                    status="paid",
                    name=f"#{20_000 + n}",
                    customer=CustomerRecord(platform_customer_id=str(7_300_000_000_000 + n)),
                    line_items=tuple(
                        LineItemRecord(
                            title="Item",
                            quantity=1,
                            price=Decimal("5.00"),
                            platform_product_id=pid,
                            platform_variant_id=f"4{pid}",
                        )
                        for pid in picked
                    ),
                    shipments=shipments,
                ),
            )
            order_ids.append(order_id)
            if n % 200 == 199:
                db.commit()
        refresh_neighbours(db, store)
        db.commit()
    return order_ids


# --- what each target asks -------------------------------------------------------------------


def session_token() -> str:
    now = int(time.time())
    claims = {"dest": servers.SHOP, "aud": servers.API_KEY, "exp": now + 3600, "nbf": now - 5}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.encode(claims, servers.API_SECRET, algorithm="HS256")


def bare_calls(url: str) -> Callable[[int], Call]:
    def call(_n: int) -> Call:
        return Call("GET", f"{url}/bare", {}, label="bare")

    return call


def webhook_calls(url: str, run: str) -> Callable[[int], Call]:
    """Signed orders/create deliveries, each a distinct event and order."""
    template = json.loads(FIXTURE.read_text())

    def call(n: int) -> Call:
        order_id = 6_400_000_000_000 + n
        body = json.dumps(dict(template, id=order_id, name=f"#{40_000 + n}")).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Shop-Domain": servers.SHOP,
            "X-Shopify-Event-Id": f"load-{run}-{n}",
            "X-Shopify-Hmac-Sha256": sign_body(body, servers.API_SECRET),
        }
        return Call("POST", f"{url}/webhooks/shopify", headers, body, label="webhook")

    return call


def storefront_calls(url: str, order_ids: list[str], seed: int) -> Callable[[int], Call]:
    """Thank-you and order-status reads, alternating, for orders picked at random."""
    headers = {"Authorization": f"Bearer {session_token()}"}
    picks = Random(seed)
    lock = threading.Lock()

    def call(n: int) -> Call:
        with lock:
            order_id = picks.choice(order_ids)
        if n % 2 == 0:
            target = (
                f"{url}/api/storefront/thank-you?order_id=gid://shopify/OrderIdentity/{order_id}"
            )
            return Call("GET", target, headers, label="thank-you")
        target = f"{url}/api/storefront/order-status?order_id=gid://shopify/Order/{order_id}"
        return Call("GET", target, headers, label="order-status")

    return call


# --- the open-loop driver --------------------------------------------------------------------


@dataclass
class Outcome:
    label: str
    latency_ms: float  # from the scheduled moment to the full answer (or to giving up)
    result: str  # the HTTP status, "timeout", "connection error" or "not sent" (gave up)

    @property
    def ok(self) -> bool:
        return self.result.startswith("2")


@dataclass
class Figures:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    elapsed: float = 0.0

    def latencies(self, label: str | None = None) -> list[float]:
        return sorted(o.latency_ms for o in self.outcomes if label in (None, o.label))

    def percentile(self, share: float, label: str | None = None) -> float:
        ordered = self.latencies(label)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


class Driver:
    """Sends `rate` requests per second for `duration` seconds from a bounded thread pool."""

    def __init__(self, rate: float, duration: float, threads: int) -> None:
        self.rate, self.duration, self.threads = rate, duration, threads
        self._sessions = servers.ThreadSessions()

    def _send(self, call: Call, due: float) -> Outcome:
        """One request; a shopper's browser gives up on a request that could not even start
        within the timeout, and so does this client (an overloaded run stays bounded)."""
        if time.perf_counter() - due > TIMEOUT_SECONDS:
            return Outcome(call.label, (time.perf_counter() - due) * 1000, GAVE_UP)
        try:
            response = self._sessions.get().request(
                call.method, call.url, headers=call.headers, data=call.body, timeout=TIMEOUT_SECONDS
            )
            result = str(response.status_code)
        except requests.Timeout:
            result = "timeout"
        except requests.RequestException:
            self._sessions.renew()
            result = "connection error"
        return Outcome(call.label, (time.perf_counter() - due) * 1000, result)

    def run(self, name: str, make_call: Callable[[int], Call]) -> Figures:
        count = int(self.rate * self.duration)
        figures = Figures(name)
        started = time.perf_counter() + 0.05
        with ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix=name) as pool:
            futures = []
            for n in range(count):
                due = started + n / self.rate
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                futures.append(pool.submit(self._send, make_call(n), due))
            figures.outcomes = [future.result() for future in futures]
        figures.elapsed = time.perf_counter() - started
        return figures

    def warm_up(self, make_call: Callable[[int], Call], count: int = 100) -> None:
        for n in range(count):
            self._send(make_call(1_000_000 + n), time.perf_counter())


# --- printing --------------------------------------------------------------------------------


def row(name: str, figures: Figures, label: str | None = None) -> str:
    outcomes = [o for o in figures.outcomes if label in (None, o.label)]
    errors = sum(not o.ok for o in outcomes)
    answered = sum(o.result != GAVE_UP for o in outcomes)  # the achieved rate
    return (
        f"{name:<32}{len(outcomes):>8,}{errors:>8,}{100 * errors / max(len(outcomes), 1):>8.2f}"
        f"{answered / figures.elapsed:>11.1f}"
        f"{figures.percentile(0.50, label):>9.2f}"
        f"{figures.percentile(0.90, label):>9.2f}{figures.percentile(0.99, label):>9.2f}"
        f"{figures.latencies(label)[-1]:>9.1f}"
    )


def print_table(results: list[Figures]) -> None:
    print(
        f"  {'target':<32}{'sent':>8}{'errors':>8}{'err %':>8}{'answered/s':>11}"
        f"{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for figures in results:
        print("  " + row(figures.name, figures))
        if figures.name.startswith("Encore storefront"):
            for label in ("thank-you", "order-status"):
                print("  " + row(f"  {label}", figures, label))
    for figures in results:
        errors = Counter(o.result for o in figures.outcomes if not o.ok)
        if errors:
            listed = ", ".join(f"{result}: {count:,}" for result, count in errors.most_common())
            print(f"  {figures.name} errors: {listed}")
    bare = results[0]
    for figures in results[1:]:
        p50 = figures.percentile(0.50) / bare.percentile(0.50)
        p99 = figures.percentile(0.99) / bare.percentile(0.99)
        print(f"  {figures.name} / bare route: p50 {p50:.1f}x, p99 {p99:.1f}x")


# --- one run ---------------------------------------------------------------------------------


def run_on(database: servers.Database, args: argparse.Namespace, tmp: Path) -> None:
    print(f"\n== {database.label} ==")
    config = servers.encore_config(database)
    servers.migrate(config, tmp / "migrate.log")
    app = servers.open_app(config)
    servers.install_shopify_store(app)
    started = time.perf_counter()
    order_ids = build_store(app, args.products, args.orders, Random(args.seed))
    print(
        f"  store: {args.products:,} products, {args.orders:,} orders (half shipped), "
        f"built in {time.perf_counter() - started:.0f}s"
    )
    app.extensions["encore_db"].dispose()
    env = servers.environment(config)
    encore_port, bare_port = servers.free_port(), servers.free_port()
    encore = servers.WebServer(
        servers.gunicorn_command(encore_port, workers=args.workers),
        env,
        encore_port,
        tmp / "web.log",
    )
    bare = servers.WebServer(
        servers.gunicorn_command(bare_port, "bare", args.workers), env, bare_port, tmp / "bare.log"
    )
    driver = Driver(args.rate, args.duration, args.threads)
    targets = [
        ("bare Flask GET /bare", bare_calls(bare.url)),
        ("Encore POST /webhooks/shopify", webhook_calls(encore.url, str(time.time_ns()))),
        ("Encore storefront reads", storefront_calls(encore.url, order_ids, args.seed)),
    ]
    try:
        encore.start()
        bare.start()
        print(f"  gunicorn {' '.join(encore.command[1:])}")
        for _, make_call in targets:
            driver.warm_up(make_call)
        print(f"  web workers: Encore {len(encore.worker_pids())}, bare {len(bare.worker_pids())}")
        print(f"  start: {servers.machine_load()}")
        results = []
        for name, make_call in targets:
            results.append(driver.run(name, make_call))
            print(f"  {name}: done ({servers.machine_load()})", flush=True)
    finally:
        encore.stop()
        bare.stop()
    print(
        f"\n  {args.rate:g} requests/s for {args.duration:g}s per target, open loop: latency "
        f"counts from the scheduled send; {args.threads} client threads, one HTTP session each; "
        f"a request not started {TIMEOUT_SECONDS:g}s after its time is given up (an error)"
    )
    print_table(results)
    print(f"  end: {servers.machine_load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per target")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="postgresql")
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=64, help="client threads (bounded pool)")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)"
    )
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if args.rate * args.duration > 100_000:
        parser.error("at most 100,000 requests per target")

    tmp = Path(tempfile.mkdtemp(prefix="encore-load-"))
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    for kind in kinds:
        run_dir = tmp / kind
        run_dir.mkdir()
        found = (
            servers.sqlite_database(run_dir)
            if kind == "sqlite"
            else servers.postgres_database("encore_load")
        )
        if isinstance(found, str):
            print(f"\n== PostgreSQL: SKIPPED: {found} ==")
            continue
        try:
            run_on(found, args, run_dir)
        finally:
            if not args.keep:
                servers.drop_database(found)
    if args.keep:
        print(f"\nLogs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
