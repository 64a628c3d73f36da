"""What the crash proof checks once the inbox has drained: every accepted event exactly once.

Each check reads the database (and the mail sink's messages) and adds a line to the report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from bench.crash_traffic import Plan, Sent


def count_rows(connection: Connection, sql: str, **params: Any) -> int:
    return int(connection.execute(text(sql), params).scalar_one())


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
