"""The Admin GraphQL client waits out throttling, retries Shopify's hiccups, and fails clearly."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses

from plugin.platforms.shopify_admin import ShopifyAdminClient, ShopifyApiError, raise_user_errors
from tests.conftest import SHOP, load_fixture
from tests.shopify_helpers import graphql_url, mocked_http

TOKEN = "shpat_0123456789abcdef0123456789abcdef"
QUERY = "query { shop { name } }"
OK = {
    "data": {"shop": {"name": "Fresh Grocer"}},
    "extensions": {
        "cost": {
            "requestedQueryCost": 1,
            "actualQueryCost": 1,
            "throttleStatus": {
                "maximumAvailable": 2000.0,
                "currentlyAvailable": 1999,
                "restoreRate": 100.0,
            },
        }
    },
}


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with mocked_http() as mock:
        yield mock


@pytest.fixture
def sleeps() -> list[float]:
    return []


def make_client(sleeps: list[float], **options: Any) -> ShopifyAdminClient:
    return ShopifyAdminClient(
        SHOP, TOKEN, "2026-10", sleep=sleeps.append, jitter=lambda: 0.0, **options
    )


def test_query_returns_data_and_sends_the_shops_token(http, sleeps):
    http.add(responses.POST, graphql_url(), json=OK)

    assert make_client(sleeps).execute(QUERY) == {"shop": {"name": "Fresh Grocer"}}
    assert http.calls[0].request.headers["X-Shopify-Access-Token"] == TOKEN
    assert sleeps == []


def test_throttled_query_waits_just_long_enough_then_succeeds(http, sleeps):
    http.add(responses.POST, graphql_url(), json=load_fixture("shopify/graphql_throttled.json"))
    http.add(responses.POST, graphql_url(), json=OK)

    data = make_client(sleeps).execute(QUERY)

    assert data["shop"]["name"] == "Fresh Grocer"
    # 752 points wanted, 666 left, 50 restored per second: (752 - 666) / 50 = 1.72 s.
    assert sleeps == [pytest.approx(1.72)]


def test_query_costing_more_than_the_bucket_is_refused_at_once(http, sleeps):
    throttled = load_fixture("shopify/graphql_throttled.json")
    throttled["extensions"]["cost"]["requestedQueryCost"] = 1500
    http.add(responses.POST, graphql_url(), json=throttled)

    with pytest.raises(ShopifyApiError, match="fewer items per page"):
        make_client(sleeps).execute(QUERY)
    assert sleeps == []


def test_rate_limited_answer_honours_retry_after(http, sleeps):
    http.add(responses.POST, graphql_url(), status=429, headers={"Retry-After": "2.0"}, json={})
    http.add(responses.POST, graphql_url(), json=OK)

    assert make_client(sleeps).execute(QUERY)["shop"]["name"] == "Fresh Grocer"
    assert sleeps == [2.0]


def test_server_errors_are_retried_with_growing_backoff(http, sleeps):
    http.add(responses.POST, graphql_url(), status=502)
    http.add(responses.POST, graphql_url(), status=503)
    http.add(responses.POST, graphql_url(), json=OK)

    make_client(sleeps, backoff_base=1.0).execute(QUERY)

    assert sleeps == [0.5, 1.0]  # half of 1 s, then of 2 s (jitter fixed at 0)


def test_backoff_jitter_spreads_retries(http):
    sleeps: list[float] = []
    http.add(responses.POST, graphql_url(), status=500)
    http.add(responses.POST, graphql_url(), json=OK)
    client = ShopifyAdminClient(
        SHOP, TOKEN, "2026-10", sleep=sleeps.append, backoff_base=4.0, jitter=lambda: 1.0
    )

    client.execute(QUERY)

    assert sleeps == [4.0]


def test_server_errors_give_up_after_bounded_tries(http, sleeps):
    http.add(responses.POST, graphql_url(), status=500)

    with pytest.raises(ShopifyApiError, match=r"Gave up .* after 3 attempts: .*HTTP 500"):
        make_client(sleeps, max_attempts=3).execute(QUERY)
    assert len(http.calls) == 3
    assert len(sleeps) == 2


def test_unreachable_shop_is_retried_then_reported(http, sleeps):
    http.add(responses.POST, graphql_url(), body=requests.ConnectionError("connection refused"))

    with pytest.raises(ShopifyApiError, match="could not reach"):
        make_client(sleeps, max_attempts=2).execute(QUERY)
    assert len(sleeps) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_refused_token_says_to_reinstall_without_retrying(http, sleeps, status):
    http.add(
        responses.POST,
        graphql_url(),
        status=status,
        json={
            "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
        },
    )

    with pytest.raises(ShopifyApiError, match="reinstall") as error:
        make_client(sleeps).execute(QUERY)
    assert error.value.status == status
    assert TOKEN not in str(error.value)
    assert len(http.calls) == 1


def test_graphql_errors_raise_with_shopifys_message(http, sleeps):
    http.add(
        responses.POST,
        graphql_url(),
        json=load_fixture("shopify/graphql_error_undefined_field.json"),
    )

    with pytest.raises(ShopifyApiError, match="fulfilmentStatus' doesn't exist") as error:
        make_client(sleeps).execute(QUERY)
    assert error.value.code == "undefinedField"
    assert len(http.calls) == 1


def test_unknown_api_version_is_reported(http, sleeps):
    http.add(responses.POST, graphql_url(version="1999-01"), status=404, body="Not Found")

    client = ShopifyAdminClient(SHOP, TOKEN, "1999-01", sleep=sleeps.append)
    with pytest.raises(ShopifyApiError, match="SHOPIFY_API_VERSION"):
        client.execute(QUERY)


def test_user_errors_of_a_mutation_are_raised():
    result = {"userErrors": [{"field": ["webhookSubscription", "uri"], "message": "is invalid"}]}

    with pytest.raises(ShopifyApiError, match=r"webhookSubscription\.uri: is invalid"):
        raise_user_errors(result, "the subscription")
    raise_user_errors({"userErrors": []}, "the subscription")


def test_client_refuses_a_domain_that_is_not_a_shop():
    with pytest.raises(ShopifyApiError, match=r"myshopify\.com"):
        ShopifyAdminClient("evil.example.com", TOKEN, "2026-10")


def test_client_never_shows_its_token():
    assert TOKEN not in repr(ShopifyAdminClient(SHOP, TOKEN, "2026-10"))
