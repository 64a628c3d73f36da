"""The offers engine behind the storefront: switches, holdout, pins, clicks, frequency cap."""

from __future__ import annotations

from typing import Any

import pytest
import responses
from sqlalchemy import select

from plugin.models import Impression, InboxStatus, utcnow
from plugin.offers.bandit import posteriors
from plugin.offers.collections import SYNC_KIND
from plugin.offers.job_requests import Wanted, request_wanted
from plugin.offers.tables import CollectionProduct, OfferExposure
from tests.conftest import load_fixture
from tests.offers_helpers import (
    arm,
    queued,
    run_jobs,
    settings,
    with_shopify_token,
    with_woocommerce_keys,
)
from tests.shopify_helpers import graphql_url, json_body, mocked_http
from tests.storefront_helpers import (
    add_order,
    bearer,
    catalogue,
    count,
    customer_sub,
    shopify_store,
    woocommerce_store,
)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "HOLDOUT_SHARE": 0.0, "STOREFRONT_CACHE_SECONDS": 0}


@pytest.fixture
def store(db):
    store = shopify_store(db)
    catalogue(db, store, count=6)
    return store


def ask(
    client, surface: str = "thank-you", order_id: str = "5001", **claims: Any
) -> dict[str, Any]:
    response = client.get(
        f"/api/storefront/{surface}", query_string={"order_id": order_id}, headers=bearer(**claims)
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json
    return body


def click(client, body: dict[str, Any], index: int = 0):
    event = {
        "impression_id": body["impression_id"],
        "offer_id": body["offers"][index]["offer_id"],
        "type": "click",
    }
    return client.post("/api/storefront/events", json=event, headers=bearer())


def test_a_surface_switched_off_shows_no_offers_while_the_other_still_does(client, db, store):
    settings(db, store, offers_enabled={"thank_you": False, "order_status": True})
    add_order(db, store, "5001", ["1001"])
    assert ask(client, "thank-you")["offers"] == []
    assert len(ask(client, "order-status")["offers"]) == 3
    thank_you = db.scalar(select(Impression).where(Impression.surface == "thank_you"))
    assert thank_you is not None and thank_you.offers == [] and not thank_you.in_holdout


def test_the_stores_holdout_share_holds_orders_out(client, db, store):
    settings(db, store, holdout_share=0.5)
    held = 0
    for n in range(5001, 5021):
        add_order(db, store, str(n), ["1001"])
        held += ask(client, order_id=str(n))["offers"] == []
    assert 4 <= held <= 16
    assert count(db, Impression) == 20  # both groups are logged


def test_every_shown_offer_is_an_exposure_and_a_trial_for_its_strategy(client, db, store):
    add_order(db, store, "5001", ["1001"], customer_id="7001")
    body = ask(client)
    exposures = list(db.scalars(select(OfferExposure)))
    assert sorted(e.offer_id for e in exposures) == sorted(o["offer_id"] for o in body["offers"])
    assert {e.platform_customer_id for e in exposures} == {"7001"}
    assert {e.platform_order_id for e in exposures} == {"5001"}
    strategies = [e.strategy for e in exposures]
    for name in set(strategies):
        assert arm(db, store, name)["shown"] == strategies.count(name)


def test_a_click_is_a_success_for_the_offers_strategy_once(client, db, store):
    add_order(db, store, "5001", ["1001"])
    body = ask(client)
    strategy = body["offers"][0]["offer_id"].split(":")[0]
    before, belief = arm(db, store, strategy), posteriors(db, store, "thank_you")[strategy]
    assert click(client, body).json == {"status": "recorded"}
    assert click(client, body).json == {"status": "duplicate"}
    after = arm(db, store, strategy)
    assert (after["clicks"], after["successes"]) == (before["clicks"] + 1, before["successes"] + 1)
    assert posteriors(db, store, "thank_you")[strategy].mean > belief.mean


def test_a_pinned_offer_leads_the_thank_you_page(client, db, store):
    settings(
        db,
        store,
        pinned_offers=[
            {
                "id": "jam",
                "product_id": "1006",
                "trigger_product_ids": ["1001"],
                "discount_percent": 0,
            }
        ],
    )
    add_order(db, store, "5001", ["1001"])
    add_order(db, store, "5002", ["1002"])
    first = ask(client, order_id="5001")["offers"][0]
    assert (first["product_id"], first["offer_id"], first["reason"]) == (
        "1006",
        "pinned:1006",
        "Picked for you by Fresh Grocer",
    )
    assert ask(client, order_id="5002")["offers"][0]["product_id"] != "1006"


def test_a_shopper_stops_seeing_a_product_after_three_orders_in_a_week(client, db, store):
    settings(db, store, excluded_product_ids=["1003", "1004", "1005", "1006"])  # 1001, 1002 left
    seen = []
    for n in range(5001, 5006):
        add_order(db, store, str(n), ["1009"], customer_id="7001")
        seen.append(
            [
                o["product_id"]
                for o in ask(client, order_id=str(n), sub=customer_sub("7001"))["offers"]
            ]
        )
    assert seen[:3] == [["1001", "1002"]] * 3
    assert seen[3:] == [[], []]
    add_order(db, store, "6001", ["1009"], customer_id="7002")
    assert len(ask(client, order_id="6001", sub=customer_sub("7002"))["offers"]) == 2


def test_a_trigger_collection_is_read_from_shopify_by_a_job(app, client, db, store):
    with_shopify_token(db, store)
    settings(db, store, pinned_offers=[{"product_id": "1006", "trigger_collection_ids": ["4001"]}])
    add_order(db, store, "5001", ["1003"])
    assert ask(client)["offers"][0]["product_id"] != "1006"  # not known yet: no match
    (job,) = queued(db, SYNC_KIND)

    with mocked_http() as http:
        http.add(
            responses.POST,
            graphql_url(),
            json=load_fixture("shopify/graphql_collection_products_page1.json"),
        )
        http.add(
            responses.POST,
            graphql_url(),
            json=load_fixture("shopify/graphql_collection_products_page2.json"),
        )
        run_jobs(app)
        first, second = (json_body(call)["variables"] for call in http.calls)
    assert first == {"id": "gid://shopify/Collection/4001", "after": None}
    assert second["after"] == "eyJsYXN0X2lkIjoxMDAyLCJsYXN0X3ZhbHVlIjoiMTAwMiJ9"
    db.expire_all()
    assert job.status == InboxStatus.DONE
    members = set(db.scalars(select(CollectionProduct.platform_product_id)))
    assert members == {"1001", "1002", "1003"}
    assert ask(client)["offers"][0]["product_id"] == "1006"
    assert len(queued(db, SYNC_KIND)) == 1  # fresh for a day: not asked again


def test_a_collection_shopify_does_not_know_has_no_members(app, client, db, store):
    with_shopify_token(db, store)
    settings(db, store, pinned_offers=[{"product_id": "1006", "trigger_collection_ids": ["4999"]}])
    add_order(db, store, "5001", ["1003"])
    ask(client)
    with mocked_http() as http:
        http.add(responses.POST, graphql_url(), json={"data": {"collection": None}})
        run_jobs(app)
    assert count(db, CollectionProduct) == 0
    assert ask(client)["offers"][0]["product_id"] != "1006"


def test_a_trigger_category_is_read_from_woocommerce(app, db):
    shop = with_woocommerce_keys(db, woocommerce_store(db))
    assert request_wanted(db, shop, Wanted(collection_ids={"31"}), utcnow()) == 1
    assert request_wanted(db, shop, Wanted(collection_ids={"31"}), utcnow()) == 0  # once a day
    products = "https://corner-shop.example/wp-json/wc/v3/products"
    with mocked_http() as http:
        http.add(
            responses.GET, products, json=[{"id": 71}, {"id": 72}], headers={"X-WP-TotalPages": "2"}
        )
        http.add(responses.GET, products, json=[{"id": 88}], headers={"X-WP-TotalPages": "2"})
        run_jobs(app)
        assert "category=31" in http.calls[0].request.url
    members = set(db.scalars(select(CollectionProduct.platform_product_id)))
    assert members == {"71", "72", "88"}


def test_the_tracking_page_follows_and_learns_with_the_order_status_page(client, db, store):
    order = add_order(db, store, "5001", ["1001"])
    shown = len(ask(client, "order-status")["offers"])
    page = client.get(f"/t/{order.tracking_token}")
    assert page.status_code == 200 and 'data-encore-impression-id="' in page.get_data(as_text=True)
    arms = [arm(db, store, name, "order_status")["shown"] for name in ("learned", "popular")]
    assert sum(arms) == shown * 2  # the order-status page and the tracking page, same arms
    assert all(arm(db, store, name)["shown"] == 0 for name in ("learned", "popular"))

    settings(db, store, offers_enabled={"order_status": False})
    impressions = count(db, Impression)
    client.get(f"/t/{order.tracking_token}")
    latest = db.scalars(select(Impression).order_by(Impression.id.desc())).first()
    assert count(db, Impression) == impressions + 1 and latest is not None and latest.offers == []
