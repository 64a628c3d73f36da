"""`encore demo` loads a believable store: products, order history, parcels, and live events."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.demo.loader import PIPELINE_ORDERS, load_demo_store
from plugin.demo.store import DEMO_DOMAIN, DEMO_NAME, DEMO_ORDER_KIND, find_demo_store
from plugin.jobs.queue import enqueue
from plugin.jobs.worker import Worker
from plugin.models import (
    Customer,
    InboxEvent,
    InboxStatus,
    Order,
    Platform,
    Product,
    Shipment,
    Store,
    Variant,
)
from plugin.offers.recommender.learning import NEIGHBOURS_JOB
from tests.conftest import run_cli
from tests.demo_helpers import expected_catalog_ids, expected_orders, write_small_history


def count(db: Session, model: Any) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return write_small_history(tmp_path / "orders.csv")


@pytest.fixture
def messages() -> list[str]:
    return []


@pytest.fixture
def loaded(app, history: Path, messages: list[str]):
    return load_demo_store(csv_path=history, progress=messages.append)


def test_loading_creates_the_store_with_its_catalog_orders_and_shoppers(db, history, loaded):
    store = find_demo_store(db)
    assert store is not None
    assert (store.platform, store.domain, store.name, store.currency) == (
        Platform.DEMO,
        DEMO_DOMAIN,
        DEMO_NAME,
        "USD",
    )
    assert store.installed_at is not None
    assert count(db, Product) == loaded.products == len(expected_catalog_ids(history))
    assert count(db, Order) == loaded.orders == len(expected_orders(history))
    assert count(db, Customer) == loaded.shoppers == 8
    assert not loaded.already_loaded


def test_products_have_unique_grocery_names_and_real_prices(db, loaded):
    products = db.scalars(select(Product)).all()
    titles = [p.title for p in products]
    assert len(titles) == len(set(titles))
    assert not any(re.fullmatch(r"(Product|Item) ?#?\d+", t) for t in titles)
    assert all(p.vendor and p.product_type and p.image_url for p in products)
    prices = db.scalars(select(Variant.price)).all()
    assert prices and all(price > 0 for price in prices)


def test_the_loader_reports_its_progress(loaded, messages):
    assert any(m.startswith("Catalog:") and "at least 3 times" in m for m in messages)
    assert any(re.match(r"orders \d+/\d+", m) for m in messages)
    assert "ready" in messages[-1]


def test_a_second_load_changes_nothing(db, history, loaded):
    events_before = count(db, InboxEvent)
    again = load_demo_store(csv_path=history, progress=lambda _m: None)
    assert again.already_loaded
    assert (again.products, again.orders, again.shoppers) == (
        loaded.products,
        loaded.orders,
        loaded.shoppers,
    )
    assert count(db, InboxEvent) == events_before
    assert count(db, Store) == 1


def test_reset_loads_the_store_again(db, history, loaded):
    first_id = find_demo_store(db).public_id
    again = load_demo_store(reset=True, csv_path=history, progress=lambda _m: None)
    db.expire_all()
    store = find_demo_store(db)
    assert store.public_id != first_id
    assert not again.already_loaded
    assert (again.products, again.orders) == (loaded.products, loaded.orders)
    assert count(db, Store) == 1
    # The first load's events are gone: the pipeline's orders again, and at most one
    # co-purchase rebuild the new orders scheduled.
    kinds = Counter(db.scalars(select(InboxEvent.kind)))
    assert kinds[DEMO_ORDER_KIND] == PIPELINE_ORDERS
    assert kinds[NEIGHBOURS_JOB] <= 1
    assert set(kinds) <= {DEMO_ORDER_KIND, NEIGHBOURS_JOB}
    assert again.through_pipeline == PIPELINE_ORDERS


def test_an_interrupted_load_is_started_over(db, history):
    db.add(Store(platform=Platform.DEMO, domain=DEMO_DOMAIN, name=DEMO_NAME))  # never finished
    db.commit()
    summary = load_demo_store(csv_path=history, progress=lambda _m: None)
    assert not summary.already_loaded
    assert summary.orders == len(expected_orders(history))
    assert count(db, Store) == 1


def test_the_newest_orders_arrive_through_the_job_pipeline(db, loaded):
    events = db.scalars(select(InboxEvent).where(InboxEvent.kind == DEMO_ORDER_KIND)).all()
    assert len(events) == PIPELINE_ORDERS == loaded.through_pipeline
    assert {e.status for e in events} == {InboxStatus.DONE}
    assert all(e.attempts == 1 and e.topic == "orders/create" for e in events)
    assert all(e.shop_domain == DEMO_DOMAIN for e in events)
    piped = {json.loads(e.body)["id"] for e in events}
    newest = db.scalars(select(Order).order_by(Order.placed_at.desc()).limit(PIPELINE_ORDERS))
    assert {o.platform_order_id for o in newest} == piped
    assert {e.event_key for e in events} == {f"demo:{order_id}" for order_id in piped}


def test_recent_orders_have_parcels_with_timelines(db, loaded):
    shipments = db.scalars(select(Shipment)).all()
    assert shipments and len(shipments) == loaded.shipments
    for shipment in shipments:
        assert shipment.carrier in {"UPS", "USPS", "FedEx"}
        assert shipment.tracking_number and shipment.tracking_url
        assert shipment.events
        assert shipment.status == shipment.events[-1].status


def test_a_demo_event_for_a_removed_store_is_dead_lettered(app, db, loaded):
    store = find_demo_store(db)
    body = json.dumps({"id": "1"})
    enqueue(db, kind=DEMO_ORDER_KIND, topic="orders/create", event_key="demo:gone", body=body)
    Worker(app).drain()
    event = db.scalar(select(InboxEvent).where(InboxEvent.event_key == "demo:gone"))
    db.refresh(event)
    assert event.status == InboxStatus.DEAD
    assert "no longer exists" in (event.last_error or "")
    assert store is not None


@pytest.mark.slow
def test_encore_demo_loads_the_whole_bundled_history(app, db):
    # How long this takes is measured by bench/demo_load.py, not asserted here.
    result = run_cli(app, "demo")
    assert result.exit_code == 0, result.output
    assert "orders 8,000/" in result.output
    assert (count(db, Product), count(db, Order), count(db, Customer)) == (4977, 8533, 306)
    assert count(db, Shipment) > 100
    again = run_cli(app, "demo")
    assert "already loaded" in again.output
