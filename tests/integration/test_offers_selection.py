"""Choosing offers: pins first by trigger and surface, the bandit's order, floor, cap, price."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest

from plugin.models import Customer, Surface, utcnow
from plugin.offers import bandit
from plugin.offers.job_requests import Wanted
from plugin.offers.selection import pick_offers
from plugin.offers.strategies import Candidate
from plugin.offers.tables import CollectionProduct, CollectionSync
from tests.offers_helpers import settings, show
from tests.storefront_helpers import add_product, catalogue, shopify_store


@pytest.fixture
def store(db):
    return shopify_store(db)


@pytest.fixture
def products(db, store) -> list[str]:
    return catalogue(db, store, count=8)  # 1001 (most popular) .. 1008


def fixed(name: str, *scored: tuple[str, float]):
    """A strategy that proposes exactly these products with these relevance scores."""

    def strategy(_db, _store, _context, _limit):
        return [Candidate(pid, name, f"because {name}", score) for pid, score in scored]

    strategy.__name__ = name
    return strategy


def ids(offers) -> list[str]:
    return [o.platform_product_id for o in offers]


def customer(db, store, platform_id: str = "7001") -> Customer:
    shopper = Customer(store_id=store.id, platform_customer_id=platform_id)
    db.add(shopper)
    db.commit()
    return shopper


# ---- pinned offers --------------------------------------------------------------------------


def test_a_pin_without_trigger_comes_first_with_its_own_discount(db, store, products):
    settings(db, store, pinned_offers=[{"product_id": "1007", "discount_percent": 20}])
    offers = pick_offers(db, store, {"1001"}, None, rng=random.Random(1))
    assert ids(offers) == ["1007", "1002", "1003"]
    assert offers[0].strategy == "pinned" and offers[0].discount_percent == 20
    assert offers[0].offer_id == "pinned:1007"
    assert offers[1].discount_percent == 0  # the store's own percent for recommendations


def test_a_pin_shows_only_when_a_trigger_product_is_in_the_order(db, store, products):
    settings(db, store, pinned_offers=[{"product_id": "1007", "trigger_product_ids": ["1004"]}])
    assert "1007" not in ids(pick_offers(db, store, {"1001"}, None))
    assert ids(pick_offers(db, store, {"1004"}, None))[0] == "1007"


def test_a_pin_shows_only_on_its_surfaces(db, store, products):
    settings(db, store, pinned_offers=[{"product_id": "1007", "surfaces": ["order_status"]}])
    assert "1007" not in ids(pick_offers(db, store, {"1001"}, None, surface=Surface.THANK_YOU))
    on_status = pick_offers(db, store, {"1001"}, None, surface=Surface.ORDER_STATUS)
    assert ids(on_status)[0] == "1007"
    tracking_page = pick_offers(db, store, {"1001"}, None, surface=Surface.TRACKING_PAGE)
    assert ids(tracking_page)[0] == "1007"


def test_an_inactive_pin_is_not_shown(db, store, products):
    settings(db, store, pinned_offers=[{"product_id": "1007", "active": False}])
    assert "1007" not in ids(pick_offers(db, store, {"1001"}, None))


def test_pins_keep_the_merchants_order_and_never_exceed_three_slots(db, store, products):
    settings(
        db,
        store,
        pinned_offers=[{"product_id": pid} for pid in ("1008", "1006", "1007", "1005")],
    )
    assert ids(pick_offers(db, store, {"1001"}, None)) == ["1008", "1006", "1007"]


def test_a_pin_for_a_product_in_the_order_or_sold_out_leaves_its_slot(db, store, products):
    add_product(db, store, "1008", available=False)
    settings(db, store, pinned_offers=[{"product_id": "1008"}, {"product_id": "1001"}])
    offers = pick_offers(db, store, {"1001"}, None)
    assert ids(offers) == ["1002", "1003", "1004"]
    assert {o.strategy for o in offers} <= {"learned", "popular"}


def test_without_recommendations_fill_only_pins_are_shown(db, store, products):
    settings(
        db,
        store,
        pinned_offers=[{"product_id": "1007"}],
        recommendations_fill={"thank_you": False, "order_status": True},
    )
    assert ids(pick_offers(db, store, {"1001"}, None, surface=Surface.THANK_YOU)) == ["1007"]
    assert len(pick_offers(db, store, {"1001"}, None, surface=Surface.ORDER_STATUS)) == 3


def test_a_collection_trigger_fires_once_the_collection_is_known(db, store, products):
    settings(db, store, pinned_offers=[{"product_id": "1007", "trigger_collection_ids": ["4001"]}])
    wanted = Wanted()
    assert "1007" not in ids(pick_offers(db, store, {"1003"}, None, wanted=wanted))
    assert wanted.collection_ids == {"4001"}  # never read: the caller queues a sync

    db.add(
        CollectionProduct(
            store_id=store.id, platform_collection_id="4001", platform_product_id="1003"
        )
    )
    db.add(CollectionSync(store_id=store.id, platform_collection_id="4001", synced_at=utcnow()))
    db.commit()
    wanted = Wanted()
    assert ids(pick_offers(db, store, {"1003"}, None, wanted=wanted))[0] == "1007"
    assert ids(pick_offers(db, store, {"1002"}, None, wanted=wanted))[0] != "1007"
    assert not wanted.collection_ids  # fresh: nothing to read again


# ---- the bandit's order and the relevance floor --------------------------------------------


def test_strategies_fill_slots_in_the_bandits_order(db, store, products):
    learned = fixed("learned", ("1005", 0.6), ("1006", 0.5), ("1007", 0.4))
    popular = fixed("popular", ("1002", 0.01), ("1003", 0.01), ("1004", 0.01))
    for _ in range(40):  # popular was clicked a lot, learned never
        bandit.count_shown(db, store.id, "thank_you", Counter(popular=10, learned=10))
        bandit.count_click(db, store.id, "thank_you", "popular", first=True)
    db.commit()
    picks = [
        ids(
            pick_offers(
                db, store, {"1001"}, None, strategies=(learned, popular), rng=random.Random(s)
            )
        )
        for s in range(20)
    ]
    assert picks.count(["1002", "1003", "1004"]) == 20


def test_the_same_seed_picks_the_same_offers(db, store, products):
    learned = fixed("learned", ("1005", 0.6), ("1006", 0.5))
    popular = fixed("popular", ("1002", 0.01), ("1003", 0.01))
    runs = [
        ids(
            pick_offers(
                db, store, {"1001"}, None, strategies=(learned, popular), rng=random.Random(3)
            )
        )
        for _ in range(5)
    ]
    assert len({tuple(run) for run in runs}) == 1


def test_without_evidence_learned_goes_first_mostly_and_popularity_is_still_tried(
    db, store, products
):
    learned = fixed("learned", ("1005", 0.6), ("1006", 0.5), ("1007", 0.4))
    popular = fixed("popular", ("1002", 0.01), ("1003", 0.01), ("1004", 0.01))
    firsts = Counter(
        pick_offers(db, store, {"1001"}, None, strategies=(learned, popular), rng=random.Random(s))[
            0
        ].strategy
        for s in range(200)
    )
    # The offline prior (bandit.OFFLINE_HIT_RATES) favours learned offers before any click.
    assert set(firsts) == {"learned", "popular"}
    assert firsts["learned"] > 0.9 * 200


def test_a_product_two_strategies_propose_is_shown_once(db, store, products):
    learned = fixed("learned", ("1005", 0.6), ("1002", 0.5))
    popular = fixed("popular", ("1002", 0.01), ("1005", 0.01), ("1003", 0.01))
    offers = pick_offers(
        db, store, {"1001"}, None, strategies=(learned, popular), rng=random.Random(0)
    )
    assert sorted(ids(offers)) == ["1002", "1003", "1005"]


def test_candidates_at_or_under_the_relevance_floor_are_never_shown(app, db, store, products):
    learned = fixed("learned", ("1005", 0.6), ("1006", 0.05))
    popular = fixed("popular", ("1002", 0.02), ("1003", 0.2))
    app.config["OFFERS_RELEVANCE_FLOOR"] = 0.1
    for seed in range(10):
        offers = pick_offers(
            db, store, {"1001"}, None, strategies=(learned, popular), rng=random.Random(seed)
        )
        assert sorted(ids(offers)) == ["1003", "1005"]


def test_at_the_default_floor_a_candidate_without_evidence_is_dropped(db, store, products):
    noise = fixed("learned", ("1005", 0.0), ("1006", 0.3))
    assert ids(pick_offers(db, store, {"1001"}, None, strategies=(noise,))) == ["1006"]


# ---- exclusions, frequency cap, price ------------------------------------------------------


def test_excluded_products_are_never_offered(db, store, products):
    settings(db, store, excluded_product_ids=["1002", "1004"])
    assert ids(pick_offers(db, store, {"1001"}, None)) == ["1003", "1005", "1006"]


def test_a_product_shown_to_a_shopper_on_three_orders_this_week_is_capped(db, store, products):
    shopper = customer(db, store)
    for n, days_ago in enumerate((1, 2, 3)):
        show(
            db,
            store,
            ["1002"],
            customer_id="7001",
            order_id=f"60{n}",
            at=utcnow() - timedelta(days=days_ago),
        )
    offers = pick_offers(
        db, store, {"1001"}, shopper, strategies=(fixed("popular", ("1002", 0.5), ("1003", 0.4)),)
    )
    assert ids(offers) == ["1003"]
    other = customer(db, store, "7002")
    assert ids(
        pick_offers(db, store, {"1001"}, other, strategies=(fixed("popular", ("1002", 0.5)),))
    ) == ["1002"]


def test_reloads_of_one_order_page_count_once_and_old_showings_not_at_all(db, store, products):
    shopper = customer(db, store)
    for _ in range(5):
        show(db, store, ["1002"], customer_id="7001", order_id="600")  # one order, many reloads
    show(db, store, ["1002"], customer_id="7001", order_id="601", at=utcnow() - timedelta(days=9))
    strategy = fixed("popular", ("1002", 0.5))
    assert ids(pick_offers(db, store, {"1001"}, shopper, strategies=(strategy,))) == ["1002"]


def test_the_order_being_shown_does_not_cap_its_own_offers(db, store, products):
    shopper = customer(db, store)
    settings(db, store, frequency_cap={"max_impressions": 1, "days": 7})
    show(db, store, ["1002"], customer_id="7001", order_id="600")
    strategy = fixed("popular", ("1002", 0.5))
    assert ids(
        pick_offers(db, store, {"1001"}, shopper, strategies=(strategy,), current_order_id="600")
    ) == ["1002"]
    assert (
        ids(
            pick_offers(
                db, store, {"1001"}, shopper, strategies=(strategy,), current_order_id="601"
            )
        )
        == []
    )


def test_offers_far_dearer_than_the_order_are_left_out(db, store, products):
    add_product(db, store, "1002", price="30.00")
    offers = pick_offers(db, store, {"1001"}, None, order_value=Decimal("12.50"))
    assert "1002" not in ids(offers)
    assert "1002" in ids(pick_offers(db, store, {"1001"}, None, order_value=Decimal("15.00")))
    assert "1002" in ids(pick_offers(db, store, {"1001"}, None))  # a cart: value unknown


def test_a_pinned_offer_is_not_held_to_the_price_rule(db, store, products):
    add_product(db, store, "1008", price="80.00")
    settings(db, store, pinned_offers=[{"product_id": "1008"}])
    assert ids(pick_offers(db, store, {"1001"}, None, order_value=Decimal("12.50")))[0] == "1008"
