"""The WooCommerce REST client: Basic over HTTPS, OAuth 1.0a over HTTP, pages, retries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import requests
import responses

from plugin.platforms.woocommerce_client import WooCommerceApiError, WooCommerceClient
from tests.conftest import load_fixture

KEY = "ck_7b1c5d0a9f1e2d3c4b5a69788796a5b4c3d2e1f0"
SECRET = "cs_0f1e2d3c4b5a69788796a5b4c3d2e1f07b1c5d0a"


def client(url: str = "https://corner-shop.example", **options) -> WooCommerceClient:
    pauses: list[float] = []
    made = WooCommerceClient(url, KEY, SECRET, sleep=pauses.append, jitter=lambda: 0.5, **options)
    made.pauses = pauses  # type: ignore[attr-defined]
    return made


def rfc3986(text: str) -> str:
    return quote(text, safe="-._~")


def woocommerce_expects(method: str, url: str, secret: str) -> str:
    """The signature WC_REST_Authentication::check_oauth_signature computes for a request."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    params.pop("oauth_signature")
    pairs = [f"{rfc3986(k)}={rfc3986(v)}" for k, v in sorted(params.items())]
    query = "%26".join(rfc3986(pair) for pair in pairs)
    base_uri = rfc3986(f"{parts.scheme}://{parts.netloc}{parts.path}")
    message = f"{method}&{base_uri}&{query}"
    digest = hmac.new(f"{secret}&".encode(), message.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@responses.activate
def test_https_stores_get_basic_auth():
    responses.get("https://corner-shop.example/wp-json/wc/v3/orders/812", json={"id": 812})
    assert client().get("orders/812") == {"id": 812}
    sent = responses.calls[0].request
    expected = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    assert sent.headers["Authorization"] == f"Basic {expected}"


@responses.activate
def test_plain_http_stores_get_a_one_legged_oauth_signature_woocommerce_accepts():
    url = "http://localhost:8080/wp-json/wc/v3/orders"
    responses.get(url, json=[], headers={"X-WP-TotalPages": "0"})
    client("http://localhost:8080").get_page(
        "orders", 1, {"modified_after": "2026-11-21T07:50:00", "dates_are_gmt": "true"}
    )
    sent = responses.calls[0].request
    assert "Authorization" not in sent.headers
    query = dict(parse_qsl(urlsplit(sent.url).query))
    assert query["oauth_consumer_key"] == KEY
    assert query["oauth_signature_method"] == "HMAC-SHA1"
    assert SECRET not in sent.url
    assert query["oauth_signature"] == woocommerce_expects("GET", sent.url, SECRET)
    # Each parameter appears once (the `woocommerce` package repeats them over HTTP).
    names = [name for name, _ in parse_qsl(urlsplit(sent.url).query)]
    assert len(names) == len(set(names))


@responses.activate
def test_iterate_follows_x_wp_totalpages():
    url = "https://corner-shop.example/wp-json/wc/v3/webhooks"
    hook = load_fixture("woocommerce/webhook.json")
    for page in (1, 2):
        responses.get(
            url,
            match=[responses.matchers.query_param_matcher({"per_page": "100", "page": str(page)})],
            json=[{**hook, "id": page}],
            headers={"X-WP-Total": "2", "X-WP-TotalPages": "2"},
        )
    assert [h["id"] for h in client().iterate("webhooks")] == [1, 2]


@responses.activate
def test_429_and_5xx_are_retried_with_backoff_then_succeed():
    url = "https://corner-shop.example/wp-json/wc/v3/products/1001"
    responses.get(url, status=429, headers={"Retry-After": "3"})
    responses.get(url, status=503)
    responses.get(url, json=load_fixture("woocommerce/product_simple.json"))
    made = client()
    assert made.get("products/1001")["id"] == 1001
    assert made.pauses == [3.0, 0.75]  # Retry-After first, then 1.0s backoff with jitter


@responses.activate
def test_giving_up_says_the_store_may_be_down():
    url = "https://corner-shop.example/wp-json/wc/v3/orders"
    responses.get(url, body=requests.ConnectionError("refused"))
    made = client(max_attempts=3)
    with pytest.raises(WooCommerceApiError) as caught:
        made.get("orders")
    assert caught.value.code == "retries_exhausted"
    assert "after 3 attempts" in str(caught.value)
    assert len(made.pauses) == 2


@responses.activate
def test_refused_keys_are_not_retried_and_say_what_to_do():
    responses.get(
        "https://corner-shop.example/wp-json/wc/v3/webhooks",
        status=401,
        json=load_fixture("woocommerce/error_invalid_signature.json"),
    )
    with pytest.raises(WooCommerceApiError) as caught:
        client().get("webhooks")
    assert caught.value.status == 401
    assert "Invalid signature" in str(caught.value) and "Connect the store again" in str(
        caught.value
    )
    assert len(responses.calls) == 1


@responses.activate
def test_a_non_json_answer_points_at_permalinks():
    responses.get("https://corner-shop.example/wp-json/wc/v3/orders", body="<html>Home</html>")
    with pytest.raises(WooCommerceApiError, match="permalinks"):
        client().get("orders")


@responses.activate
def test_post_put_and_delete_send_json_and_parse_the_answer():
    base = "https://corner-shop.example/wp-json/wc/v3/"
    responses.post(base + "coupons", json={"id": 9, "code": "encore-10"}, status=201)
    responses.put(base + "webhooks/142", json={"id": 142, "status": "active"})
    responses.delete(base + "webhooks/142", json={"id": 142})
    made = client()
    assert made.post("coupons", {"code": "encore-10"})["id"] == 9
    assert json.loads(responses.calls[0].request.body) == {"code": "encore-10"}
    assert made.put("webhooks/142", {"status": "active"})["status"] == "active"
    assert made.delete("webhooks/142", {"force": "true"}) == {"id": 142}
    assert "force=true" in responses.calls[2].request.url


def test_a_store_url_that_is_not_http_is_refused():
    with pytest.raises(WooCommerceApiError):
        WooCommerceClient("ftp://corner-shop.example", KEY, SECRET)


def test_the_keys_never_show_in_its_repr():
    assert SECRET not in repr(client()) and KEY not in repr(client())
