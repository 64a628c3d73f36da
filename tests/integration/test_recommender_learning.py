"""Every order teaches the recommender at once; the storefront reads only what was learned."""

from __future__ import annotations

import math

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.jobs.worker import Worker
from plugin.models import Customer, InboxEvent, Store, utcnow
from plugin.offers.recommender.learning import NEIGHBOURS_JOB
from plugin.offers.recommender.neighbours import refresh_neighbours
from plugin.offers.recommender.strategy import rank_products
from plugin.offers.recommender.tables import (
    ProductPair,
    ProductSignal,
    ShopperProduct,
    ShopperProfile,
)
from plugin.offers.strategies import LEARNED, OfferContext, learned_for_shopper
from tests.storefront_helpers import add_order, add_product, shopify_store


@pytest.fixture
def store(db: Session) -> Store:
    store = shopify_store(db)
    for product_id in ("1", "2", "3", "4", "5", "6"):
        add_product(db, store, product_id)
    return store


def shopper(db: Session, store: Store, platform_id: str) -> Customer:
    customer = db.scalar(
        select(Customer).where(
            Customer.store_id == store.id, Customer.platform_customer_id == platform_id
        )
    )
    assert customer is not None
    return customer


def history(db: Session, customer: Customer) -> dict[str, tuple[int, int, float]]:
    return {
        row.platform_product_id: (row.times_bought, row.last_bought_at_order, row.decayed)
        for row in db.scalars(
            select(ShopperProduct).where(ShopperProduct.customer_id == customer.id)
        )
    }


def test_each_order_ages_the_shoppers_history_and_adds_its_products(db, store) -> None:
    add_order(db, store, "1001", ["1", "2"], customer_id="77")
    add_order(db, store, "1002", ["1", "3"], customer_id="77")
    add_order(db, store, "1003", ["1"], customer_id="77")

    customer = shopper(db, store, "77")
    learned = history(db, customer)
    assert learned["1"][:2] == (3, 3)
    assert math.isclose(learned["1"][2], (1 * 0.85 + 1) * 0.85 + 1)
    assert learned["2"] == (1, 1, 1.0)  # aged when read, not rewritten on every order
    assert learned["3"] == (1, 2, 1.0)
    profile = db.scalar(select(ShopperProfile).where(ShopperProfile.customer_id == customer.id))
    assert profile is not None and profile.orders_learned == 3


def test_rebuys_are_counted_per_product_and_guests_count_only_as_orders(db, store) -> None:
    add_order(db, store, "1001", ["1", "2"], customer_id="77")
    add_order(db, store, "1002", ["1"], customer_id="77")
    add_order(db, store, "1003", ["1"], customer_id="88")
    add_order(db, store, "1004", ["1", "2"])  # a guest

    signals = {
        s.platform_product_id: (s.orders, s.first_purchases, s.repeat_purchases)
        for s in db.scalars(select(ProductSignal).where(ProductSignal.store_id == store.id))
    }
    assert signals["1"] == (4, 2, 1)
    assert signals["2"] == (2, 1, 0)


def test_an_order_update_or_replay_teaches_nothing_twice(db, store) -> None:
    add_order(db, store, "1001", ["1", "2"], customer_id="77")
    add_order(db, store, "1001", ["1", "2"], customer_id="77", status="fulfilled")

    assert history(db, shopper(db, store, "77"))["1"] == (1, 1, 1.0)
    pairs = db.scalars(select(ProductPair.orders).where(ProductPair.store_id == store.id)).all()
    assert pairs == [1]


def test_neighbours_are_rebuilt_by_one_job_per_store_and_minute(app: Flask, db, store) -> None:
    add_order(db, store, "1001", ["1", "2"], customer_id="77")
    add_order(db, store, "1002", ["1", "2", "3"], customer_id="88")

    jobs = db.scalars(select(InboxEvent).where(InboxEvent.kind == NEIGHBOURS_JOB)).all()
    assert len(jobs) == 1
    jobs[0].run_after = utcnow()  # the job waits a minute to batch a burst of orders
    db.commit()
    Worker(app).drain()
    db.expire_all()

    one = db.scalar(
        select(ProductSignal).where(
            ProductSignal.store_id == store.id, ProductSignal.platform_product_id == "1"
        )
    )
    assert one is not None and not one.neighbours_stale
    # "2" was in both orders with "1" (cosine 2/sqrt(2*2) = 1), "3" in one (1/sqrt(2*1)).
    assert one.neighbours == [["2", 1.0], ["3", round(1 / math.sqrt(2), 6)]]


def test_the_learned_strategy_offers_the_shoppers_habits_first(db, store) -> None:
    add_order(db, store, "1001", ["1", "2"], customer_id="77")
    add_order(db, store, "1002", ["1", "3"], customer_id="77")
    add_order(db, store, "1003", ["1", "4"], customer_id="77")
    add_order(db, store, "2001", ["5", "6"], customer_id="88")
    add_order(db, store, "2002", ["5", "6"], customer_id="99")
    add_order(db, store, "1004", ["4"], customer_id="77")
    refresh_neighbours(db, store)

    context = OfferContext(order_product_ids=frozenset({"4"}), customer=shopper(db, store, "77"))
    offers = learned_for_shopper(db, store, context, 3)

    assert offers[0].platform_product_id == "1"
    assert offers[0].strategy == LEARNED
    assert offers[0].reason == "You buy this regularly"
    assert "4" not in [o.platform_product_id for o in offers]
    assert [o.score for o in offers] == sorted((o.score for o in offers), reverse=True)


def test_a_first_time_shopper_gets_what_sells_with_their_order(db, store) -> None:
    for number in range(3):
        add_order(db, store, f"20{number}", ["5", "6"], customer_id=f"8{number}")
    add_order(db, store, "300", ["1", "2"], customer_id="90")
    add_order(db, store, "301", ["1", "2"], customer_id="91")
    add_order(db, store, "302", ["1", "3"], customer_id="92")
    refresh_neighbours(db, store)

    ranked = rank_products(db, store, {"1"}, None, 3)

    assert [r.platform_product_id for r in ranked[:2]] == ["2", "3"]
    assert ranked[0].because == "together"


def test_offers_are_the_same_before_and_after_the_order_webhook_lands(db, store) -> None:
    add_order(db, store, "1001", ["1", "2"], customer_id="77")
    add_order(db, store, "1002", ["1", "3"], customer_id="77")
    customer = shopper(db, store, "77")

    before = rank_products(db, store, {"4"}, customer, 3)
    add_order(db, store, "1003", ["4"], customer_id="77")
    after = rank_products(db, store, {"4"}, customer, 3)

    assert [r.platform_product_id for r in before] == [r.platform_product_id for r in after]
    # Only store popularity moves (the new order counts there), by less than a thousandth.
    assert [round(r.score, 3) for r in before] == [round(r.score, 3) for r in after]


def test_an_erased_shopper_leaves_no_habits_behind(db, store) -> None:
    from plugin.privacy import redact_customer

    add_order(db, store, "1001", ["1", "2"], customer_id="77")
    customer = shopper(db, store, "77")

    redact_customer(db, store, "77")
    db.commit()

    assert history(db, customer) == {}
    assert (
        db.scalar(select(ShopperProfile).where(ShopperProfile.customer_id == customer.id)) is None
    )
    # Store-wide counts stay, as anonymous numbers.
    assert db.scalar(select(ProductPair.orders).where(ProductPair.store_id == store.id)) == 1
