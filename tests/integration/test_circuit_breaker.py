"""Circuit breaker per store: a failing store's calls fail fast, other stores carry on."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests
import responses
from flask import Flask

from plugin.platforms.circuit import (
    EXTENSION,
    CircuitBreaker,
    CircuitOpen,
    MemoryCircuitStorage,
    RedisCircuitStorage,
)
from plugin.platforms.shopify_admin import ShopifyAdminClient, ShopifyApiError
from plugin.platforms.woocommerce_client import WooCommerceApiError, WooCommerceClient
from tests.services import redis_url

DOWN = "down-grocer.myshopify.com"
UP = "fresh-grocer.myshopify.com"
SHOP_QUERY = "{ shop { name } }"
OK = {"data": {"shop": {"name": "Fresh"}}}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app: Flask) -> Clock:
    """The app's breaker opens after 3 failed calls for 60 s, on a clock the test moves."""
    clock = Clock()
    app.extensions[EXTENSION] = CircuitBreaker(
        MemoryCircuitStorage(clock=clock), threshold=3, cooldown=60.0, clock=clock
    )
    return clock


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def graphql(shop: str) -> str:
    return f"https://{shop}/admin/api/2026-10/graphql.json"


def shopify(shop: str) -> ShopifyAdminClient:
    return ShopifyAdminClient(shop, "shpat_test", "2026-10", max_attempts=2, sleep=lambda _: None)


def fail_three_calls(shop: str) -> None:
    for _ in range(3):
        with pytest.raises(ShopifyApiError):
            shopify(shop).execute(SHOP_QUERY)


def test_a_store_answering_503_fails_fast_after_three_failed_calls(
    clock: Clock, http: responses.RequestsMock
) -> None:
    down = http.post(graphql(DOWN), status=503)
    fail_three_calls(DOWN)
    assert down.call_count == 6  # three calls, each retried once

    with pytest.raises(CircuitOpen) as paused:
        shopify(DOWN).execute(SHOP_QUERY)

    assert down.call_count == 6  # nothing went out
    assert paused.value.retry_in == 60.0


def test_other_stores_are_not_affected(clock: Clock, http: responses.RequestsMock) -> None:
    http.post(graphql(DOWN), status=503)
    http.post(graphql(UP), json=OK)
    fail_three_calls(DOWN)

    assert shopify(UP).execute(SHOP_QUERY) == OK["data"]


def test_after_the_cool_down_one_successful_call_closes_the_circuit(
    clock: Clock, http: responses.RequestsMock
) -> None:
    http.post(graphql(DOWN), status=503)
    fail_three_calls(DOWN)
    clock.now += 61
    http.replace(responses.POST, graphql(DOWN), json=OK)

    assert shopify(DOWN).execute(SHOP_QUERY) == OK["data"]
    assert shopify(DOWN).execute(SHOP_QUERY) == OK["data"]  # closed: calls go out again


def test_a_failed_trial_call_pauses_the_store_again(
    clock: Clock, http: responses.RequestsMock
) -> None:
    down = http.post(graphql(DOWN), status=503)
    fail_three_calls(DOWN)
    clock.now += 61

    with pytest.raises(ShopifyApiError):
        shopify(DOWN).execute(SHOP_QUERY)  # the one trial call
    with pytest.raises(CircuitOpen):
        shopify(DOWN).execute(SHOP_QUERY)
    assert down.call_count == 8


def test_while_the_trial_runs_other_callers_still_wait(app: Flask, clock: Clock) -> None:
    breaker: CircuitBreaker = app.extensions[EXTENSION]
    for _ in range(3):
        breaker.record_failure("shopify:" + DOWN)
    clock.now += 61
    breaker.before_call("shopify:" + DOWN)  # the trial
    with pytest.raises(CircuitOpen):
        breaker.before_call("shopify:" + DOWN)


def test_refusals_of_our_request_do_not_open_the_circuit(
    clock: Clock, http: responses.RequestsMock
) -> None:
    http.post(graphql(DOWN), status=400)
    for _ in range(5):
        with pytest.raises(ShopifyApiError) as refused:
            shopify(DOWN).execute(SHOP_QUERY)
        assert not isinstance(refused.value, CircuitOpen)


def test_an_unreachable_woocommerce_store_is_paused_too(
    clock: Clock, http: responses.RequestsMock
) -> None:
    store = "https://corner-shop.example"
    down = http.get(f"{store}/wp-json/wc/v3/orders", body=requests.ConnectionError("refused"))
    client = WooCommerceClient(store, "ck_x", "cs_x", max_attempts=1, sleep=lambda _: None)
    for _ in range(3):
        with pytest.raises(WooCommerceApiError):
            client.get("orders")
    with pytest.raises(CircuitOpen):
        client.get("orders")
    assert down.call_count == 3


def test_processes_sharing_redis_share_the_circuit() -> None:
    url, prefix = redis_url(), f"encore-test-circuit-{uuid.uuid4().hex}"
    web = CircuitBreaker(RedisCircuitStorage(url, prefix=prefix), threshold=2, cooldown=60.0)
    worker = CircuitBreaker(RedisCircuitStorage(url, prefix=prefix), threshold=2, cooldown=60.0)
    key = "woocommerce:https://corner-shop.example"
    try:
        web.record_failure(key)
        worker.record_failure(key)

        with pytest.raises(CircuitOpen):
            web.before_call(key)
        assert worker.is_open(key)
        worker.record_success(key)
        web.before_call(key)
    finally:
        web.storage.reset(key)
