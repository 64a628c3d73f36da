"""Offer discount codes: created by a job on the platform, reused while valid, renewed in time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import responses
from sqlalchemy import select

from plugin.jobs.queue import enqueue
from plugin.models import InboxStatus, utcnow
from plugin.offers.discount_codes import CODE_KIND
from plugin.offers.tables import DiscountCode
from tests.conftest import SHOP, load_fixture
from tests.offers_helpers import (
    queued,
    run_jobs,
    settings,
    with_shopify_token,
    with_woocommerce_keys,
)
from tests.shopify_helpers import graphql_url, json_body, mocked_http
from tests.storefront_helpers import add_order, bearer, catalogue, shopify_store, woocommerce_store

URL = "/api/storefront/thank-you"
COUPONS = "https://corner-shop.example/wp-json/wc/v3/coupons"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "HOLDOUT_SHARE": 0.0, "STOREFRONT_CACHE_SECONDS": 0}


@pytest.fixture
def store(db):
    store = with_shopify_token(db, shopify_store(db))
    catalogue(db, store, count=4)
    settings(db, store, offer_discount_percent=10)
    return store


def ask(client, order_id: str) -> dict[str, Any]:
    response = client.get(URL, query_string={"order_id": order_id}, headers=bearer())
    assert response.status_code == 200
    body: dict[str, Any] = response.json
    return body


def codes(db) -> list[DiscountCode]:
    db.expire_all()
    return list(db.scalars(select(DiscountCode).order_by(DiscountCode.id)))


def create_code_on_shopify(app, fixture: str = "graphql_discount_code_basic_create.json"):
    with mocked_http() as http:
        http.add(responses.POST, graphql_url(), json=load_fixture(f"shopify/{fixture}"))
        run_jobs(app)
        return list(http.calls)


def test_without_a_code_yet_the_offer_shows_the_percent_and_queues_one_creation(client, db, store):
    add_order(db, store, "5001", ["1004"])
    add_order(db, store, "5002", ["1004"])
    first, again, other = ask(client, "5001"), ask(client, "5001"), ask(client, "5002")
    for body in (first, again, other):
        offer = body["offers"][0]
        assert (offer["discount_percent"], offer["discount_code"]) == (10, None)
        assert "?" not in offer["cart_url"]
    (job,) = queued(db, CODE_KIND)
    assert job.status == InboxStatus.PENDING and job.store_id == store.id


def test_the_job_creates_a_shopify_code_that_every_offer_then_carries(app, client, db, store):
    add_order(db, store, "5001", ["1004"])
    ask(client, "5001")
    (call,) = create_code_on_shopify(app)

    sent = json_body(call)
    assert "discountCodeBasicCreate" in sent["query"]
    code_input = sent["variables"]["basicCodeDiscount"]
    assert code_input["customerGets"]["value"] == {"percentage": 0.1}
    assert code_input["code"].startswith("ENCORE10-")
    assert call.request.headers["X-Shopify-Access-Token"] == "shpat_offers_test"

    (code,) = codes(db)
    assert code.code == code_input["code"] and code.percent == 10
    assert code.platform_discount_id == "gid://shopify/DiscountCodeNode/1189362319612"
    assert timedelta(days=29) < code.ends_at - utcnow() <= timedelta(days=30)

    add_order(db, store, "5002", ["1001"])
    for order_id in ("5001", "5002"):
        for offer in ask(client, order_id)["offers"]:
            assert offer["discount_code"] == code.code
            assert offer["cart_url"] == (
                f"https://{SHOP}/cart/{offer['variant_id']}:1?discount={code.code}"
            )
    assert len(queued(db, CODE_KIND)) == 1  # nothing more to create


def test_a_valid_code_is_reused_not_created_again(app, client, db, store):
    add_order(db, store, "5001", ["1004"])
    ask(client, "5001")
    create_code_on_shopify(app)
    enqueue(
        db,
        kind=CODE_KIND,
        topic=CODE_KIND,
        event_key="again",
        body='{"percent": 10}',
        store_id=store.id,
    )
    assert create_code_on_shopify(app) == []  # the job found the valid code: no platform call
    assert len(codes(db)) == 1


def test_a_code_about_to_end_is_still_shown_while_its_successor_is_made(app, client, db, store):
    add_order(db, store, "5001", ["1004"])
    ask(client, "5001")
    create_code_on_shopify(app)
    (old,) = codes(db)
    old.ends_at = utcnow() + timedelta(days=2)
    db.commit()

    assert ask(client, "5001")["offers"][0]["discount_code"] == old.code
    create_code_on_shopify(app)
    new = codes(db)[-1]
    assert new.code != old.code and new.ends_at > old.ends_at
    assert ask(client, "5001")["offers"][0]["discount_code"] == new.code


def test_an_expired_code_is_never_shown_and_a_new_one_is_created(app, client, db, store):
    add_order(db, store, "5001", ["1004"])
    ask(client, "5001")
    create_code_on_shopify(app)
    (old,) = codes(db)
    old.ends_at = utcnow() + timedelta(hours=12)  # less than a day left for the shopper
    db.commit()

    assert ask(client, "5001")["offers"][0]["discount_code"] is None
    create_code_on_shopify(app)
    assert len(codes(db)) == 2
    assert ask(client, "5001")["offers"][0]["discount_code"] == codes(db)[-1].code


def test_each_percent_has_its_own_code(app, client, db, store):
    settings(db, store, pinned_offers=[{"product_id": "1003", "discount_percent": 25}])
    add_order(db, store, "5001", ["1004"])
    ask(client, "5001")
    assert len(queued(db, CODE_KIND)) == 2
    create_code_on_shopify(app)
    assert sorted(code.percent for code in codes(db)) == [10, 25]
    offers = ask(client, "5001")["offers"]
    assert offers[0]["product_id"] == "1003" and offers[0]["discount_percent"] == 25
    assert offers[0]["discount_code"].startswith("ENCORE25-")
    assert offers[1]["discount_code"].startswith("ENCORE10-")


def test_no_discount_means_no_code_and_no_job(client, db, store):
    settings(db, store, offer_discount_percent=0)
    add_order(db, store, "5001", ["1004"])
    assert ask(client, "5001")["offers"][0]["discount_code"] is None
    assert queued(db, CODE_KIND) == []


def test_shopify_refusing_the_code_dead_letters_the_job(app, client, db, store):
    add_order(db, store, "5001", ["1004"])
    ask(client, "5001")
    create_code_on_shopify(app, "graphql_discount_code_basic_create_user_errors.json")
    (job,) = queued(db, CODE_KIND)
    assert job.status == InboxStatus.DEAD and "Code must be unique" in (job.last_error or "")
    assert codes(db) == []
    assert ask(client, "5001")["offers"][0]["discount_code"] is None


def test_shopify_down_is_retried_later(app, client, db, store):
    add_order(db, store, "5001", ["1004"])
    ask(client, "5001")
    with mocked_http() as http:
        http.add(responses.POST, graphql_url(), status=503, headers={"Retry-After": "0"})
        run_jobs(app)
    (job,) = queued(db, CODE_KIND)
    assert job.status == InboxStatus.PENDING and job.attempts == 1
    assert codes(db) == []


# ---- WooCommerce ----------------------------------------------------------------------------


@pytest.fixture
def shop(db):
    store = with_woocommerce_keys(db, woocommerce_store(db))
    catalogue(db, store, count=4)
    settings(db, store, offer_discount_percent=15)
    return store


def block(client, shop, order) -> dict[str, Any]:
    response = client.get(
        f"/api/storefront/woocommerce/{shop.public_id}/orders/{order.platform_order_id}",
        query_string={"key": order.order_key},
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json
    return body


def test_woocommerce_gets_a_coupon_through_its_rest_api(app, client, db, shop):
    order = add_order(db, shop, "801", ["1004"], order_key="wc_order_8TtKx1")
    assert block(client, shop, order)["offers"][0]["discount_code"] is None
    with mocked_http() as http:
        http.add(
            responses.POST,
            COUPONS,
            json=load_fixture("woocommerce/coupon_created.json"),
            status=201,
        )
        run_jobs(app)
        (call,) = http.calls
    sent = json_body(call)
    assert sent["discount_type"] == "percent" and sent["amount"] == "15"
    assert sent["code"].startswith("ENCORE15-")
    (code,) = codes(db)
    assert (code.code, code.platform_discount_id) == (sent["code"], "719")

    offer = block(client, shop, order)["offers"][0]
    assert offer["discount_code"] == code.code
    assert offer["cart_url"] == (
        f"https://corner-shop.example/?add-to-cart={offer['variant_id']}&quantity=1"
        f"&encore_coupon={code.code}"
    )


def test_woocommerce_refusing_the_coupon_dead_letters_the_job(app, client, db, shop):
    order = add_order(db, shop, "801", ["1004"], order_key="wc_order_8TtKx1")
    block(client, shop, order)
    with mocked_http() as http:
        http.add(
            responses.POST,
            COUPONS,
            json=load_fixture("woocommerce/coupon_code_exists.json"),
            status=400,
        )
        run_jobs(app)
    (job,) = queued(db, CODE_KIND)
    assert job.status == InboxStatus.DEAD and "already exists" in (job.last_error or "")
    assert codes(db) == []
