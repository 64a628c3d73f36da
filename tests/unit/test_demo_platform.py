"""The demo platform turns the grocery history into orders that look like a live store's."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from plugin.demo.catalog import build_catalog
from plugin.demo.history import count_products, read_order_lines
from plugin.demo.shipping import parcel_for
from plugin.demo.timeline import RECENT_DAYS, HistoryOrder, place_orders
from plugin.platforms.base import PayloadError
from plugin.platforms.demo import normalize_order, order_payload, order_records, product_record
from plugin.tracking.status import TrackingStatus
from tests.demo_helpers import RARE_ONLY_ORDER, write_small_history

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
JOURNEY = [
    TrackingStatus.CONFIRMED,
    TrackingStatus.IN_TRANSIT,
    TrackingStatus.OUT_FOR_DELIVERY,
    TrackingStatus.DELIVERED,
]


@pytest.fixture
def history(tmp_path: Path):
    lines = read_order_lines(write_small_history(tmp_path / "orders.csv"))
    catalog = build_catalog(count_products(lines))
    return lines, catalog


def test_each_shoppers_newest_order_falls_in_the_last_two_weeks():
    orders = [
        HistoryOrder(f"o{u}-{n}", str(u), n, None if n == 1 else 7.0)
        for u in range(30)
        for n in (1, 2, 3)
    ]
    placed = place_orders(orders, NOW)
    for user in range(30):
        newest = placed[f"o{user}-3"]
        assert NOW - timedelta(days=RECENT_DAYS) <= newest < NOW


def test_earlier_orders_walk_back_by_the_days_between_them():
    orders = [
        HistoryOrder("a", "1", 1, None),
        HistoryOrder("b", "1", 2, 12.0),
        HistoryOrder("c", "1", 3, 5.0),
        HistoryOrder("d", "1", 4, 0.0),  # a same-day reorder
    ]
    placed = place_orders(orders, NOW)
    assert placed["a"] < placed["b"] < placed["c"] < placed["d"]
    assert abs((placed["c"] - placed["b"]).total_seconds() / 86400 - 5) < 1
    assert abs((placed["b"] - placed["a"]).total_seconds() / 86400 - 12) < 1
    assert placed["c"].date() == placed["d"].date() or placed["d"] - placed["c"] < timedelta(
        hours=5
    )


def test_orders_are_named_in_date_order_from_1001(history):
    lines, catalog = history
    records = order_records(lines, catalog, NOW)
    assert [r.name for r in records] == [f"#{1001 + i}" for i in range(len(records))]
    assert [r.placed_at for r in records] == sorted(r.placed_at for r in records)
    assert all(r.currency == "USD" for r in records)


def test_lines_without_a_catalog_product_are_dropped_and_so_are_empty_orders(history):
    lines, catalog = history
    records = order_records(lines, catalog, NOW)
    assert RARE_ONLY_ORDER not in {r.platform_order_id for r in records}
    for record in records:
        assert record.line_items
        assert all(item.platform_product_id in catalog for item in record.line_items)
        assert all(item.quantity == 1 for item in record.line_items)
        assert all(
            item.price == catalog[item.platform_product_id].price for item in record.line_items
        )
        assert record.subtotal_price == sum(item.price for item in record.line_items)
        assert record.total_price >= record.subtotal_price
        assert record.customer is not None and record.customer.first_name


def test_a_product_is_one_variant_with_the_catalog_price(history):
    _lines, catalog = history
    item = next(iter(catalog.values()))
    record = product_record(item, NOW)
    assert record.title == item.title
    assert len(record.variants) == 1
    assert record.variants[0].price == item.price
    assert record.variants[0].available == item.available
    assert record.variants[0].platform_variant_id != record.platform_product_id


def test_a_parcel_moves_along_its_journey_as_time_passes():
    placed = NOW - timedelta(days=9)
    seen = []
    for hour in range(0, 9 * 24, 2):
        parcel = parcel_for("4242", placed, placed + timedelta(hours=hour), "Denver, CO")
        if parcel is not None:
            seen.append(TrackingStatus(parcel.status))
    assert seen[0] is TrackingStatus.CONFIRMED
    assert seen[-1] is TrackingStatus.DELIVERED
    positions = [JOURNEY.index(status) for status in seen]
    assert positions == sorted(positions)
    assert set(seen) == set(JOURNEY)


def test_a_parcel_tells_a_consistent_story():
    for n in range(200):
        placed = NOW - timedelta(hours=3 + n * 1.2)
        parcel = parcel_for(str(7000 + n), placed, NOW, "Madison, WI")
        if parcel is None:
            continue
        assert parcel.carrier in {"UPS", "USPS", "FedEx"}
        assert parcel.tracking_number in (parcel.tracking_url or "")
        assert [e.at for e in parcel.events] == sorted(e.at for e in parcel.events)
        assert all(placed < e.at <= NOW for e in parcel.events)
        assert parcel.status == parcel.events[-1].status
        assert (parcel.delivered_at is not None) == (parcel.status == TrackingStatus.DELIVERED)


def test_only_recent_orders_have_live_parcels():
    assert parcel_for("1", NOW - timedelta(days=11), NOW, "Boise, ID") is None
    assert parcel_for("1", NOW - timedelta(minutes=20), NOW, "Boise, ID") is None  # not packed yet
    delivered = parcel_for("1", NOW - timedelta(days=9, hours=20), NOW, "Boise, ID")
    assert delivered is not None and delivered.status == TrackingStatus.DELIVERED


def test_orders_are_paid_until_their_parcel_moves_then_fulfilled(history):
    lines, catalog = history
    for record in order_records(lines, catalog, NOW):
        moving = record.shipments and record.shipments[0].status != TrackingStatus.CONFIRMED
        old = NOW - record.placed_at > timedelta(days=10)
        assert record.status == ("fulfilled" if moving or old else "paid")


def test_an_order_survives_the_trip_through_a_json_body(history):
    lines, catalog = history
    records = order_records(lines, catalog, NOW)
    with_parcel = next(r for r in records if r.shipments)
    for record in (records[0], with_parcel):
        body = json.loads(json.dumps(order_payload(record)))
        assert normalize_order(body) == record


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda b: b.pop("id"), "id is missing"),
        (lambda b: b.update(status="shipped"), "not an order status"),
        (lambda b: b.update(total_price="-3"), "non-negative"),
        (lambda b: b.update(line_items=[]), "line_items"),
        (lambda b: b["line_items"][0].update(quantity=0), "quantity"),
        (lambda b: b.update(placed_at="yesterday"), "ISO 8601"),
    ],
)
def test_a_body_that_cannot_be_understood_is_a_payload_error(history, change, reason):
    lines, catalog = history
    body = copy.deepcopy(order_payload(order_records(lines, catalog, NOW)[0]))
    change(body)
    with pytest.raises(PayloadError, match=reason):
        normalize_order(body)


def test_a_body_that_is_not_an_object_is_a_payload_error():
    with pytest.raises(PayloadError):
        normalize_order(["not", "an", "order"])


def test_max_orders_reads_only_the_first_orders(tmp_path: Path):
    path = write_small_history(tmp_path / "orders.csv")
    lines = read_order_lines(path, max_orders=3)
    assert len({line.order_id for line in lines}) == 3
    assert len(lines) == 24


def test_amounts_in_bodies_are_exact_decimal_strings(history):
    lines, catalog = history
    body = order_payload(order_records(lines, catalog, NOW)[0])
    assert isinstance(body["total_price"], str)
    assert Decimal(body["subtotal_price"]) == sum(Decimal(i["price"]) for i in body["line_items"])
