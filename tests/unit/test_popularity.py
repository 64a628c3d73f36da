"""Product popularity: counted once per new order, read back best seller first."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from plugin import ingest
from plugin.models import ProductPopularity
from plugin.offers.popularity import record_order, top_products
from plugin.platforms.base import LineItemRecord, OrderRecord
from tests.storefront_helpers import add_order, shopify_store


def counts(db, store) -> dict[str, tuple[int, datetime | None]]:
    db.expire_all()
    rows = db.scalars(select(ProductPopularity).where(ProductPopularity.store_id == store.id))
    return {r.platform_product_id: (r.order_count, r.last_ordered_at) for r in rows}


def test_new_orders_count_each_product_once(db):
    store = shopify_store(db)
    add_order(db, store, "1", ["A", "B", "A"])
    add_order(db, store, "2", ["A"])
    assert {k: v[0] for k, v in counts(db, store).items()} == {"A": 2, "B": 1}


def test_updates_and_replays_of_an_order_do_not_count_again(db):
    store = shopify_store(db)
    add_order(db, store, "1", ["A"])
    add_order(db, store, "1", ["A", "B"])  # orders/updated: same order, a line added
    assert counts(db, store)["A"][0] == 1
    assert "B" not in counts(db, store)


def test_line_items_without_a_product_are_skipped(db):
    store = shopify_store(db)
    record = OrderRecord(
        platform_order_id="1",
        placed_at=datetime(2026, 11, 20, tzinfo=UTC),
        currency="USD",
        total_price=Decimal("3"),
        status="paid",
        line_items=(LineItemRecord(title="Custom tip", quantity=1, price=Decimal("3")),),
    )
    ingest.upsert_order(db, store, record)
    db.commit()
    assert counts(db, store) == {}


def test_last_ordered_never_moves_backwards(db):
    store = shopify_store(db)
    newer = datetime(2026, 11, 20, 12, tzinfo=UTC)
    older = datetime(2026, 11, 1, 12, tzinfo=UTC)
    add_order(db, store, "1", ["A"], placed_at=newer)
    add_order(db, store, "2", ["A"], placed_at=older)  # a late webhook of an older order
    assert counts(db, store)["A"] == (2, newer)


def test_top_products_rank_by_orders_then_recency(db):
    store = shopify_store(db)
    add_order(db, store, "1", ["A", "B"], placed_at=datetime(2026, 11, 1, tzinfo=UTC))
    add_order(db, store, "2", ["B", "C"], placed_at=datetime(2026, 11, 2, tzinfo=UTC))
    add_order(db, store, "3", ["D"], placed_at=datetime(2026, 11, 3, tzinfo=UTC))
    assert top_products(db, store, 10) == ["B", "D", "C", "A"]
    assert top_products(db, store, 2) == ["B", "D"]
    assert top_products(db, store, 0) == []


def test_stores_are_counted_apart(db):
    one = shopify_store(db)
    two = shopify_store(db, shop="other-grocer.myshopify.com")
    add_order(db, one, "1", ["A"])
    add_order(db, two, "1", ["B"])
    assert top_products(db, one, 5) == ["A"]
    assert top_products(db, two, 5) == ["B"]


def test_record_order_can_be_called_directly(db):
    store = shopify_store(db)
    order = add_order(db, store, "1", ["A"])
    record_order(db, store, order)
    db.commit()
    assert counts(db, store)["A"][0] == 2
