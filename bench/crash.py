"""Crash proof: thousands of signed order webhooks while web and job processes are SIGKILLed.

For each database (SQLite file, PostgreSQL): migrate with `encore db upgrade`, install a Shopify
store, start gunicorn (2 workers) and 2 `encore worker` processes and a local SMTP sink. A
bounded client (a thread pool) sends signed `orders/create` webhooks, one distinct order and
shopper each, plus `fulfillments/create` for some of them (a shipping email each), and re-sends
a share of them with the same event id, some at the same moment as the original. It retries
like Shopify: a connection error or a 5xx is tried again, a 2xx means accepted. Meanwhile two
chaos threads (seeded) SIGKILL, at random moments, the gunicorn master or a gunicorn worker,
and an `encore worker`, and restart them. Once the inbox has drained it checks that every accepted
event was processed exactly once: orders, line items, counters, shipments and emails.
Exit status 1 when a check fails. Run: `.venv/bin/python bench/crash.py` (`make bench-crash`).
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from random import Random
from typing import Any

import requests
from sqlalchemy import text
from sqlalchemy.engine import Connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers
from plugin.webhooks.signatures import sign_body

FIXTURES = servers.ROOT / "tests" / "fixtures" / "shopify"
PRODUCTS = 40  # products in the shop; each order has 1-4 of them
WEB_WORKERS = 2
JOB_WORKERS = 2
LEASE_SECONDS = 20  # a killed worker's claim is taken over after this long
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


# --- chaos -----------------------------------------------------------------------------------


Strike = Callable[[Random], str]


class Chaos(threading.Thread):
    """At seeded random moments, SIGKILLs a process of one kind and brings it back.

    The next strike is timed from the moment the last one recovered, so the service is down
    in bursts, not all the time.
    """

    def __init__(self, strike: Strike, rng: Random, every: float, max_kills: int) -> None:
        super().__init__(daemon=True)
        self.strike, self.rng, self.every, self.max_kills = strike, rng, every, max_kills
        self.stop = threading.Event()
        self.kills: Counter[str] = Counter()
        self.errors: list[str] = []

    def run(self) -> None:
        while sum(self.kills.values()) < self.max_kills:
            if self.stop.wait(self.rng.uniform(0.5, 1.5) * self.every):
                return
            try:
                self.kills[self.strike(self.rng)] += 1
            except Exception as exc:  # reported, and the run goes on (the checks will tell)
                self.errors.append(f"{type(exc).__name__}: {exc}")


def strike_web(web: servers.WebServer) -> Strike:
    def strike(rng: Random) -> str:
        if rng.random() < 0.4:
            web.kill_master_and_restart()
            return "gunicorn master"
        return "gunicorn worker" if web.kill_worker(rng) else "nothing (no web worker yet)"

    return strike


def strike_job_worker(workers: servers.JobWorkers) -> Strike:
    def strike(rng: Random) -> str:
        workers.kill_one_and_restart(rng)
        return "encore worker"

    return strike


# --- running ---------------------------------------------------------------------------------


def kills(chaos: list[Chaos]) -> Counter[str]:
    return sum((c.kills for c in chaos), Counter())


def send_all(client: WebhookClient, plan: Plan, concurrency: int, chaos: list[Chaos]) -> list[Sent]:
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="client") as pool:
        futures: list[Future[Sent]] = [pool.submit(client.send, d) for d in plan.deliveries]
        pending: Iterable[Future[Sent]] = futures
        while pending:
            _, pending = wait(pending, timeout=10)
            finished = len(futures) - len(pending)
            print(
                f"  sent {finished:,}/{len(futures):,}  kills so far: {kills(chaos).total()}",
                flush=True,
            )
        return [future.result() for future in futures]


def count_rows(connection: Connection, sql: str, **params: Any) -> int:
    return int(connection.execute(text(sql), params).scalar_one())


def wait_for_drain(engine: Any, seconds: float) -> float:
    """Until no webhook is left to process, nothing due is waiting and no email is due."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        now = datetime.now(UTC).replace(tzinfo=None)
        with engine.connect() as connection:
            left = count_rows(
                connection,
                "SELECT count(*) FROM inbox WHERE status IN ('pending', 'running') AND "
                "(kind = 'shopify.webhook' OR status = 'running' OR run_after <= :now)",
                now=now,
            ) + count_rows(
                connection,
                "SELECT count(*) FROM notifications WHERE status = 'pending' "
                "AND claimed_at IS NULL AND send_after <= :now",
                now=now,
            )
        if left == 0:
            return time.monotonic() - started
        time.sleep(1.0)
    return time.monotonic() - started


# --- checks ----------------------------------------------------------------------------------


@dataclass
class Report:
    rows: list[tuple[str, str, bool | None]] = field(default_factory=list)

    def figure(self, name: str, value: object) -> None:
        self.rows.append((name, _fmt(value), None))

    def check(self, name: str, value: object, ok: bool) -> None:
        self.rows.append((name, _fmt(value), ok))

    @property
    def passed(self) -> bool:
        return all(ok is not False for _, _, ok in self.rows)

    def print(self) -> None:
        width = max(len(name) for name, _, _ in self.rows) + 2
        for name, value, ok in self.rows:
            mark = "" if ok is None else ("ok" if ok else "FAIL")
            print(f"  {name:<{width}}{value:>14}  {mark}")


def _fmt(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


UNIQUE_KEYS = {
    "inbox": "event_key",
    "orders": "store_id, platform_order_id",
    "customers": "store_id, platform_customer_id",
    "line_items": "order_id, platform_line_item_id",
    "shipments": "store_id, platform_fulfillment_id, tracking_number",
    "shipment_events": "shipment_id, at, status",
    "notifications": "shipment_id, milestone, channel",
    "product_popularity": "store_id, platform_product_id",
    "product_signals": "store_id, platform_product_id",
    "product_pairs": "store_id, product_a, product_b",
    "shopper_profiles": "customer_id",
}


def check_sending(report: Report, plan: Plan, sent: list[Sent]) -> set[str]:
    """Returns the event ids accepted at least once."""
    accepted = {s.delivery.event_id for s in sent if s.accepted}
    distinct = {d.event_id for d in plan.deliveries}
    report.figure("deliveries sent (re-sends included)", len(sent))
    report.figure("  of which re-sends of an event", len(sent) - len(distinct))
    report.figure("HTTP requests (client retries included)", sum(s.attempts for s in sent))
    report.figure("deliveries answered 2xx", sum(s.accepted for s in sent))
    refused = Counter(str(s.status) for s in sent if not s.accepted)
    report.check("deliveries never answered 2xx", dict(refused) or 0, not refused)
    report.check("distinct events accepted", f"{len(accepted):,}/{len(distinct):,}", True)
    return accepted


def check_inbox(report: Report, connection: Connection, accepted: set[str]) -> None:
    statuses = connection.execute(
        text("SELECT kind, status, count(*) FROM inbox GROUP BY kind, status ORDER BY 1, 2")
    ).all()
    for kind, status, count in statuses:
        report.figure(f"inbox {kind} {status}", int(count))
    keys = connection.execute(
        text("SELECT event_key, status FROM inbox WHERE kind = 'shopify.webhook'")
    ).all()
    stored = Counter(key.rsplit(":", 1)[1] for key, _ in keys)
    report.check(
        "accepted events missing from the inbox",
        len(accepted - set(stored)),
        accepted <= set(stored),
    )
    twice = sum(1 for count in stored.values() if count > 1)
    report.check("events stored more than once", twice, twice == 0)
    not_done = sum(1 for _, status in keys if status != "done")
    report.check("webhook rows not done", not_done, not_done == 0)
    dead = count_rows(connection, "SELECT count(*) FROM inbox WHERE status = 'dead'")
    report.check("dead letters (all kinds)", dead, dead == 0)
    retried = count_rows(connection, "SELECT count(*) FROM inbox WHERE attempts > 1")
    report.figure("inbox rows that needed more than one try", retried)


def check_orders(
    report: Report, connection: Connection, plan: Plan, accepted: set[str]
) -> set[str]:
    """Orders, line items and shoppers against what was sent; returns stored order ids."""
    accepted_orders = {
        d.order_id for d in plan.deliveries if d.event_id in accepted and d.topic == "orders/create"
    }
    rows = connection.execute(
        text(
            "SELECT o.platform_order_id, count(li.id), coalesce(sum(li.quantity), 0) "
            "FROM orders o LEFT JOIN line_items li ON li.order_id = o.id "
            "GROUP BY o.id, o.platform_order_id"
        )
    ).all()
    stored = {str(order_id) for order_id, _, _ in rows}
    report.figure("orders in the database", len(rows))
    missing = accepted_orders - stored
    report.check("accepted orders missing", len(missing), not missing)
    unknown = stored - set(plan.products_of)
    report.check("orders that were never sent", len(unknown), not unknown)
    wrong = [
        order_id
        for order_id, lines, quantity in rows
        if (int(lines), int(quantity))
        != (len(plan.products_of.get(str(order_id), [])), plan.quantity_of.get(str(order_id)))
    ]
    report.check("orders with wrong line items or quantities", len(wrong), not wrong)
    customers = count_rows(connection, "SELECT count(*) FROM customers")
    report.check("shoppers (one per order)", customers, customers == len(rows))
    learned = connection.execute(
        text("SELECT count(*), coalesce(max(orders_learned), 0) FROM shopper_profiles")
    ).one()
    report.check(
        "shopper histories (each learned 1 order)",
        int(learned[0]),
        int(learned[0]) == len(rows) and int(learned[1]) <= 1,
    )
    return stored


def counted(connection: Connection, sql: str) -> Counter[tuple[str, ...]]:
    """A counter column keyed by the other columns of each row (the count comes last)."""
    return Counter(
        {tuple(str(v) for v in row[:-1]): int(row[-1]) for row in connection.execute(text(sql))}
    )


def check_counters(report: Report, connection: Connection, plan: Plan, stored: set[str]) -> None:
    """Store-wide counters are bumped once per order: a job run twice would count twice."""
    per_product: Counter[tuple[str, ...]] = Counter()
    per_pair: Counter[tuple[str, ...]] = Counter()
    for order_id in stored:
        products = sorted(set(plan.products_of[order_id]))
        per_product.update((product,) for product in products)
        per_pair.update(combinations(products, 2))
    for name, expected, sql in (
        (
            "product popularity counts",
            per_product,
            "SELECT platform_product_id, order_count FROM product_popularity",
        ),
        (
            "product signal counts",
            per_product,
            "SELECT platform_product_id, orders FROM product_signals",
        ),
        ("product pair counts", per_pair, "SELECT product_a, product_b, orders FROM product_pairs"),
    ):
        found = counted(connection, sql)
        wrong = sum(1 for key in set(found) | set(expected) if found[key] != expected[key])
        report.check(f"{name} off (of {len(expected):,})", wrong, wrong == 0)


def check_duplicates(report: Report, connection: Connection) -> None:
    total = 0
    for table, key in UNIQUE_KEYS.items():
        total += count_rows(
            connection,
            f"SELECT count(*) FROM (SELECT {key} FROM {table} "
            f"GROUP BY {key} HAVING count(*) > 1) twice",
        )
    report.check(f"duplicate rows on a unique key ({len(UNIQUE_KEYS)} tables)", total, total == 0)


def check_shipments(
    report: Report,
    connection: Connection,
    plan: Plan,
    accepted: set[str],
    mails: list[tuple[int | None, tuple[str, ...]]],
) -> None:
    accepted_shipments = {
        d.order_id
        for d in plan.deliveries
        if d.event_id in accepted and d.topic == "fulfillments/create"
    }
    shipped = Counter(
        str(order_id)
        for (order_id,) in connection.execute(
            text("SELECT o.platform_order_id FROM shipments s JOIN orders o ON o.id = s.order_id")
        ).all()
    )
    report.figure("shipments in the database", sum(shipped.values()))
    missing = accepted_shipments - set(shipped)
    report.check("accepted fulfillments missing", len(missing), not missing)
    rows = connection.execute(
        text(
            "SELECT id, status, claimed_at IS NOT NULL, recipient FROM notifications "
            "WHERE channel = 'email'"
        )
    ).all()
    by_status = Counter(str(status) for _, status, _, _ in rows)
    report.figure("shipping emails planned", len(rows))
    for status, count in sorted(by_status.items()):
        report.figure(f"  {status}", count)
    sent_ids = {int(i) for i, status, _, _ in rows if status == "sent"}
    unconfirmed = {int(i) for i, status, claimed, _ in rows if status == "pending" and claimed}
    received = Counter(notification for notification, _ in mails if notification is not None)
    per_address = Counter(address for _, addresses in mails for address in addresses)
    report.figure("emails the SMTP sink received", len(mails))
    foreign = sum(1 for notification, _ in mails if notification is None)
    report.check("emails without Encore's Message-ID", foreign, foreign == 0)
    twice = sum(1 for count in received.values() if count > 1)
    report.check("notifications emailed more than once", twice, twice == 0)
    twice = sum(1 for count in per_address.values() if count > 1)
    report.check("shoppers emailed more than once", twice, twice == 0)
    lost = sent_ids - set(received)
    report.check("emails marked sent but never received", len(lost), not lost)
    report.figure("  claimed when a worker died (never resent, by design)", len(unconfirmed))
    expected = {plan.email_of[order_id] for order_id in accepted_shipments}
    stray = set(per_address) - expected
    report.check("emails to shoppers without a shipment", len(stray), not stray)
    unplanned = max(0, len(accepted_shipments) - len(rows))
    report.check("shipments without a planned email", unplanned, unplanned == 0)


# --- one run ---------------------------------------------------------------------------------


@dataclass
class Services:
    """Everything one run starts; `stop` ends all of it."""

    app: Any
    web: servers.WebServer
    workers: servers.JobWorkers
    sink: servers.MailSink

    @property
    def engine(self) -> Any:
        return self.app.extensions["encore_db"].engine

    def stop(self) -> None:
        self.web.stop()
        self.workers.stop()
        self.sink.stop()


def start_services(database: servers.Database, tmp: Path) -> Services:
    sink = servers.MailSink()
    sink.start()
    config = servers.encore_config(
        database,
        JOBS_LEASE_SECONDS=LEASE_SECONDS,
        JOBS_BACKOFF_BASE_SECONDS=2,
        TRACKING_TICK_SECONDS=5,  # sends messages a killed worker left unsent
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=sink.port,
        SMTP_STARTTLS="false",
        MAIL_FROM="shipping@bench-grocer.example",
    )
    servers.migrate(config, tmp / "migrate.log")
    app = servers.open_app(config)
    servers.install_shopify_store(app, settings={"quiet_hours": None})
    env = servers.environment(config)
    port = servers.free_port()
    command = servers.gunicorn_command(port, workers=WEB_WORKERS)
    services = Services(
        app=app,
        web=servers.WebServer(command, env, port, tmp / "web.log"),
        workers=servers.JobWorkers(env, JOB_WORKERS, tmp / "worker.log"),
        sink=sink,
    )
    services.web.start()
    services.workers.start()
    print(f"  gunicorn {' '.join(command[1:])}")
    print(f"  {JOB_WORKERS} x encore worker (JOBS_BACKEND=db, lease {LEASE_SECONDS}s)")
    return services


@dataclass
class Timings:
    sending: float = 0.0
    draining: float = 0.0
    in_time: bool = False

    @property
    def total(self) -> float:
        return self.sending + self.draining


def exercise(
    services: Services, plan: Plan, args: argparse.Namespace, chaos: list[Chaos]
) -> tuple[list[Sent], Timings]:
    """Send everything with chaos on, keep the chaos going for a while, then let it drain."""
    timings = Timings()
    started = time.monotonic()
    for thread in chaos:
        thread.start()
    sent = send_all(WebhookClient(services.web.url), plan, args.concurrency, chaos)
    timings.sending = time.monotonic() - started
    timings.draining = wait_for_drain(services.engine, args.chaos_after)
    for thread in chaos:
        thread.stop.set()
    for thread in chaos:
        thread.join(timeout=90)
    timings.draining += wait_for_drain(services.engine, args.drain_timeout)
    timings.in_time = timings.draining < args.chaos_after + args.drain_timeout
    return sent, timings


def verify(
    report: Report, services: Services, plan: Plan, sent: list[Sent], chaos: list[Chaos]
) -> None:
    accepted = check_sending(report, plan, sent)
    with services.engine.connect() as connection:
        check_inbox(report, connection, accepted)
        stored = check_orders(report, connection, plan, accepted)
        check_counters(report, connection, plan, stored)
        check_duplicates(report, connection)
        check_shipments(report, connection, plan, accepted, services.sink.messages())
    for what, count in sorted(kills(chaos).items()):
        report.figure(f"SIGKILL {what}", count)
    report.figure("orphaned web workers killed after their master", services.web.orphans_killed)
    report.figure("new masters that could not bind at once", services.web.failed_starts)
    errors = [error for thread in chaos for error in thread.errors]
    report.check("chaos errors", len(errors), not errors)
    for error in errors[:5]:
        print(f"  chaos error: {error}")


def run_on(database: servers.Database, args: argparse.Namespace, tmp: Path) -> bool:
    print(f"\n== {database.label}: {args.events:,} orders/create, seed {args.seed} ==")
    print(f"  start: {servers.machine_load()}")
    rng = Random(args.seed)
    plan = make_plan(args.events, args.fulfillments, args.duplicates, rng)
    services = start_services(database, tmp)
    chaos = [
        Chaos(strike_web(services.web), Random(rng.random()), args.kill_every, args.max_kills),
        Chaos(
            strike_job_worker(services.workers),
            Random(rng.random()),
            args.kill_every,
            args.max_kills,
        ),
    ]
    print(
        f"  {len(plan.deliveries):,} deliveries from {args.concurrency} client threads; "
        f"SIGKILL about every {args.kill_every:g}s (web and worker each, at most "
        f"{args.max_kills} each)"
    )
    try:
        sent, timings = exercise(services, plan, args, chaos)
    finally:
        for thread in chaos:
            thread.stop.set()
        services.stop()
    report = Report()
    verify(report, services, plan, sent, chaos)
    accepted = sum(s.accepted for s in sent)
    report.figure("sending time", f"{timings.sending:.1f} s")
    report.figure("deliveries accepted per second", f"{accepted / timings.sending:.0f}")
    report.check("drained after the last send", f"{timings.draining:.1f} s", timings.in_time)
    events = len({s.delivery.event_id for s in sent if s.accepted})
    report.figure("events processed per second, end to end", f"{events / timings.total:.0f}")
    services.app.extensions["encore_db"].dispose()
    report.print()
    print(f"  end: {servers.machine_load()}")
    print(f"  {'PASSED' if report.passed else 'FAILED'} on {database.label}")
    return report.passed


def database_for(kind: str, directory: Path) -> servers.Database | None:
    if kind == "sqlite":
        return servers.sqlite_database(directory)
    found = servers.postgres_database("encore_crash")
    if isinstance(found, str):
        print(f"\n== PostgreSQL: SKIPPED: {found} ==")
        return None
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5000, help="distinct orders/create")
    parser.add_argument("--duplicates", type=float, default=0.1, help="share re-sent")
    parser.add_argument("--fulfillments", type=float, default=0.2, help="share of orders shipped")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--kill-every", type=float, default=4.0, help="mean seconds between kills")
    parser.add_argument("--max-kills", type=int, default=50, help="per kind (web, job worker)")
    parser.add_argument("--concurrency", type=int, default=12, help="client threads")
    parser.add_argument("--chaos-after", type=float, default=20.0, help="seconds of draining")
    parser.add_argument("--drain-timeout", type=float, default=600.0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="encore-crash-"))
    passed = []
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    for kind in kinds:
        run_dir = tmp / kind
        run_dir.mkdir()
        database = database_for(kind, run_dir)
        if database is None:
            continue
        try:
            passed.append(run_on(database, args, run_dir))
        finally:
            if not args.keep:
                servers.drop_database(database)
    if args.keep:
        print(f"\nLogs and SQLite file kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    raise SystemExit(0 if passed and all(passed) else 1)


if __name__ == "__main__":
    main()
